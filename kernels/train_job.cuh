// What the float training code needs to know about one configuration, and what it reports, as
// plain values that cross to the GPU. Training runs in segments of epochs so that traces can
// measure the parameters between segments; without a trace there is one segment [0, E].
#pragma once

#include <cstdint>

#include "activation.cuh"
#include "loss.cuh"
#include "network_shape.cuh"
#include "optimizer.cuh"

namespace symbreak {

struct TrainJob {
  NetworkShape shape;
  int samples = 0;  // n
  int batch = 0;    // samples per update, 1 ... n (already resolved from 0 = full batch)
  Activation activation = Activation::tanh;
  Loss loss = Loss::bce;
  float lr = 0.5f;
  float momentum = 0.0f;
  // What else might break the symmetry (docs/method.md §4.1); the defaults are plain SGD.
  Optimizer optimizer = Optimizer::sgd;
  float weight_decay = 0.0f;
  float dropout = 0.0f;                 // p: 0 = no dropout
  float dropout_scale = 1.0f;           // 1 / (1 - p), rounded to float once
  std::uint64_t dropout_threshold = 0;  // dropout_threshold(p) of breaker_draws.cuh
  double grad_noise = 0.0;              // σ; each draw is scaled in double, then rounded once
  std::uint32_t seed = 0;               // with each network's replicate, keys masks and noise
  const float* x = nullptr;             // [sample][input], row-major
  const float* y = nullptr;             // [sample]
};

// Updates per epoch: ceil(n / batch). Update u of epoch e is update number e * this + u.
SYMBREAK_HD inline int updates_per_epoch(const TrainJob& job) {
  return (job.samples + job.batch - 1) / job.batch;
}

// Whether training draws random numbers: dropout masks or gradient noise, keyed per network.
SYMBREAK_HD inline bool draws_randomness(const TrainJob& job) {
  return job.dropout > 0.0f || job.grad_noise != 0.0;
}

// Train epochs first_epoch ... last_epoch - 1, then evaluate the parameters after last_epoch
// epochs. first_epoch == last_epoch only evaluates.
struct EpochSegment {
  int first_epoch = 0;
  int last_epoch = 0;
};

// Per network, carried from segment to segment.
struct TrainState {
  int epoch_solved = -1;  // smallest epoch at which every sample was classified correctly
  int correct = 0;        // samples classified correctly after last_epoch epochs
  float loss = 0.0f;      // mean loss after last_epoch epochs
};

// A logit z > 0 predicts 1 (docs/method.md §6).
template <class Real>
SYMBREAK_HD inline bool classified_correctly(Real z, Real y) {
  return (z > Real(0)) == (y > Real(0.5));
}

// What the training code counts and carries per network when its number type is Real: plain int
// and TrainState for float; a SIMD pack (float_pack.hpp) has one per lane.
template <class Real>
struct LaneTypes {
  using Count = int;
  using State = TrainState;
  using Replicate = std::uint32_t;  // the network's replicate, which keys its random draws
};

SYMBREAK_HD inline int correct_count(float z, float y) {
  return classified_correctly(z, y) ? 1 : 0;
}

SYMBREAK_HD inline bool any_unsolved(const TrainState& s) {
  return s.epoch_solved < 0;
}

// Records `epoch` as the epoch solved when all n samples are classified correctly for the first
// time.
SYMBREAK_HD inline void note_solved(TrainState& s, int correct, int n, int epoch) {
  if (correct == n && s.epoch_solved < 0) s.epoch_solved = epoch;
}

}  // namespace symbreak
