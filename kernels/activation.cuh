// Hidden activations of docs/method.md §2 and their derivatives as functions of the pre-activation
// z, for the float engines (GPU kernels and the cpu engine). cpu-ref states them again, plainly, in
// double.
#pragma once

#include <cmath>
#include <cstdint>

#include "host_device.cuh"

namespace symbreak {

enum class Activation : std::uint8_t { sigmoid, tanh, relu, leaky_relu, linear };

inline constexpr int kActivationCount = 5;

template <class Real>
SYMBREAK_HD inline Real logistic(Real z) {
  return Real(1) / (Real(1) + exp(-z));
}

template <class Real>
SYMBREAK_HD inline Real activate(Activation f, Real z) {
  switch (f) {
    case Activation::sigmoid:
      return logistic(z);
    case Activation::tanh:
      return tanh(z);
    case Activation::relu:
      return z > Real(0) ? z : Real(0);
    case Activation::leaky_relu:
      return z > Real(0) ? z : Real(0.01) * z;
    default:
      return z;
  }
}

// f'(z) given z and a = f(z); sigmoid and tanh use a as PyTorch's autograd does.
template <class Real>
SYMBREAK_HD inline Real activation_derivative(Activation f, Real z, Real a) {
  switch (f) {
    case Activation::sigmoid:
      return a * (Real(1) - a);
    case Activation::tanh:
      return Real(1) - a * a;
    case Activation::relu:
      return z > Real(0) ? Real(1) : Real(0);
    case Activation::leaky_relu:
      return z > Real(0) ? Real(1) : Real(0.01);
    default:
      return Real(1);
  }
}

}  // namespace symbreak
