// Compiled only by scripts/gpu-static-analysis.py, never built or run: the fused kernels' training
// code (fused_thread_train<1, 8, 2, UpdateRule::sgd>, the instantiation kernel_fused_thread runs
// for the standard workload, and fused_warp_train<DeviceWarp, 1, UpdateRule::sgd>) with the
// standard workload's job known to the compiler — xor (4 samples, 2 inputs), depth 1, width 8,
// tanh, bce, full batch, lr 0.5, no momentum — so that every runtime switch and mask folds away and
// the only loops left are the epoch loop and the sample loop. Data, parameters and the epoch count
// stay runtime values.
#include "kernels/fused_thread.cuh"
#include "kernels/fused_warp.cuh"

namespace symbreak {

__device__ inline TrainJob standard_job(const float* x, const float* y) {
  TrainJob job;
  job.shape = NetworkShape{2, 8, 1};  // inputs, width, depth
  job.samples = 4;
  job.batch = 4;  // full batch
  job.activation = Activation::tanh;
  job.loss = Loss::bce;
  job.lr = 0.5f;
  job.momentum = 0.0f;
  job.x = x;
  job.y = y;
  return job;
}

// One network per thread, as kernel_fused_thread<1, 8, 2, UpdateRule::sgd>; 33 parameters per
// network.
__global__ void probe_fused_thread(float* params, const float* x, const float* y,
                                   TrainState* states, int epochs) {
  const int k = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  TrainState state = states[k];
  fused_thread_train<1, 8, 2, UpdateRule::sgd>(standard_job(x, y), EpochSegment{0, epochs},
                                               params + k * 33, nullptr, nullptr, state);
  states[k] = state;
}

// One network per warp, as kernel_fused_warp<1, UpdateRule::sgd>.
__global__ void probe_fused_warp(float* params, const float* x, const float* y, TrainState* states,
                                 int epochs) {
  const int k = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) / kWarpSize);
  TrainState state = states[k];
  fused_warp_train<DeviceWarp, 1, UpdateRule::sgd>(standard_job(x, y), EpochSegment{0, epochs},
                                                   params + k * 33, nullptr, nullptr, state);
  if ((threadIdx.x & (kWarpSize - 1)) == 0) states[k] = state;
}

}  // namespace symbreak
