// The per-warp fused kernel: a thin wrapper that gives each warp its network and runs
// fused_warp_train (fused_warp.cuh) with DeviceWarp, one lane per neuron. One instantiation per
// depth and update rule that warp_kernel_trains (kernel_choice.cuh) names.
#include <stdexcept>

#include "cuda_check.cuh"
#include "device_launch.hpp"
#include "fused_warp.cuh"
#include "kernel_choice.cuh"

namespace symbreak {

template <int DEPTH, UpdateRule RULE>
__global__ void kernel_fused_warp(DeviceNetworks nets, const int* networks, int count,
                                  EpochSegment segment) {
  // 64-bit: count * 32 threads pass 2^32 beyond 2^27 networks.
  const long long warp =
      (static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarpSize;
  if (warp >= count) return;  // whole warps leave together
  const int k = networks[warp];
  const TrainJob job = nets.jobs[nets.network_job[k]];
  TrainState state = nets.states[k];
  const long long offset = nets.offset[k];
  float* const moment2 = nets.moment2 == nullptr ? nullptr : nets.moment2 + offset;
  fused_warp_train<DeviceWarp, DEPTH, RULE>(job, segment, nets.params + offset,
                                            nets.velocity + offset, moment2, state);
  if ((threadIdx.x & (kWarpSize - 1)) == 0) nets.states[k] = state;
}

template <int DEPTH, UpdateRule RULE>
void launch_one(const DeviceNetworks& nets, const int* networks, int count, EpochSegment segment,
                cudaStream_t stream) {
  constexpr int kBlock = 128;  // 4 networks per block
  const long long threads = static_cast<long long>(count) * kWarpSize;
  const int blocks = static_cast<int>((threads + kBlock - 1) / kBlock);
  kernel_fused_warp<DEPTH, RULE><<<blocks, kBlock, 0, stream>>>(nets, networks, count, segment);
}

// A plain switch: with_update_rule (optimizer_step.cuh) is host-and-device code, which may not
// call a host lambda.
template <int DEPTH>
void launch_fused_warp_depth(UpdateRule rule, const DeviceNetworks& nets, const int* networks,
                             int count, EpochSegment segment, cudaStream_t stream) {
  switch (rule) {
    case UpdateRule::sgd:
      launch_one<DEPTH, UpdateRule::sgd>(nets, networks, count, segment, stream);
      break;
    case UpdateRule::momentum:
      launch_one<DEPTH, UpdateRule::momentum>(nets, networks, count, segment, stream);
      break;
    case UpdateRule::adam:
      // No depth-2 variant: it would spill (warp_kernel_trains); choose_kernel never asks for it.
      if constexpr (warp_kernel_trains(DEPTH, UpdateRule::adam)) {
        launch_one<DEPTH, UpdateRule::adam>(nets, networks, count, segment, stream);
      } else {
        throw std::invalid_argument("launch_fused_warp: no per-warp Adam kernel at this depth");
      }
      break;
    case UpdateRule::rmsprop:
      launch_one<DEPTH, UpdateRule::rmsprop>(nets, networks, count, segment, stream);
      break;
  }
}

void launch_fused_warp(int depth, UpdateRule rule, const DeviceNetworks& nets, const int* networks,
                       int count, EpochSegment segment, cudaStream_t stream) {
  if (count == 0) return;
  if (depth == 1) {
    launch_fused_warp_depth<1>(rule, nets, networks, count, segment, stream);
  } else {
    launch_fused_warp_depth<2>(rule, nets, networks, count, segment, stream);
  }
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace symbreak
