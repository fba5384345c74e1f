// The layered path on the GPU: layered_train (layered_train.cuh) with the element operations
// launched as kernels, and the dense products either custom (one thread per output element) or
// cuBLAS batched GEMMs across the configuration's networks.
#include "cublas_check.cuh"
#include "cublas_handle.hpp"
#include "device_launch.hpp"
#include "for_each.cuh"
#include "layered_train.cuh"

namespace symbreak {
namespace {

// The three dense products with cublasSgemmStridedBatched, one GEMM per layer for all networks.
// Column-major views: network k's W_l ([n_l][n_{l-1}] row-major) is an n_{l-1} x n_l matrix with
// leading dimension n_{l-1}; a layer block [capacity][n_l] is an n_l x capacity matrix.
// The inputs of layer l for a batch starting at sample `first`, as a batched matrix: the task's x
// is shared by all networks (stride 0), later layers read each network's activations.
struct BatchedInput {
  const float* data;
  long long stride;
};

BatchedInput layer_input_matrix(const LayeredBatch& b, int l, int first) {
  const int inner = b.job.shape.units(l - 1);
  if (l == 1) return BatchedInput{b.job.x + static_cast<long long>(first) * inner, 0};
  return BatchedInput{b.a + b.layer_block(l - 1), static_cast<long long>(b.capacity) * inner};
}

struct CublasProducts {
  const CublasHandle& cublas;
  DeviceExecutor exec;

  void forward(const LayeredBatch& b, int l, int first, int count, long long step) const {
    const NetworkShape& s = b.job.shape;
    const int rows = s.units(l), inner = s.units(l - 1);
    const float one = 1.0f, zero = 0.0f;
    // Z_l = W_l · A_{l-1}.
    const BatchedInput input = layer_input_matrix(b, l, first);
    CUBLAS_CHECK(cublas.library().sgemm_strided_batched(
        cublas.get(), CUBLAS_OP_T, CUBLAS_OP_N, rows, count, inner, &one,
        b.params + s.weight_offset(l), inner, b.parameter_count(), input.data, inner, input.stride,
        &zero, b.z + b.layer_block(l), rows, static_cast<long long>(b.capacity) * rows,
        b.networks));
    exec.run(static_cast<long long>(b.networks) * count * rows,
             BiasActivationOp<>{b, l, first, count, step});
  }

  void backward(const LayeredBatch& b, int l, int count) const {
    const NetworkShape& s = b.job.shape;
    const int rows = s.units(l - 1), inner = s.units(l);
    const float one = 1.0f, zero = 0.0f;
    // δ_{l-1} = W_lᵀ · δ_l, then ⊙ f'(z_{l-1}).
    CUBLAS_CHECK(cublas.library().sgemm_strided_batched(
        cublas.get(), CUBLAS_OP_N, CUBLAS_OP_N, rows, count, inner, &one,
        b.params + s.weight_offset(l), rows, b.parameter_count(), b.delta + b.layer_block(l), inner,
        static_cast<long long>(b.capacity) * inner, &zero, b.delta + b.layer_block(l - 1), rows,
        static_cast<long long>(b.capacity) * rows, b.networks));
    exec.run(static_cast<long long>(b.networks) * count * rows, DerivativeOp<>{b, l - 1, count});
  }

  void update(const LayeredBatch& b, int l, int first, int count, long long step,
              const UpdateScalars& k) const {
    const NetworkShape& s = b.job.shape;
    const int rows = s.units(l), cols = s.units(l - 1);
    const float one = 1.0f, zero = 0.0f;
    // G_l = δ_l · A_{l-1}ᵀ summed over the batch, stored row-major like W_l: as a column-major
    // cols x rows matrix it is A_{l-1} · δ_lᵀ.
    const BatchedInput input = layer_input_matrix(b, l, first);
    CUBLAS_CHECK(cublas.library().sgemm_strided_batched(
        cublas.get(), CUBLAS_OP_N, CUBLAS_OP_T, cols, rows, count, &one, input.data, cols,
        input.stride, b.delta + b.layer_block(l), rows, static_cast<long long>(b.capacity) * rows,
        &zero, b.grad + s.weight_offset(l), cols, b.parameter_count(), b.networks));
    exec.run(static_cast<long long>(b.networks) * rows * (cols + 1),
             GradientUpdateOp<>{b, l, first, count, step, k});
  }
};

}  // namespace

void launch_layered(const LayeredBatch& batch, EpochSegment segment, const CublasHandle* cublas,
                    cudaStream_t stream) {
  const DeviceExecutor exec{stream};
  if (cublas == nullptr) {
    layered_train(exec, CustomProducts<DeviceExecutor>{exec}, batch, segment);
    return;
  }
  CUBLAS_CHECK(cublas->library().set_stream(cublas->get(), stream));
  layered_train(exec, CublasProducts{*cublas, exec}, batch, segment);
}

}  // namespace symbreak
