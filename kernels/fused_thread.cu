// The per-thread fused kernel: a thin wrapper that gives each thread its network and runs
// fused_thread_train (fused_thread.cuh). One instantiation per thread bucket (kernel_choice.cuh).
#include "cuda_check.cuh"
#include "device_launch.hpp"
#include "fused_thread.cuh"
#include "kernel_choice.cuh"

namespace symbreak {

template <int DEPTH, int MAXW, int MAXD, UpdateRule RULE>
__global__ void kernel_fused_thread(DeviceNetworks nets, const int* slots, int slot_count,
                                    EpochSegment segment) {
  const long long slot = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (slot >= slot_count) return;
  const int k = slots[slot];
  if (k < 0) return;  // padding at the end of a job's last warp
  const TrainJob job = nets.jobs[nets.network_job[k]];
  TrainState state = nets.states[k];
  const long long offset = nets.offset[k];
  float* const moment2 = nets.moment2 == nullptr ? nullptr : nets.moment2 + offset;
  fused_thread_train<DEPTH, MAXW, MAXD, RULE>(job, segment, nets.params + offset,
                                              nets.velocity + offset, moment2, state);
  nets.states[k] = state;
}

void launch_fused_thread(int bucket, const DeviceNetworks& nets, const int* slots, int slot_count,
                         EpochSegment segment, cudaStream_t stream) {
  if (slot_count == 0) return;
  constexpr int kBlock = 128;
  const int blocks = (slot_count + kBlock - 1) / kBlock;
  dispatch_thread_bucket(bucket, [&]<int D, int W, int I, UpdateRule R>() {
    kernel_fused_thread<D, W, I, R>
        <<<blocks, kBlock, 0, stream>>>(nets, slots, slot_count, segment);
  });
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace symbreak
