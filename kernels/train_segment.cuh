// The epoch loop shared by the fused kernels (per thread and per warp): plain gradient descent with
// optional classical momentum (docs/method.md §4), epoch_solved tracking (docs/method.md §6) and
// the evaluation after the segment. The network representation supplies forward(), backward() and
// evaluate() overloads, found by argument-dependent lookup.
#pragma once

#include "host_device.cuh"
#include "sgd_step.cuh"
#include "train_job.cuh"

namespace symbreak {

// p: parameters, g: gradient scratch, v: velocity (used only with MOMENTUM); all of type Params.
template <bool MOMENTUM, class Params, class Activations>
SYMBREAK_HD inline void train_segment(const TrainJob& job, EpochSegment segment, Params& p,
                                      Params& g, Params& v, Activations& act, TrainState& state) {
  const int n = job.samples, d = job.shape.inputs;
  const bool full_batch = job.batch >= n;
  for (int epoch = segment.first_epoch; epoch < segment.last_epoch; ++epoch) {
    if (!full_batch && state.epoch_solved < 0) {
      // Minibatches move the parameters within an epoch, so check them before it starts.
      if (evaluate(p, job, act).correct == n) state.epoch_solved = epoch;
    }
    int correct = 0;  // full batch: the forward pass sees the parameters after `epoch` epochs
    for (int first = 0; first < n; first += job.batch) {
      const int count = n - first < job.batch ? n - first : job.batch;
      g.set_zero();
      for (int s = first; s < first + count; ++s) {
        const float* x = job.x + static_cast<long long>(s) * d;
        forward(p, job, x, act);
        correct += classified_correctly(act.zo, job.y[s]) ? 1 : 0;
        backward(p, job, x, job.y[s], act, g);
      }
      const float inv_count = 1.0f / static_cast<float>(count);
      const float lr = job.lr, mu = job.momentum;
      p.zip([&](float& pk, float& vk,
                float& gk) { sgd_step<MOMENTUM>(pk, vk, gk, inv_count, lr, mu); },
            v, g);
    }
    if (full_batch && correct == n && state.epoch_solved < 0) state.epoch_solved = epoch;
  }
  // The parameters after last_epoch epochs.
  const TrainState after = evaluate(p, job, act);
  state.loss = after.loss;
  state.correct = after.correct;
  if (after.correct == n && state.epoch_solved < 0) state.epoch_solved = segment.last_epoch;
}

// Mean loss and correct count of the current parameters over all samples.
template <class Params, class Activations>
SYMBREAK_HD inline TrainState evaluate_samples(const Params& p, const TrainJob& job,
                                               Activations& act) {
  TrainState e;
  float loss = 0.0f;
  for (int s = 0; s < job.samples; ++s) {
    forward(p, job, job.x + static_cast<long long>(s) * job.shape.inputs, act);
    loss += sample_loss(job.loss, act.zo, job.y[s]);
    e.correct += classified_correctly(act.zo, job.y[s]) ? 1 : 0;
  }
  e.loss = loss / static_cast<float>(job.samples);
  return e;
}

}  // namespace symbreak
