// The layered algorithm for any shape (docs/method.md §9.1 `cuda` beyond the fused kernels, and
// `cublas`): per batch of samples, one launch per layer for the forward pass, the output delta, one
// per layer for the backward deltas, and one per layer for the rank-one weight-gradient update.
// `Products` decides who computes the dense products: the custom element operations
// (CustomProducts) or cuBLAS (host/cublas_products). `Exec` runs element operations on the host or
// the GPU.
#pragma once

#include "activation_derivative.cuh"
#include "dense_forward.cuh"
#include "layered_batch.cuh"
#include "output_layer.cuh"
#include "rank1_update.cuh"

namespace symbreak {

template <class Exec>
struct CustomProducts {
  Exec exec;

  // step: the training update (dropout), or < 0 for an evaluation.
  template <class Real>
  void forward(const LayeredBatchOf<Real>& b, int l, int first, int count, long long step) const {
    exec.run(static_cast<long long>(b.networks) * count * b.job.shape.units(l),
             DenseForwardOp<Real>{b, l, first, count, step});
  }
  // δ_{l-1} from δ_l.
  template <class Real>
  void backward(const LayeredBatchOf<Real>& b, int l, int count) const {
    exec.run(static_cast<long long>(b.networks) * count * b.job.shape.units(l - 1),
             BackwardDeltaOp<Real>{b, l, count});
  }
  template <class Real>
  void update(const LayeredBatchOf<Real>& b, int l, int first, int count, long long step,
              const UpdateScalars& k) const {
    exec.run(
        static_cast<long long>(b.networks) * b.job.shape.units(l) * (b.job.shape.units(l - 1) + 1),
        Rank1UpdateOp<Real>{b, l, first, count, step, k});
  }
};

// One segment of training for the b.networks networks of one configuration. Requires
// b.capacity >= b.job.batch; loss_sum and correct start at zero and are left at zero; moment2
// (Adam), mask (dropout) and replicate (dropout, gradient noise) are set where the job needs them.
// Real: float, or on the host a pack of floats (each batch network then a pack of networks).
template <class Exec, class Products, class Real>
void layered_train(const Exec& exec, const Products& products, const LayeredBatchOf<Real>& b,
                   EpochSegment segment) {
  const int n = b.job.samples, batch = b.job.batch, layers = b.job.shape.layers();
  // With dropout the training pass is not the network's output, so the full batch, too, is
  // evaluated by a pass of its own (docs/method.md §4.1: evaluation without dropout).
  const bool evaluate_in_training_pass = batch >= n && !(b.job.dropout > 0.0f);
  const long long updates = updates_per_epoch(b.job);
  const auto forward_all = [&](int first, int count, long long step) {
    for (int l = 1; l <= layers; ++l)
      products.forward(b, l, first, count, step);
  };
  const auto evaluate_all = [&](int epoch, bool final) {
    for (int first = 0; first < n; first += b.capacity) {
      const int count = n - first < b.capacity ? n - first : b.capacity;
      forward_all(first, count, -1);
      exec.run(b.networks, EvaluateOp<Real>{b, first, count});
    }
    exec.run(b.networks, FinishEvaluationOp<Real>{b, epoch, final});
  };

  for (int epoch = segment.first_epoch; epoch < segment.last_epoch; ++epoch) {
    if (!evaluate_in_training_pass) evaluate_all(epoch, false);
    for (int first = 0; first < n; first += batch) {
      const int count = n - first < batch ? n - first : batch;
      const long long step = epoch * updates + first / batch;
      forward_all(first, count, step);
      // Full batch: this forward pass sees the parameters after `epoch` epochs.
      if (evaluate_in_training_pass) exec.run(b.networks, EvaluateOp<Real>{b, first, count});
      exec.run(static_cast<long long>(b.networks) * count, OutputDeltaOp<Real>{b, first, count});
      for (int l = layers; l >= 2; --l)
        products.backward(b, l, count);
      // The update's scalars once, on the host: the same float operations on every device.
      const UpdateScalars k = update_scalars(b.job, count, step);
      for (int l = 1; l <= layers; ++l)
        products.update(b, l, first, count, step, k);
    }
    if (evaluate_in_training_pass) {
      exec.run(b.networks, FinishEvaluationOp<Real>{b, epoch, false});
    }
  }
  evaluate_all(segment.last_epoch, true);
}

}  // namespace symbreak
