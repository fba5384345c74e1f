// One parameter's update (docs/method.md §4), PyTorch's classical momentum: v <- mu v + g;
// θ <- θ - lr v, with g the batch mean of the gradient. Every kernel and the cpu engine update
// through this.
#pragma once

#include "host_device.cuh"

namespace symbreak {

// grad_sum: the gradient summed over the batch; inv_count: 1 / batch size.
// Real: float, or a pack of floats (float_pack.hpp) updating one network per lane.
template <bool MOMENTUM, class Real>
SYMBREAK_HD inline void sgd_step(Real& theta, Real& velocity, Real grad_sum, float inv_count,
                                 float lr, float momentum) {
  if constexpr (MOMENTUM) {
    velocity = momentum * velocity + grad_sum * inv_count;
    theta -= lr * velocity;
  } else {
    theta -= lr * (grad_sum * inv_count);
  }
}

}  // namespace symbreak
