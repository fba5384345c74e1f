// The output unit in the layered path: the loss's delta per sample (docs/method.md §3) and, per
// network, the evaluation that feeds epoch_solved, the final loss and the accuracy
// (docs/method.md §6).
#pragma once

#include "host_device.cuh"
#include "layered_batch.cuh"
#include "loss.cuh"

namespace symbreak {

// idx in [0, networks * count).
template <class Real = float>
struct OutputDeltaOp {
  LayeredBatchOf<Real> b;
  int first;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const int sample = static_cast<int>(idx % count), net = static_cast<int>(idx / count);
    const long long index = b.unit_index(b.job.shape.layers(), net, sample, 0);
    b.delta[index] = output_delta(b.job.loss, b.z[index], b.job.y[first + sample]);
  }
};

// idx in [0, networks): adds the batch's losses and correct classifications, in sample order.
template <class Real = float>
struct EvaluateOp {
  LayeredBatchOf<Real> b;
  int first;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const int net = static_cast<int>(idx);
    Real loss = b.loss_sum[net];
    typename LayeredBatchOf<Real>::Count correct = b.correct[net];
    for (int s = 0; s < count; ++s) {
      const Real z = b.z[b.unit_index(b.job.shape.layers(), net, s, 0)];
      const float y = b.job.y[first + s];
      loss += sample_loss(b.job.loss, z, y);
      correct += correct_count(z, y);
    }
    b.loss_sum[net] = loss;
    b.correct[net] = correct;
  }
};

// idx in [0, networks): closes an evaluation of the parameters after `epoch` epochs.
template <class Real = float>
struct FinishEvaluationOp {
  LayeredBatchOf<Real> b;
  int epoch;
  bool final;  // store loss and accuracy in the state

  SYMBREAK_HD void operator()(long long idx) const {
    const int net = static_cast<int>(idx);
    typename LayeredBatchOf<Real>::State& st = b.state[net];
    const int n = b.job.samples;
    note_solved(st, b.correct[net], n, epoch);
    if (final) {
      st.loss = b.loss_sum[net] / static_cast<float>(n);
      st.correct = b.correct[net];
    }
    b.loss_sum[net] = 0.0f;
    b.correct[net] = 0;
  }
};

}  // namespace symbreak
