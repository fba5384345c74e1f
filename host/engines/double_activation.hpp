// The hidden activations of docs/method.md §2 in double, for code that measures float networks
// on the host (the test-set evaluation) and for tests that write the definitions out. cpu-ref
// keeps its own copy, so that the oracle shares no arithmetic with what it checks.
#pragma once

#include <cmath>

#include "kernels/activation.cuh"

namespace symbreak {

inline double activation_in_double(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid:
      return 1.0 / (1.0 + std::exp(-z));
    case Activation::tanh:
      return std::tanh(z);
    case Activation::relu:
      return z > 0.0 ? z : 0.0;
    case Activation::leaky_relu:
      return z > 0.0 ? z : 0.01 * z;
    case Activation::linear:
      break;
  }
  return z;
}

}  // namespace symbreak
