// Refuses sweeps that would not fit in the memory symbreak allows itself (half of the machine's
// physical memory), before any work starts or any file is touched.
#pragma once

#include <cstdint>

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

// Throws UsageError when the plan does not fit, naming what to reduce.
void check_sweep_fits(const SweepPlan& plan, int threads, std::int64_t chunk_items);

}  // namespace symbreak
