// Hidden activations of docs/method.md §2 and their derivatives as functions of the pre-activation
// z, for the float engines (GPU kernels and the cpu engine). cpu-ref states them again, plainly, in
// double.
#pragma once

#include <cstdint>

#include "float_math.cuh"
#include "host_device.cuh"

namespace symbreak {

enum class Activation : std::uint8_t { sigmoid, tanh, relu, leaky_relu, linear };

inline constexpr int kActivationCount = 5;

SYMBREAK_HD inline float activate(Activation f, float z) {
  switch (f) {
    case Activation::sigmoid:
      return logistic_f(z);
    case Activation::tanh:
      return tanh_f(z);
    case Activation::relu:
      return z > 0.0f ? z : 0.0f;
    case Activation::leaky_relu:
      return z > 0.0f ? z : 0.01f * z;
    default:
      return z;
  }
}

// f'(z) given z and a = f(z); sigmoid and tanh use a as PyTorch's autograd does.
SYMBREAK_HD inline float activation_derivative(Activation f, float z, float a) {
  switch (f) {
    case Activation::sigmoid:
      return a * (1.0f - a);
    case Activation::tanh:
      return fma_f(-a, a, 1.0f);  // 1 - a^2 with one rounding
    case Activation::relu:
      return z > 0.0f ? 1.0f : 0.0f;
    case Activation::leaky_relu:
      return z > 0.0f ? 1.0f : 0.01f;
    default:
      return 1.0f;
  }
}

}  // namespace symbreak
