// A pseudo-random sweep over everything a float engine must get right against cpu-ref
// (docs/method.md §9): tasks with 2, 3 and 5 inputs (one of them a data task with real inputs and a
// test set), depths 1-3 (so the per-thread, per-warp and layered kernels all run), awkward widths
// up to 32, every activation, loss and initialisation family, full batch and minibatches, with and
// without momentum. Shared by tests/host/engines/test_cpu_engine and
// tests/host/engines/test_cuda_engines_gpu, so both engines face the same grid.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "host/config/init_scheme_names.hpp"
#include "host/config/task.hpp"
#include "host/sweep/sweep_plan.hpp"
#include "host/verify/verification.hpp"

namespace symbreak {

// moons:24 is a data task: real-valued inputs and a test set of 8 samples.
inline const std::vector<std::string> kRandomGridTasks = {"xor", "and", "parity:3", "parity:5",
                                                          "moons:24"};

// Every scheme family of docs/method.md §5.1, bare and in the W/B form.
inline const std::vector<std::string> kRandomGridSchemes = {
    "zeros",
    "const:0.5",
    "const:-0.3",
    "uniform:1",
    "normal:1",
    "xavier-uniform",
    "xavier-normal",
    "he-uniform",
    "he-normal",
    "lecun-uniform",
    "lecun-normal:1.5",
    "trunc-normal:0.5",
    "torch-linear",
    "torch-linear/torch-linear",
    "orthogonal",
    "orthogonal:2",
    "identity",
    "identity:0.7",
    "hadamard",
    "tied:normal:1",
    "tied:xavier-uniform",
    "symmetric:normal:1",
    "symmetric:he-uniform",
    "zeros/normal:1",
    "symmetric:normal:1/const:0.1",
    "const:0.2/const:0.1",
};

// --bias-init for the schemes without a W/B bias.
inline const std::vector<std::string> kRandomGridBiases = {"zeros", "zeros", "const:0.1",
                                                           "normal:0.5"};

// `configs` configurations drawn with std::mt19937(grid_seed). Learning rates stay where training
// neither explodes nor stalls: 0.1-0.5 without momentum, 0.03-0.05 with μ = 0.9 (an effective
// step of 0.3-0.5).
inline SweepPlan random_config_plan(int configs, std::uint32_t grid_seed, std::int64_t seeds,
                                    int epochs) {
  SweepPlan plan;
  for (const std::string& name : kRandomGridTasks)
    plan.tasks.push_back(make_task(name));
  plan.run.epochs = epochs;
  plan.run.seeds = seeds;
  plan.run.seed = 20240611u;
  std::mt19937 rng(grid_seed);
  const auto pick = [&rng](const auto& options) {
    return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
  };
  const std::vector<int> widths = {1, 2, 3, 5, 7, 8, 9, 16, 17, 31, 32};
  const std::vector<Activation> activations = {Activation::sigmoid, Activation::tanh,
                                               Activation::relu, Activation::leaky_relu,
                                               Activation::linear};
  const std::vector<int> batches = {0, 0, 1, 3};
  for (int k = 0; k < configs; ++k) {
    Config c;
    c.task = static_cast<int>(
        std::uniform_int_distribution<std::size_t>(0, kRandomGridTasks.size() - 1)(rng));
    c.depth = std::uniform_int_distribution<int>(1, 3)(rng);
    c.width = pick(widths);
    c.activation = pick(activations);
    c.init = parse_init_choice(pick(kRandomGridSchemes));
    c.bias = c.init.bias ? BiasChoice{*c.init.bias, *c.init.bias_text}
                         : parse_bias_choice(pick(kRandomGridBiases));
    c.loss = pick(std::vector<Loss>{Loss::bce, Loss::mse});
    c.momentum = pick(std::vector<double>{0.0, 0.9});
    c.lr = c.momentum == 0.0 ? pick(std::vector<double>{0.1, 0.3, 0.5})
                             : pick(std::vector<double>{0.03, 0.05});
    c.batch = pick(batches);
    plan.configs.push_back(c);
  }
  return plan;
}

// The same draws with hidden layers of their own sizes (--width 10x5, docs/method.md §2): shapes
// that the per-thread (widest layer <= 4, depth 2), per-warp (widest <= 32, depth 2) and layered
// kernels train, widening and narrowing, and with a single neuron in one layer.
inline const std::vector<std::vector<int>> kListedWidths = {
    {3, 2}, {2, 4}, {4, 1}, {10, 5}, {5, 10}, {1, 9}, {17, 3}, {7, 3, 2}, {2, 6, 4}, {3, 1, 5, 2}};

inline SweepPlan listed_width_plan(int configs, std::uint32_t grid_seed, std::int64_t seeds,
                                   int epochs) {
  SweepPlan plan = random_config_plan(configs, grid_seed, seeds, epochs);
  for (std::size_t k = 0; k < plan.configs.size(); ++k) {
    Config& c = plan.configs[k];
    c.layer_widths = kListedWidths[k % kListedWidths.size()];
    c.depth = static_cast<int>(c.layer_widths.size());
    c.width = *std::max_element(c.layer_widths.begin(), c.layer_widths.end());
  }
  return plan;
}

// Gives each configuration options of docs/method.md §4.1 drawn with std::mt19937(seed): a third
// keep plain SGD, the others Adam (lr 0.01-0.05) or RMSprop (lr 0.005-0.02) or SGD, with weight
// decay 0 or 0.01, dropout 0, 0.2 or 0.5 and, `with_noise`, gradient noise 0 or 0.01.
inline void add_random_breakers(SweepPlan& plan, std::uint32_t seed, bool with_noise) {
  std::mt19937 rng(seed);
  const auto pick = [&rng](const auto& options) {
    return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
  };
  for (Config& c : plan.configs) {
    if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) continue;
    c.optimizer = pick(std::vector<Optimizer>{Optimizer::sgd, Optimizer::adam, Optimizer::rmsprop});
    if (c.optimizer == Optimizer::adam) c.lr = pick(std::vector<double>{0.01, 0.05});
    if (c.optimizer == Optimizer::rmsprop) c.lr = pick(std::vector<double>{0.005, 0.02});
    if (c.optimizer != Optimizer::sgd) c.momentum = 0.0;
    c.weight_decay = pick(std::vector<double>{0.0, 0.01});
    c.dropout = pick(std::vector<double>{0.0, 0.2, 0.5});
    if (with_noise) c.grad_noise = pick(std::vector<double>{0.0, 0.01});
  }
}

inline std::vector<WorkItem> every_item(const SweepPlan& plan) {
  std::vector<WorkItem> items;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  return items;
}

// Keeps only the deterministic symmetric configurations (requires_exact_distinct), with the
// learning rate capped at 0.3 so that none diverges and every D_l must match exactly.
inline void keep_symmetric_configs(SweepPlan& plan) {
  std::vector<Config> symmetric;
  for (Config c : plan.configs) {
    if (!requires_exact_distinct(c)) continue;
    c.lr = std::min(c.lr, 0.3);
    symmetric.push_back(c);
  }
  plan.configs = symmetric;
}

}  // namespace symbreak
