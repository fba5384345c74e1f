// The values training takes from the Philox draws of breaker_draws.cuh (docs/method.md §4.1), as
// floats: the inverted-dropout multiplier of one hidden unit (1/(1-p) rounded to float, or 0) and
// one parameter's gradient noise (σ·N(0,1) in double, rounded to float once). A network is keyed
// by (seed, its replicate), so each network draws its own masks and noise, and every float engine
// and kernel draws the same ones for the same update.
#pragma once

#include <cstdint>

#include "breaker_draws.cuh"
#include "host_device.cuh"
#include "train_job.cuh"

namespace symbreak {

SYMBREAK_HD inline float dropout_multiplier(const TrainJob& job, std::uint32_t replicate,
                                            BreakerSite site) {
  return dropout_keeps(DrawKey{job.seed, replicate}, site, job.dropout_threshold)
             ? job.dropout_scale
             : 0.0f;
}

// stream: weight_noise (index = row-major element of W_l) or bias_noise (index = neuron).
SYMBREAK_HD inline float noise_value(const TrainJob& job, std::uint32_t replicate,
                                     BreakerStream stream, BreakerSite site) {
  return static_cast<float>(job.grad_noise *
                            gradient_noise(DrawKey{job.seed, replicate}, stream, site));
}

// The noise of parameter (i, j) of weight layer l (j == fan_in: the bias), at update `step`.
SYMBREAK_HD inline float parameter_noise(const TrainJob& job, std::uint32_t replicate,
                                         long long step, int l, int i, int j, int fan_in) {
  const bool bias = j >= fan_in;
  const BreakerSite site{static_cast<std::uint32_t>(step), 0u, static_cast<std::uint32_t>(l),
                         static_cast<std::uint32_t>(bias ? i : i * fan_in + j)};
  return noise_value(job, replicate, bias ? BreakerStream::bias_noise : BreakerStream::weight_noise,
                     site);
}

// The dropout multiplier of neuron i of hidden layer l for training sample `sample` at `step`.
SYMBREAK_HD inline float unit_dropout(const TrainJob& job, std::uint32_t replicate, long long step,
                                      int sample, int l, int i) {
  return dropout_multiplier(
      job, replicate,
      BreakerSite{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(sample),
                  static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(i)});
}

}  // namespace symbreak
