// Losses of docs/method.md §3 for the float engines: per-sample loss from the output logit and the
// output delta dl/dz. cpu-ref states them again, plainly, in double.
#pragma once

#include <cstdint>

#include "activation.cuh"
#include "float_math.cuh"
#include "host_device.cuh"

namespace symbreak {

enum class Loss : std::uint8_t { bce, mse };

// softplus(z) - y z, computed without overflow for large |z|.
SYMBREAK_HD inline float sample_loss(Loss loss, float z, float y) {
  if (loss == Loss::bce) {
    const float softplus = (z > 0.0f ? z : 0.0f) + log1p_f(exp_f(-abs_f(z)));
    return softplus - y * z;
  }
  const float e = logistic_f(z) - y;
  return 0.5f * e * e;
}

SYMBREAK_HD inline float output_delta(Loss loss, float z, float y) {
  const float p = logistic_f(z);
  return loss == Loss::bce ? p - y : (p - y) * p * (1.0f - p);
}

}  // namespace symbreak
