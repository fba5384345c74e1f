// `--shard i/N`: the i-th of N deterministic parts of a sweep, for job arrays without MPI. Parts
// are contiguous runs of work items (configuration x replicate, host/sweep/sweep_plan.hpp),
// balanced by their estimated training work, so one configuration may be split between
// consecutive shards (even over many). A part writes the rows of the configurations it trains
// whole; of a split one (at most two per part: its first and its last) it keeps the per-network
// results that `merge` re-adds, in replicate order, to compute the rows one process writes
// (host/report/config_pieces.hpp).
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

// The work items [first, end) of `shard`.
struct ItemRange {
  std::int64_t first = 0, end = 0;
};
ItemRange shard_items(const SweepPlan& plan, const Shard& shard);

// The configurations [first, end) with at least one item in `items` (first == end: none).
struct ConfigRange {
  std::int64_t first = 0, end = 0;
};
ConfigRange configs_of(const SweepPlan& plan, const ItemRange& items);

// Whether configuration `config` has items both inside and outside `items`: a split one, whose
// rows the part cannot write.
bool split_in(const SweepPlan& plan, const ItemRange& items, std::int64_t config);

// Estimated training work of one network of `config` (multiply-adds), the balancing weight.
double config_work(const SweepPlan& plan, const Config& config);

}  // namespace symbreak
