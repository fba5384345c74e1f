// The output unit in the layered path: the loss's delta per sample (docs/method.md §3) and, per
// network, the evaluation that feeds epoch_solved, the final loss and the accuracy
// (docs/method.md §6).
#pragma once

#include "host_device.cuh"
#include "layered_batch.cuh"
#include "loss.cuh"

namespace symbreak {

// idx in [0, networks * count).
struct OutputDeltaOp {
  LayeredBatch b;
  int first;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const int sample = static_cast<int>(idx % count), net = static_cast<int>(idx / count);
    const long long index = b.unit_index(b.job.shape.layers(), net, sample, 0);
    b.delta[index] = output_delta(b.job.loss, b.z[index], b.job.y[first + sample]);
  }
};

// idx in [0, networks): adds the batch's losses and correct classifications, in sample order.
struct EvaluateOp {
  LayeredBatch b;
  int first;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const int net = static_cast<int>(idx);
    float loss = b.loss_sum[net];
    int correct = b.correct[net];
    for (int s = 0; s < count; ++s) {
      const float z = b.z[b.unit_index(b.job.shape.layers(), net, s, 0)];
      const float y = b.job.y[first + s];
      loss += sample_loss(b.job.loss, z, y);
      correct += classified_correctly(z, y) ? 1 : 0;
    }
    b.loss_sum[net] = loss;
    b.correct[net] = correct;
  }
};

// idx in [0, networks): closes an evaluation of the parameters after `epoch` epochs.
struct FinishEvaluationOp {
  LayeredBatch b;
  int epoch;
  bool final;  // store loss and accuracy in the state

  SYMBREAK_HD void operator()(long long idx) const {
    const int net = static_cast<int>(idx);
    TrainState& st = b.state[net];
    const int n = b.job.samples;
    if (b.correct[net] == n && st.epoch_solved < 0) st.epoch_solved = epoch;
    if (final) {
      st.loss = b.loss_sum[net] / static_cast<float>(n);
      st.correct = b.correct[net];
    }
    b.loss_sum[net] = 0.0f;
    b.correct[net] = 0;
  }
};

}  // namespace symbreak
