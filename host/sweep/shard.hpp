// `--shard i/N`: the i-th of N deterministic parts of a sweep, for job arrays without MPI. Parts
// are contiguous runs of configurations, balanced by their estimated training work, so that
// concatenating the parts' files in shard order gives exactly the files of one process (a
// configuration's aggregates never have to be combined from two parts).
#pragma once

#include <cstdint>
#include <string>

#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

struct Shard {
  std::int64_t index = 0;
  std::int64_t count = 1;
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// "i/N" with 0 <= i < N <= 1,000,000; throws UsageError naming the value otherwise.
Shard parse_shard(const std::string& text);

// The configurations [first, end) of `shard`.
struct ConfigRange {
  std::int64_t first = 0, end = 0;
};
ConfigRange shard_configs(const SweepPlan& plan, const Shard& shard);

// Estimated training work of one network of `config` (multiply-adds), the balancing weight.
double config_work(const SweepPlan& plan, const Config& config);

}  // namespace symbreak
