// Runs an element operation (an object with `void operator()(long long) const`) over an index
// range: on the host in a plain loop, on the GPU as one launch of a thin kernel. The layered
// trainer is written against this, so the same operations run in CI and on the device.
#pragma once

#include "host_device.cuh"

#if defined(__CUDACC__)
#include <cuda_runtime.h>

#include "cuda_check.cuh"
#endif

namespace symbreak {

struct HostExecutor {
  template <class Op>
  void run(long long count, const Op& op) const {
    for (long long i = 0; i < count; ++i)
      op(i);
  }
};

#if defined(__CUDACC__)
template <class Op>
__global__ void kernel_for_each(Op op, long long count) {
  const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) op(i);
}

struct DeviceExecutor {
  cudaStream_t stream = nullptr;
  static constexpr int kBlock = 256;

  template <class Op>
  void run(long long count, const Op& op) const {
    if (count <= 0) return;
    const long long blocks = (count + kBlock - 1) / kBlock;
    kernel_for_each<<<static_cast<unsigned>(blocks), kBlock, 0, stream>>>(op, count);
    CUDA_CHECK(cudaGetLastError());
  }
};
#endif

}  // namespace symbreak
