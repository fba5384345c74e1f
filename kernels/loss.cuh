// Losses of docs/method.md §3 for the float engines: per-sample loss from the output logit and the
// output delta dl/dz. cpu-ref states them again, plainly, in double.
#pragma once

#include <cmath>
#include <cstdint>

#include "activation.cuh"
#include "host_device.cuh"

namespace symbreak {

enum class Loss : std::uint8_t { bce, mse };

// softplus(z) - y z, computed without overflow for large |z|.
template <class Real>
SYMBREAK_HD inline Real sample_loss(Loss loss, Real z, Real y) {
  if (loss == Loss::bce) {
    const Real softplus = (z > Real(0) ? z : Real(0)) + log1p(exp(-fabs(z)));
    return softplus - y * z;
  }
  const Real e = logistic(z) - y;
  return Real(0.5) * e * e;
}

template <class Real>
SYMBREAK_HD inline Real output_delta(Loss loss, Real z, Real y) {
  const Real p = logistic(z);
  return loss == Loss::bce ? p - y : (p - y) * p * (Real(1) - p);
}

}  // namespace symbreak
