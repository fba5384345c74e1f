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

// The options of docs/method.md §4.1 as a TrainJob carries them (host only).
inline void set_breakers(TrainJob& job, Optimizer optimizer, double weight_decay, double dropout,
                         double grad_noise, std::uint32_t seed) {
  job.optimizer = optimizer;
  job.weight_decay = static_cast<float>(weight_decay);
  job.dropout = static_cast<float>(dropout);
  job.dropout_scale = 1.0f;
  job.dropout_threshold = 0;
  if (dropout > 0.0) {
    job.dropout_scale = static_cast<float>(1.0 / (1.0 - dropout));
    job.dropout_threshold = dropout_threshold(dropout);
  }
  job.grad_noise = grad_noise;
  job.seed = seed;
}

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
