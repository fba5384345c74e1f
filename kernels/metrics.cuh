// docs/method.md §6 per network on final float parameters, for the float engines: distinct neurons
// D_l per hidden layer with the tolerance rule, frozen (weights bit-for-bit unchanged) and
// finiteness. One thread measures one network; the kernel in metrics.cu and the cpu engine call the
// same code. cpu-ref measures its double parameters with its own code
// (host/engines/reference_metrics.cpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "float_math.cuh"
#include "host_device.cuh"
#include "network_shape.cuh"

namespace symbreak {

SYMBREAK_HD inline bool is_finite(float x) {
#if defined(__CUDA_ARCH__)
  return isfinite(x);
#else
  return std::isfinite(x);
#endif
}

struct NetworkMetrics {
  bool frozen = false;  // every weight equal to its initial value, bit for bit
  bool finite = true;   // no NaN or infinity among the parameters
  // An FNV-1a-style hash of the final parameters' bit patterns, in layout order: two engines that
  // computed the same bits agree here (verify --exact compares it).
  std::uint64_t fingerprint = 0;
};

// Entry k of neuron i's parameter vector θ_i = [W_l[i,:], b_l[i], W_{l+1}[:,i]].
SYMBREAK_HD inline double neuron_entry(const NetworkShape& s, const float* params, int l, int i,
                                       int k) {
  const int fan_in = s.units(l - 1);
  if (k < fan_in) return params[s.weight_offset(l) + static_cast<long long>(i) * fan_in + k];
  if (k == fan_in) return params[s.bias_offset(l) + i];
  const int row = k - fan_in - 1;
  return params[s.weight_offset(l + 1) + static_cast<long long>(row) * s.units(l) + i];
}

SYMBREAK_HD inline int neuron_length(const NetworkShape& s, int l) {
  return s.units(l - 1) + 1 + s.units(l + 1);
}

SYMBREAK_HD inline int find_root(int* parent, int i) {
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

// D_l of hidden layer l. Scratch: parent[width] ints and norm[width] doubles.
SYMBREAK_HD inline int distinct_in_layer(const NetworkShape& s, const float* params, int l,
                                         double tol, int* parent, double* norm) {
  const int width = s.units(l), length = neuron_length(s, l);
  for (int i = 0; i < width; ++i) {
    parent[i] = i;
    double m = 0.0;
    for (int k = 0; k < length; ++k)
      m = fmax(m, fabs(neuron_entry(s, params, l, i, k)));
    norm[i] = m;
  }
  int groups = width;
  for (int i = 0; i < width; ++i) {
    for (int j = i + 1; j < width; ++j) {
      const int ri = find_root(parent, i), rj = find_root(parent, j);
      if (ri == rj) continue;
      const double limit = tol * (1.0 + fmax(norm[i], norm[j]));
      bool tied = true;
      for (int k = 0; k < length && tied; ++k) {
        tied = fabs(neuron_entry(s, params, l, i, k) - neuron_entry(s, params, l, j, k)) <= limit;
      }
      if (tied) {
        parent[rj] = ri;
        --groups;
      }
    }
  }
  return groups;
}

// The bits a parameter contributes to the fingerprint. IEEE 754 leaves a NaN's sign and payload to
// the hardware (x86 makes 0xffc00000, NVIDIA GPUs 0x7fffffff), so every NaN counts as one value:
// two engines that computed the same numbers agree even where a network diverged.
SYMBREAK_HD inline std::uint32_t fingerprint_bits(float x) {
  const std::uint32_t bits = float_bits(x);
  return (bits & 0x7fffffffu) > 0x7f800000u ? 0x7fc00000u : bits;
}

// A network's fingerprint: FNV-1a over its parameters' fingerprint bits, in flat order, from
// kFingerprintBasis.
inline constexpr std::uint64_t kFingerprintBasis = 14695981039346656037ull;

SYMBREAK_HD inline std::uint64_t fingerprint_step(std::uint64_t hash, float x) {
  return (hash ^ fingerprint_bits(x)) * 1099511628211ull;
}

SYMBREAK_HD inline std::uint64_t fingerprint_of(const float* params, long long count) {
  std::uint64_t hash = kFingerprintBasis;
  for (long long k = 0; k < count; ++k)
    hash = fingerprint_step(hash, params[k]);
  return hash;
}

// distinct[l - 1] = D_l for l = 1 ... depth. Scratch as for distinct_in_layer.
SYMBREAK_HD inline NetworkMetrics measure_network(const NetworkShape& s, const float* params,
                                                  const float* initial, double tol, int* distinct,
                                                  int* parent, double* norm) {
  NetworkMetrics m;
  std::uint64_t hash = kFingerprintBasis;
  for (long long k = 0; k < s.parameter_count(); ++k) {
    m.finite = m.finite && is_finite(params[k]);
    hash = fingerprint_step(hash, params[k]);
  }
  m.fingerprint = hash;
  m.frozen = true;
  for (int l = 1; l <= s.layers(); ++l) {
    const long long first = s.weight_offset(l), last = first + s.weight_count(l);
    for (long long k = first; k < last; ++k) {
      // Compare bit patterns: -0 and +0 differ, and a NaN never equals itself.
      m.frozen = m.frozen && float_bits(params[k]) == float_bits(initial[k]);
    }
  }
  for (int l = 1; l <= s.depth; ++l)
    distinct[l - 1] = distinct_in_layer(s, params, l, tol, parent, norm);
  return m;
}

}  // namespace symbreak
