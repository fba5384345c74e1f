// Refuses sweeps that would not fit in the memory symbreak allows itself (half of the machine's
// physical memory), before any work starts or any file is touched.
#pragma once

#include <cstdint>
#include <string>

#include "host/config/memory_limit.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

struct MemoryEstimate {
  double bytes = 0.0;        // peak host memory the sweep needs, roughly
  double limit_bytes = 0.0;  // what it may use
};

// `threads`: networks trained at once; `chunk_items`: networks per chunk.
MemoryEstimate estimate_sweep_memory(const SweepPlan& plan, int threads, std::int64_t chunk_items);

// Before the plan is built: throws UsageError when the grid's configurations alone would not fit,
// or configurations x seeds is not a countable number of networks.
void check_grid_fits(std::int64_t configurations, std::int64_t seeds);

// Throws UsageError when the plan does not fit, naming what to reduce. `limit_bytes` > 0 replaces
// the default limit (half of the machine's memory): --max-memory.
void check_sweep_fits(const SweepPlan& plan, int threads, std::int64_t chunk_items,
                      double limit_bytes = 0.0);

// The largest chunk, at most `chunk_items`, whose sweep fits in `limit_bytes` (at least 1).
std::int64_t chunk_items_within(const SweepPlan& plan, int threads, std::int64_t chunk_items,
                                double limit_bytes);

// --max-memory: a size such as 512M, 4G or 1T (powers of 1024; K, M, G, T, optionally followed
// by iB or B) or a number of bytes. Throws UsageError naming the value.
double parse_memory_size(const std::string& text);

}  // namespace symbreak
