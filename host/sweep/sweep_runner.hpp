// Runs a plan through an engine in chunks of work items: aggregates each configuration as soon as
// its last replicate is done, reports progress on stderr, and stops cleanly between chunks.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "host/engines/engine.hpp"
#include "host/report/stats.hpp"

namespace symbreak {

// Receives results as they are produced, in item order.
class SweepObserver {
 public:
  virtual ~SweepObserver() = default;
  virtual void network_done(std::int64_t /*item*/, const NetworkResult& /*result*/) {}
  // A configuration all of whose items are in the range, after its last network_done.
  virtual void config_done(std::int64_t /*config*/, const ConfigSummary& /*summary*/,
                           const std::vector<TraceRow>& /*trace*/) {}
  // After each chunk, when everything before it has been reported: a point to checkpoint at.
  virtual void chunk_done() {}
};

struct RunnerOptions {
  bool progress = true;               // progress lines on stderr
  std::function<bool()> should_stop;  // polled between chunks; may be empty
  std::int64_t chunk_items = 0;       // 0: sized from the work per network
  // The items to train, [first_item, end_item). end_item < 0: to the end of the plan. A shard may
  // start and end inside a configuration (host/sweep/shard.hpp): only the configurations whole in
  // [range_first_item, end_item) are aggregated (config_done); a resumed run starts where its
  // checkpoint lies, at range_first_item or at a configuration's first item.
  std::int64_t first_item = 0;
  std::int64_t end_item = -1;
  // Where the whole sweep or shard starts, for progress: [range_first_item, first_item) was done
  // by an earlier run.
  std::int64_t range_first_item = 0;
  // Trains chunk number `chunk` (counted from first_item) into `out`, instead of engine.train —
  // under MPI, rank 0 receives other ranks' chunks here; false: stop, the chunk was not trained.
  std::function<bool(std::int64_t chunk, std::span<const WorkItem> items,
                     std::span<NetworkResult> out)>
      train_chunk;
};

struct SweepOutcome {
  std::int64_t networks_done = 0;
  std::int64_t configs_done = 0;
  bool interrupted = false;
  double seconds = 0.0;
};

// Items per chunk so that one chunk is a fraction of a second to a few seconds of CPU work.
std::int64_t default_chunk_items(const SweepPlan& plan);

// The training work of items [first, end) in multiply-adds, estimated as (epochs + 1) x samples x
// parameters per network: what the progress line's time left is measured in, so that a sweep
// whose cheap configurations come first does not promise an early end.
double work_between(const SweepPlan& plan, std::int64_t first, std::int64_t end);

SweepOutcome run_sweep(const SweepPlan& plan, Engine& engine, SweepObserver& observer,
                       const RunnerOptions& options);

}  // namespace symbreak
