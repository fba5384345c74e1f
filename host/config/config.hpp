// One point of the sweep grid (docs/method.md §7): everything that defines how its networks are
// trained, except the replicate. Run-wide settings (epochs, seeds, seed, tol) live in RunSettings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/config/init_scheme_names.hpp"
#include "host/config/width_choice.hpp"
#include "kernels/activation.cuh"
#include "kernels/loss.cuh"
#include "kernels/network_shape.cuh"
#include "kernels/optimizer.cuh"

namespace symbreak {

struct Config {
  int task = 0;  // index into SweepPlan::tasks
  int depth = 1;
  int width = 4;  // every hidden layer's size; with layer_widths the widest of them
  // H_1 ... H_L when --width listed the hidden layers' sizes (10x5); then depth = L. Empty: every
  // hidden layer has `width` neurons.
  std::vector<int> layer_widths;
  Activation activation = Activation::tanh;
  InitChoice init;  // the weight scheme, and the W/B form's bias when given
  BiasChoice bias;  // the bias scheme in effect: W/B's B, else --bias-init
  Loss loss = Loss::bce;
  double lr = 0.5;
  double momentum = 0.0;
  int batch = 0;  // 0 = full batch
  // What else might break the symmetry (docs/method.md §4.1); the defaults are plain SGD.
  Optimizer optimizer = Optimizer::sgd;
  double weight_decay = 0.0;  // coupled L2: g <- g + weight_decay * theta
  double dropout = 0.0;       // 0 <= p < 1, hidden layers, training only
  double grad_noise = 0.0;    // sigma of N(0, sigma^2) added to every gradient
};

struct RunSettings {
  int epochs = 1000;
  std::int64_t seeds = 1;       // replicates per configuration
  std::uint32_t seed = 0;       // the global seed of docs/method.md §5
  double tol = 1e-6;            // τ of the tie rule, docs/method.md §6
  int trace_every = 0;          // K of --trace-every; 0 = no trace
  std::uint32_t data_seed = 0;  // keys the noise of generated data tasks, docs/method.md §1.1
  // Replicates 0 ... params_replicates - 1 of every configuration hand back their final
  // parameters (--params, docs/method.md §8.4); 0 = none.
  std::uint32_t params_replicates = 0;

  bool keeps_parameters(std::uint32_t replicate) const { return replicate < params_replicates; }
};

// The width as written in tables and CSV files: "4", or "10x5" for listed sizes.
inline std::string width_text(const Config& c) {
  return width_text(c.width, c.layer_widths);
}

// Samples per update: a batch of 0 or larger than n is the full batch (docs/method.md §4).
inline int effective_batch(int batch, int samples) {
  return batch <= 0 || batch > samples ? samples : batch;
}

}  // namespace symbreak
