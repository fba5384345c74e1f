// The only cross-lane operations the per-warp kernel needs, a warp sum and a broadcast, in two
// interchangeable forms: DeviceWarp, where each GPU thread holds one lane, and HostWarp, which
// holds all 32 lanes in arrays and performs the same butterfly in the same order. Code written
// against this interface (fused_warp.cuh) therefore runs unchanged on the GPU and on the host.
#pragma once

#include "host_device.cuh"

namespace symbreak {

inline constexpr int kWarpSize = 32;

// All 32 lanes in one object; lane l's value of a per-lane quantity is v[l].
struct HostWarp {
  static constexpr int kLanes = kWarpSize;
  static int lane(int l) { return l; }

  // Butterfly (xor) reduction: after step o every lane holds v[l] + v[l ^ o], exactly as
  // __shfl_xor_sync does on the GPU, so the sum is bitwise the one the device computes. Only lane
  // 0's result is returned, and after step o it depends only on lanes below o, where l ^ o is
  // l + o: so only those are computed (31 additions, not 160). T: float, or a pack of floats
  // holding one network per pack lane.
  template <class T>
  static T sum(const T (&v)[kLanes]) {
    T t[kLanes / 2];
    for (int l = 0; l < kLanes / 2; ++l)
      t[l] = v[l] + v[l + kLanes / 2];
    for (int o = kWarpSize / 4; o > 0; o /= 2) {
      for (int l = 0; l < o; ++l)
        t[l] = t[l] + t[l + o];
    }
    return t[0];
  }

  template <class T>
  static T broadcast(const T (&v)[kLanes], int source_lane) {
    return v[source_lane];
  }
};

#if defined(__CUDACC__)
// One lane per thread; all 32 threads of the warp must call every operation together.
struct DeviceWarp {
  static constexpr int kLanes = 1;
  static constexpr unsigned kAll = 0xffffffffu;
  __device__ static int lane(int) { return static_cast<int>(threadIdx.x) & (kWarpSize - 1); }

  __device__ static float sum(const float (&v)[kLanes]) {
    float t = v[0];
    SYMBREAK_UNROLL
    for (int o = kWarpSize / 2; o > 0; o /= 2)
      t = t + __shfl_xor_sync(kAll, t, o);
    return t;
  }

  __device__ static float broadcast(const float (&v)[kLanes], int source_lane) {
    return __shfl_sync(kAll, v[0], source_lane);
  }
};
#endif

}  // namespace symbreak
