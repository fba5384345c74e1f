// Initialisation on the GPU: one thread per network runs init_network (init_params.cuh), the very
// code cpu-ref runs, in double, and rounds each value to float once.
#include "cuda_check.cuh"
#include "device_launch.hpp"
#include "init_params.cuh"

namespace symbreak {

__global__ void kernel_init_params(DeviceNetworks nets, std::uint32_t seed, double* scratch) {
  const int k = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (k >= nets.count) return;
  const int j = nets.network_job[k];
  const NetworkShape shape = nets.jobs[j].shape;
  double* values = scratch + nets.offset[k];
  init_network(nets.weight_init[j], nets.bias_init[j], shape, DrawKey{seed, nets.replicate[k]},
               values);
  for (long long i = 0; i < shape.parameter_count(); ++i) {
    const float v = static_cast<float>(values[i]);
    nets.params[nets.offset[k] + i] = v;
    nets.initial[nets.offset[k] + i] = v;
  }
}

void launch_init_params(const DeviceNetworks& nets, std::uint32_t seed, double* scratch,
                        cudaStream_t stream) {
  if (nets.count == 0) return;
  constexpr int kBlock = 128;
  kernel_init_params<<<(nets.count + kBlock - 1) / kBlock, kBlock, 0, stream>>>(nets, seed, scratch);
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace symbreak
