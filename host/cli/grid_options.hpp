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
  bool any_given() const;
};

inline constexpr int kMaxWidth = 65535;  // a layer's weights are numbered by a 32-bit counter
inline constexpr int kMaxDepth = 10000;

void add_grid_options(CLI::App& app, GridOptions& options);

// Throws UsageError naming the option and value.
SweepGrid build_grid(const GridOptions& options);

}  // namespace symbreak::cli
