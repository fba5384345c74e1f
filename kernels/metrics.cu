// The metrics kernel: one thread per network runs measure_network (metrics.cuh), so only
// per-network results cross to the host.
#include "cuda_check.cuh"
#include "device_launch.hpp"
#include "metrics.cuh"

namespace symbreak {

__global__ void kernel_measure(DeviceNetworks nets, double tol, const long long* depth_offset,
                               const long long* width_offset, NetworkMetrics* metrics,
                               int* distinct, int* parent, double* norm) {
  const long long k = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (k >= nets.count) return;
  const NetworkShape shape = nets.jobs[nets.network_job[k]].shape;
  metrics[k] =
      measure_network(shape, nets.params + nets.offset[k], nets.initial + nets.offset[k], tol,
                      distinct + depth_offset[k], parent + width_offset[k], norm + width_offset[k]);
}

void launch_measure(const DeviceNetworks& nets, double tol, const long long* depth_offset,
                    const long long* width_offset, NetworkMetrics* metrics, int* distinct,
                    int* parent, double* norm, cudaStream_t stream) {
  if (nets.count == 0) return;
  constexpr int kBlock = 128;
  kernel_measure<<<(nets.count + kBlock - 1) / kBlock, kBlock, 0, stream>>>(
      nets, tol, depth_offset, width_offset, metrics, distinct, parent, norm);
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace symbreak
