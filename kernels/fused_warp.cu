// The per-warp fused kernel: a thin wrapper that gives each warp its network and runs
// fused_warp_train (fused_warp.cuh) with DeviceWarp, one lane per neuron.
#include "cuda_check.cuh"
#include "device_launch.hpp"
#include "fused_warp.cuh"

namespace symbreak {

template <int DEPTH, bool MOMENTUM>
__global__ void kernel_fused_warp(DeviceNetworks nets, const int* networks, int count,
                                  EpochSegment segment) {
  // 64-bit: count * 32 threads pass 2^32 beyond 2^27 networks.
  const long long warp =
      (static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarpSize;
  if (warp >= count) return;  // whole warps leave together
  const int k = networks[warp];
  const TrainJob job = nets.jobs[nets.network_job[k]];
  TrainState state = nets.states[k];
  fused_warp_train<DeviceWarp, DEPTH, MOMENTUM>(job, segment, nets.params + nets.offset[k],
                                                nets.velocity + nets.offset[k], state);
  if ((threadIdx.x & (kWarpSize - 1)) == 0) nets.states[k] = state;
}

void launch_fused_warp(int depth, bool momentum, const DeviceNetworks& nets, const int* networks,
                       int count, EpochSegment segment, cudaStream_t stream) {
  if (count == 0) return;
  constexpr int kBlock = 128;  // 4 networks per block
  const long long threads = static_cast<long long>(count) * kWarpSize;
  const int blocks = static_cast<int>((threads + kBlock - 1) / kBlock);
  if (depth == 1) {
    momentum
        ? kernel_fused_warp<1, true><<<blocks, kBlock, 0, stream>>>(nets, networks, count, segment)
        : kernel_fused_warp<1, false>
        <<<blocks, kBlock, 0, stream>>>(nets, networks, count, segment);
  } else {
    momentum
        ? kernel_fused_warp<2, true><<<blocks, kBlock, 0, stream>>>(nets, networks, count, segment)
        : kernel_fused_warp<2, false>
        <<<blocks, kBlock, 0, stream>>>(nets, networks, count, segment);
  }
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace symbreak
