// The grid options of docs/method.md §8, shared by `sweep` and `verify`: each takes a
// comma-separated list, and every combination becomes a configuration. Options left out keep the
// demo's values.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "host/sweep/sweep_grid.hpp"

namespace symbreak::cli {

struct GridOptions {
  std::optional<std::string> task, depth, width, activation, init, bias_init, loss, lr, momentum,
      batch;
  // What else might break the symmetry (docs/method.md §4.1).
  std::optional<std::string> optimizer, weight_decay, dropout, grad_noise;
  std::optional<std::string> sample_configs;  // --sample-configs N: a random N of the grid
  bool any_given() const;
};

inline constexpr int kMaxWidth = 65535;  // a layer's weights are numbered by a 32-bit counter
inline constexpr int kMaxDepth = 10000;

void add_grid_options(CLI::App& app, GridOptions& options);

// Throws UsageError naming the option and value.
SweepGrid build_grid(const GridOptions& options);

// The N of --sample-configs, if given; throws UsageError for anything but an integer >= 1.
std::optional<std::int64_t> sample_configs_count(const GridOptions& options);

}  // namespace symbreak::cli
