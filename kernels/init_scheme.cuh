// Initialisation schemes of docs/method.md §5 as plain values that can be copied to the GPU.
// Parsing and printing of their command-line names lives in host/config/init_scheme_names.
#pragma once

#include <cstdint>

namespace symbreak {

enum class WeightScheme : std::uint8_t {
  zeros,
  constant,        // param = c
  uniform,         // param = a: U(-a, a)
  normal,          // param = s: N(0, s^2)
  xavier_uniform,  // param = g (gain)
  xavier_normal,
  he_uniform,
  he_normal,
  lecun_uniform,
  lecun_normal,
  trunc_normal,  // param = s, draws beyond 2s redrawn
  torch_linear,  // U(+-1/sqrt(fan_in))
  orthogonal,    // param = g
  identity,      // param = g
  hadamard,      // ZerO
};

// How a drawn matrix is shared across the neurons of a layer (docs/method.md §5.1, `tied:` and
// `symmetric:`).
enum class Sharing : std::uint8_t { independent, tied, symmetric };

struct WeightInit {
  WeightScheme scheme = WeightScheme::zeros;
  Sharing sharing = Sharing::independent;
  double param = 0.0;
};

enum class BiasScheme : std::uint8_t {
  zeros,
  constant,      // param = c
  uniform,       // param = a
  normal,        // param = s
  torch_linear,  // U(+-1/sqrt(fan_in))
};

struct BiasInit {
  BiasScheme scheme = BiasScheme::zeros;
  double param = 0.0;
};

}  // namespace symbreak
