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

// f, or f', for every neuron of a layer. The switch on the activation runs once per layer and
// sample, outside the loop over the neurons, and each case is one straight run of the same
// function over the layer: no per-neuron branch in the GPU kernels' sample loop, and on the host
// (packs of lanes, float_pack.hpp) a layer's tanh chains are independent work the CPU overlaps.
// Each neuron still gets exactly the operations activate() and activation_derivative() do.
template <Activation F, class Real, int N>
SYMBREAK_HD SYMBREAK_MATH_INLINE void activate_each(const Real (&z)[N], Real (&a)[N]) {
  SYMBREAK_UNROLL_ALWAYS
  for (int i = 0; i < N; ++i)
    a[i] = activate(F, z[i]);
}

template <Activation F, class Real, int N>
SYMBREAK_HD SYMBREAK_MATH_INLINE void derivative_each(const Real (&z)[N], const Real (&a)[N],
                                                      Real (&d)[N]) {
  SYMBREAK_UNROLL
  for (int i = 0; i < N; ++i)
    d[i] = activation_derivative(F, z[i], a[i]);
}

// body.template operator()<F>() with the activation f as a compile-time constant: the one switch
// on the activation that activate_layer and derivative_layer share.
template <class Body>
SYMBREAK_HD SYMBREAK_MATH_INLINE void with_activation(Activation f, const Body& body) {
  switch (f) {
    case Activation::sigmoid:
      return body.template operator()<Activation::sigmoid>();
    case Activation::tanh:
      return body.template operator()<Activation::tanh>();
    case Activation::relu:
      return body.template operator()<Activation::relu>();
    case Activation::leaky_relu:
      return body.template operator()<Activation::leaky_relu>();
    default:
      return body.template operator()<Activation::linear>();
  }
}

// a[i] = f(z[i]) for the N neurons of a layer.
template <class Real, int N>
SYMBREAK_HD SYMBREAK_MATH_INLINE void activate_layer(Activation f, const Real (&z)[N],
                                                     Real (&a)[N]) {
  with_activation(f, [&]<Activation F>() { activate_each<F>(z, a); });
}

// d[i] = f'(z[i]) from z[i] and a[i] = f(z[i]), for the N neurons of a layer.
template <class Real, int N>
SYMBREAK_HD SYMBREAK_MATH_INLINE void derivative_layer(Activation f, const Real (&z)[N],
                                                       const Real (&a)[N], Real (&d)[N]) {
  with_activation(f, [&]<Activation F>() { derivative_each<F>(z, a, d); });
}

}  // namespace symbreak
