// Counter-based draws for the randomness of training (docs/method.md §4.1): dropout masks and
// gradient noise. Philox4x32-10 keyed by (seed, replicate) like initialisation, with a counter
// (index, (stream << 16) | layer, sample, step). Initialisation's counters carry the bare layer
// (< 2^16) in that word, so these streams never meet its numbers, and every engine, on any
// thread and in any order, draws the same mask bit and the same noise for the same update.
//
// step:   the update's number since training began, epoch * updates_per_epoch + update (0-based)
// sample: dropout: the sample's index in the training set (0 ... n-1); noise: 0
// layer:  dropout: the hidden layer 1 ... L; noise: the weight layer 1 ... L+1
// index:  dropout: the neuron; noise: the row-major element of W_l or b_l
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

#include "host_device.cuh"
#include "philox_draws.cuh"

namespace symbreak {

enum class BreakerStream : std::uint32_t { dropout = 1, weight_noise = 2, bias_noise = 3 };

struct BreakerSite {
  std::uint32_t step;
  std::uint32_t sample;
  std::uint32_t layer;
  std::uint32_t index;
};

SYMBREAK_HD inline r123::Philox4x32::ctr_type breaker_words(DrawKey key, BreakerStream stream,
                                                            BreakerSite site) {
  const r123::Philox4x32::ctr_type counter = {
      {site.index, (static_cast<std::uint32_t>(stream) << 16) | site.layer, site.sample,
       site.step}};
  const r123::Philox4x32::key_type philox_key = {{key.replicate, key.seed}};
  return r123::Philox4x32()(counter, philox_key);
}

// Dropout with probability p keeps a unit when its 32-bit word is at least ceil(p * 2^32): an
// integer comparison, so the double and float engines make the same choice for every unit.
inline std::uint64_t dropout_threshold(double p) {
  return static_cast<std::uint64_t>(std::ceil(p * 0x1p32));
}

SYMBREAK_HD inline bool dropout_keeps(DrawKey key, BreakerSite site, std::uint64_t threshold) {
  return breaker_words(key, BreakerStream::dropout, site)[0] >= threshold;
}

// A standard normal number for gradient noise. Engines scale it by sigma in double; float engines
// round the product once.
SYMBREAK_HD inline double gradient_noise(DrawKey key, BreakerStream stream, BreakerSite site) {
  return box_muller(breaker_words(key, stream, site));
}

}  // namespace symbreak
