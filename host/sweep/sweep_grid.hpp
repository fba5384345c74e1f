// The grid options of docs/method.md §8 as lists, and their expansion into configurations. Every
// grid option left out keeps the built-in demonstration's value (demo_grid()).
#pragma once

#include <string>
#include <vector>

#include "host/config/config.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

struct SweepGrid {
  std::vector<std::string> tasks;
  std::vector<int> depths;
  std::vector<int> widths;
  std::vector<Activation> activations;
  std::vector<InitChoice> inits;
  std::vector<BiasChoice> bias_inits;
  std::vector<Loss> losses;
  std::vector<double> lrs;
  std::vector<double> momenta;
  std::vector<int> batches;
  // What else might break the symmetry (docs/method.md §4.1), crossed after batch; plain SGD
  // unless set, so a grid written before them means what it meant.
  std::vector<Optimizer> optimizers = {Optimizer::sgd};
  std::vector<double> weight_decays = {0.0};
  std::vector<double> dropouts = {0.0};
  std::vector<double> grad_noises = {0.0};
};

// xor, depth 1, width 4, tanh/sigmoid/relu x zeros, const:0.5, symmetric:normal:1,
// tied:normal:1, zeros/normal:1, xavier-uniform, he-normal; bce, lr 0.5, full batch.
SweepGrid demo_grid();
inline constexpr std::int64_t kDemoSeeds = 300;

// Number of configurations the grid expands to (W/B inits are not crossed with --bias-init).
std::int64_t configuration_count(const SweepGrid& grid);

// Every combination, in the order task, depth, width, activation, init, bias, loss, lr, momentum,
// batch, optimizer, weight decay, dropout, grad noise (the last varies fastest). Throws UsageError
// for an unknown task.
SweepPlan make_plan(const SweepGrid& grid, const RunSettings& run);

}  // namespace symbreak
