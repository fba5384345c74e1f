// From the grid to the configurations actually trained: the full grid, less configurations that
// repeat an earlier one once resolved, optionally a random sample of N of them (--sample-configs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "host/sweep/sweep_grid.hpp"

namespace symbreak::cli {

struct SelectedPlan {
  SweepPlan plan;
  std::int64_t grid_size = 0;   // configurations of the grid
  std::int64_t duplicates = 0;  // left out: identical to an earlier one once resolved
  // A one-line note for standard error about what was left out, or "".
  std::string note() const;
};

// The plan of `grid` with `run`: checks that it fits (UsageError otherwise), keeps the first of
// configurations that train identical networks (a batch of 0 and one >= the task's samples are
// both the full batch; a value listed twice), and with `sample_configs` = N keeps N of the rest,
// drawn without replacement from the sweep's seed (the same N configurations for the same grid
// and --seed), in grid order.
SelectedPlan select_configurations(const SweepGrid& grid, const RunSettings& run,
                                   std::optional<std::int64_t> sample_configs);

}  // namespace symbreak::cli
