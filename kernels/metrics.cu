// The metrics kernel: one thread per network runs measure_network (metrics.cuh), so only
// per-network results cross to the host.
#include "cuda_check.cuh"
#include "device_launch.hpp"
#include "metrics.cuh"

namespace symbreak {

__global__ void kernel_measure(DeviceNetworks nets, double tol, int max_depth, int max_width,
                               NetworkMetrics* metrics, int* distinct, int* parent, double* norm) {
  const int k = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (k >= nets.count) return;
  const NetworkShape shape = nets.jobs[nets.network_job[k]].shape;
  const long long scratch = static_cast<long long>(k) * max_width;
  metrics[k] = measure_network(shape, nets.params + nets.offset[k], nets.initial + nets.offset[k],
                               tol, distinct + static_cast<long long>(k) * max_depth,
                               parent + scratch, norm + scratch);
}

void launch_measure(const DeviceNetworks& nets, double tol, int max_depth, int max_width,
                    NetworkMetrics* metrics, int* distinct, int* parent, double* norm,
                    cudaStream_t stream) {
  if (nets.count == 0) return;
  constexpr int kBlock = 128;
  kernel_measure<<<(nets.count + kBlock - 1) / kBlock, kBlock, 0, stream>>>(
      nets, tol, max_depth, max_width, metrics, distinct, parent, norm);
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace symbreak
