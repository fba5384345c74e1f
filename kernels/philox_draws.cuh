// Counter-based draws for initialisation (docs/method.md §5.3 "Randomness"): Philox4x32-10 keyed by
// (seed, replicate), counter (element, layer, stream, attempt). Every number is a pure function of
// its coordinates, so any engine, chunking or thread order reproduces it.
//
// Families share their numbers: all uniform schemes scale the same symmetric_unit(), all Gaussian
// schemes the same standard_normal(), so xavier-normal and he-normal of one shape differ only by a
// scale factor.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

#include "host_device.cuh"

namespace symbreak {

struct DrawKey {
  std::uint32_t seed = 0;
  std::uint32_t replicate = 0;
};

// Streams keep weights and biases of the same layer independent.
enum class DrawStream : std::uint32_t { weights = 0, biases = 1 };

struct DrawSite {
  std::uint32_t layer;    // 1 ... L+1
  DrawStream stream;      // weights or biases
  std::uint32_t element;  // row-major index within the layer's matrix or bias vector
};

SYMBREAK_HD inline r123::Philox4x32::ctr_type philox_words(DrawKey key, DrawSite site,
                                                           std::uint32_t attempt) {
  const r123::Philox4x32::ctr_type counter = {
      {site.element, site.layer, static_cast<std::uint32_t>(site.stream), attempt}};
  const r123::Philox4x32::key_type philox_key = {{key.replicate, key.seed}};
  return r123::Philox4x32()(counter, philox_key);
}

// A uniform number in (-1, 1), symmetric about 0, with 52 random bits. The result is
// ((2m + 1) - 2^52) / 2^52 for a 52-bit integer m: exact in double, so every engine computes the
// same value bit for bit and a*symmetric_unit() rounds only once.
SYMBREAK_HD inline double symmetric_unit(DrawKey key, DrawSite site) {
  const auto w = philox_words(key, site, 0);
  const std::uint64_t m = (static_cast<std::uint64_t>(w[0]) << 20) | (w[1] >> 12);
  const std::int64_t numerator =
      static_cast<std::int64_t>(2 * m + 1) - (static_cast<std::int64_t>(1) << 52);
  return static_cast<double>(numerator) * 0x1p-52;
}

// A standard normal number by Box-Muller from the 53-bit uniforms of one Philox draw.
SYMBREAK_HD inline double box_muller(const r123::Philox4x32::ctr_type& w) {
  const std::uint64_t m1 = (static_cast<std::uint64_t>(w[0]) << 21) | (w[1] >> 11);
  const std::uint64_t m2 = (static_cast<std::uint64_t>(w[2]) << 21) | (w[3] >> 11);
  const double u1 = static_cast<double>(m1 + 1) * 0x1p-53;  // (0, 1]: log is finite
  const double u2 = static_cast<double>(m2) * 0x1p-53;      // [0, 1)
  constexpr double two_pi = 6.283185307179586476925286766559;
  return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}

// `attempt` > 0 gives the redraws of trunc-normal; attempt 0 is shared by every Gaussian scheme.
SYMBREAK_HD inline double standard_normal(DrawKey key, DrawSite site, std::uint32_t attempt = 0) {
  return box_muller(philox_words(key, site, attempt));
}

}  // namespace symbreak
