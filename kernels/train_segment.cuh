// The epoch loop shared by the fused kernels (per thread and per warp): gradient descent with the
// update rule RULE (SGD, momentum, Adam, RMSprop) and weight decay (docs/method.md §4, §4.1),
// epoch_solved tracking (docs/method.md §6) and the evaluation after the segment. Each update is
// optimizer_step with update_scalars, numbered as the layered kernels number it
// (layered_train.cuh): the per-thread kernel computes the layered kernels' bits, and the
// optimiser's state carries over between kernels from one segment to the next. The network
// representation supplies forward(), backward() and evaluate() overloads, found by
// argument-dependent lookup, and the members set_zero() and zip_within().
#pragma once

#include "host_device.cuh"
#include "optimizer_step.cuh"
#include "train_job.cuh"

namespace symbreak {

// One batch (samples first ... first + count - 1): the forward passes, the correct counts added to
// `correct`, and the gradient added to g in sample order. Params with kLockstepSamples = K > 1 (the
// cpu engine's packs, fused_thread.cuh) take K samples side by side: their forward passes, then
// their output deltas, then their backward passes. The parameters do not move within a batch and g
// still adds the samples in order, so the bits are those of one sample at a time; what changes is
// that the output's logistic function, a long chain of dependent operations with nothing beside
// it, now has K independent chains beside it that the CPU overlaps (docs/method.md §13.1).
template <class Params, class Activations, class Count>
SYMBREAK_HD SYMBREAK_MATH_INLINE void accumulate_batch(const Params& p, const TrainJob& job,
                                                       int first, int count, Activations& act,
                                                       Params& g, Count& correct) {
  const int d = job.shape.inputs;
  int s = first;
  if constexpr (Params::kLockstepSamples > 1) {
    using Real = typename Params::Real;
    constexpr int K = Params::kLockstepSamples;
    Activations acts[K];
    for (; s + K <= first + count; s += K) {
      const float* x = job.x + static_cast<long long>(s) * d;
      SYMBREAK_UNROLL_ALWAYS
      for (int k = 0; k < K; ++k)
        forward(p, job, x + k * d, acts[k]);
      Real dzo[K];
      SYMBREAK_UNROLL_ALWAYS
      for (int k = 0; k < K; ++k) {
        correct += correct_count(acts[k].zo, job.y[s + k]);
        dzo[k] = output_delta(job.loss, acts[k].zo, job.y[s + k]);
      }
      SYMBREAK_UNROLL_ALWAYS
      for (int k = 0; k < K; ++k)
        backward_from_output(p, job, x + k * d, dzo[k], acts[k], g);
    }
  }
  for (; s < first + count; ++s) {
    const float* x = job.x + static_cast<long long>(s) * d;
    forward(p, job, x, act);
    correct += correct_count(act.zo, job.y[s]);
    backward(p, job, x, job.y[s], act, g);
  }
}

// p: parameters, g: gradient scratch, s1 and s2: the optimiser's state (optimizer_step's s1, s2;
// used as state_arrays(RULE) says); all of type Params. Params::Real is float, or a pack of floats
// with one network per lane (then State and the counts are per lane too, LaneTypes).
template <UpdateRule RULE, class Params, class Activations, class State>
SYMBREAK_HD inline void train_segment(const TrainJob& job, EpochSegment segment, Params& p,
                                      Params& g, Params& s1, Params& s2, Activations& act,
                                      State& state) {
  using Real = typename Params::Real;
  const int n = job.samples;
  const bool full_batch = job.batch >= n;
  const long long updates = updates_per_epoch(job);
  for (int epoch = segment.first_epoch; epoch < segment.last_epoch; ++epoch) {
    if (!full_batch && any_unsolved(state)) {
      // Minibatches move the parameters within an epoch, so check them before it starts.
      note_solved(state, evaluate(p, job, act).correct, n, epoch);
    }
    // Full batch: the forward pass sees the parameters after `epoch` epochs.
    typename LaneTypes<Real>::Count correct = 0;
    for (int first = 0; first < n; first += job.batch) {
      const int count = n - first < job.batch ? n - first : job.batch;
      g.set_zero();
      accumulate_batch(p, job, first, count, act, g, correct);
      // Update number epoch * updates + first / batch since training began: Adam's t - 1.
      UpdateScalars k = update_scalars(job, count, epoch * updates + first / job.batch);
      // Gradient noise and dropout train with the layered kernels (fused_kernels_train); saying so
      // here also keeps the test of σ, a double, out of the loop over the parameters.
      k.noisy = false;
      const auto step = [&](Real& pk, Real& s1k, Real& s2k, Real& gk) {
        optimizer_step<RULE>(pk, s1k, s2k, gk, Real(0.0f), k);
      };
      p.zip_within(job.shape, step, s1, s2, g);
    }
    if (full_batch) note_solved(state, correct, n, epoch);
  }
  // The parameters after last_epoch epochs.
  const State after = evaluate(p, job, act);
  state.loss = after.loss;
  state.correct = after.correct;
  note_solved(state, after.correct, n, segment.last_epoch);
}

// Mean loss and correct count of the current parameters over all samples.
template <class Params, class Activations>
SYMBREAK_HD inline typename LaneTypes<typename Params::Real>::State evaluate_samples(
    const Params& p, const TrainJob& job, Activations& act) {
  using Real = typename Params::Real;
  typename LaneTypes<Real>::State e;
  Real loss = 0.0f;
  for (int s = 0; s < job.samples; ++s) {
    forward(p, job, job.x + static_cast<long long>(s) * job.shape.inputs, act);
    loss += sample_loss(job.loss, act.zo, job.y[s]);
    e.correct += correct_count(act.zo, job.y[s]);
  }
  e.loss = loss / static_cast<float>(job.samples);
  return e;
}

}  // namespace symbreak
