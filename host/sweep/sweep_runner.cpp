// Chunked execution. Items are config-major, so at most a chunk's worth of configurations is open
// at once and memory stays bounded however many configurations the sweep has; a shard's split
// configurations are never opened.
#include "host/sweep/sweep_runner.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "host/sweep/shard.hpp"

namespace symbreak {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Progress on stderr: networks and configurations done of the whole (shard of the) sweep, the
// throughput measured so far in network-epochs per second, and the time left: the training work
// still to do (work_between) at the work rate measured so far. On a
// terminal one line redrawn five times a second; otherwise (a log file, a batch job) a plain line
// at most every 10 seconds, and one at the end.
class ProgressReporter {
 public:
  struct Totals {
    std::int64_t networks = 0, configs = 0;                // of the whole sweep or shard
    std::int64_t networks_before = 0, configs_before = 0;  // done by an earlier, resumed run
    int epochs = 0;
    double work = 0.0, work_before = 0.0;  // work_between() of the whole and of the earlier run
  };

  ProgressReporter(bool enabled, const Totals& totals)
      : enabled_(enabled),
        tty_(isatty(STDERR_FILENO) != 0),
        totals_(totals),
        start_(Clock::now()) {}

  // `networks`, `configs`: done by this run.
  // `work`: work_between() of the items this run has done.
  void update(std::int64_t networks, std::int64_t configs, double work, bool final) {
    if (!enabled_) return;
    const double elapsed = seconds_since(start_);
    if (!final && elapsed - last_ < (tty_ ? 0.2 : 10.0)) return;
    last_ = elapsed;
    const std::int64_t done = totals_.networks_before + networks;
    const double fraction = totals_.networks > 0
                                ? static_cast<double>(done) / static_cast<double>(totals_.networks)
                                : 1.0;
    const double per_second = elapsed > 0.0 ? static_cast<double>(networks) / elapsed : 0.0;
    char rate[64] = "";
    if (networks > 0 && elapsed > 0.0) {
      std::snprintf(rate, sizeof rate, ", %.3g network-epochs/s",
                    per_second * std::max(totals_.epochs, 1));
    }
    char eta[64] = "";
    // Time left from the work still to do at the work rate measured so far: networks differ in
    // cost by orders of magnitude across a grid, so counting networks would mislead.
    if (!final && work > 0.0 && elapsed > 0.0) {
      std::snprintf(eta, sizeof eta, ", about %.0f s left",
                    std::max(0.0, totals_.work - totals_.work_before - work) / (work / elapsed));
    }
    std::fprintf(
        stderr, "%ssymbreak: %lld/%lld networks (%.1f%%), %lld/%lld configurations%s, %.1f s%s%s",
        tty_ ? "\r" : "", static_cast<long long>(done), static_cast<long long>(totals_.networks),
        100.0 * fraction, static_cast<long long>(totals_.configs_before + configs),
        static_cast<long long>(totals_.configs), rate, elapsed, eta,
        tty_ && !final ? "\033[K" : "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_, tty_;
  Totals totals_;
  Clock::time_point start_;
  double last_ = -1e9;
};

}  // namespace

double work_between(const SweepPlan& plan, std::int64_t first, std::int64_t end) {
  const std::int64_t seeds = plan.run.seeds;
  double work = 0.0;
  // Items are config-major: configuration k holds items k * seeds ... (k + 1) * seeds - 1.
  for (std::int64_t k = first / seeds; k * seeds < end; ++k) {
    const std::int64_t count = std::min(end, (k + 1) * seeds) - std::max(first, k * seeds);
    work += static_cast<double>(count) * config_work(plan, plan.configs[k]);
  }
  return work;
}

std::int64_t default_chunk_items(const SweepPlan& plan) {
  // About 2e8 multiply-adds per chunk: a fraction of a second on a few cores for cpu-ref.
  constexpr double kChunkWork = 2e8;
  double max_cost = 1.0;
  for (const Config& c : plan.configs)
    max_cost = std::max(max_cost, config_work(plan, c));
  const auto items = static_cast<std::int64_t>(kChunkWork / max_cost);
  return std::clamp<std::int64_t>(items, 16, 1 << 16);
}

SweepOutcome run_sweep(const SweepPlan& plan, Engine& engine, SweepObserver& observer,
                       const RunnerOptions& options) {
  const auto start = Clock::now();
  const std::int64_t end = options.end_item < 0 ? plan.item_count() : options.end_item;
  const std::int64_t chunk =
      options.chunk_items > 0 ? options.chunk_items : engine.preferred_chunk_items(plan);
  ProgressReporter::Totals totals;
  totals.networks = end - options.range_first_item;
  totals.networks_before = options.first_item - options.range_first_item;
  // Configurations all of whose items lie in [a, b): those config_done reports.
  const auto whole_configs = [&plan](std::int64_t a, std::int64_t b) {
    const std::int64_t seeds = plan.run.seeds;
    return std::max<std::int64_t>(0, b / seeds - (a + seeds - 1) / seeds);
  };
  totals.configs = whole_configs(options.range_first_item, end);
  totals.configs_before = whole_configs(options.range_first_item, options.first_item);
  totals.epochs = plan.run.epochs;
  totals.work = work_between(plan, options.range_first_item, end);
  totals.work_before = work_between(plan, options.range_first_item, options.first_item);
  ProgressReporter progress(options.progress, totals);
  double work_done = 0.0;
  std::map<std::int64_t, ConfigAccumulator> open;  // configurations with replicates still to come
  SweepOutcome outcome;
  std::vector<WorkItem> items;
  std::vector<NetworkResult> results;
  for (std::int64_t first = options.first_item; first < end; first += chunk) {
    if (options.should_stop && options.should_stop()) {
      outcome.interrupted = true;
      break;
    }
    const std::int64_t count = std::min(chunk, end - first);
    items.resize(count);
    results.assign(count, NetworkResult{});
    for (std::int64_t i = 0; i < count; ++i)
      items[i] = plan.item(first + i);
    if (options.train_chunk) {
      if (!options.train_chunk((first - options.first_item) / chunk, items, results)) {
        outcome.interrupted = true;
        break;
      }
    } else {
      engine.train(plan, items, results);
    }
    for (std::int64_t i = 0; i < count; ++i) {
      observer.network_done(first + i, results[i]);
      const std::int64_t config = items[i].config;
      // A configuration split with another shard is aggregated by merge, from the networks the
      // observer kept (host/report/config_pieces.hpp).
      if (config * plan.run.seeds < options.range_first_item || (config + 1) * plan.run.seeds > end)
        continue;
      ConfigAccumulator& acc = open[config];
      acc.add(results[i], plan.shape_of(plan.configs[config]));
      if (acc.count() == plan.run.seeds) {
        observer.config_done(config, acc.summary(), acc.trace_rows());
        open.erase(config);
        ++outcome.configs_done;
      }
    }
    outcome.networks_done += count;
    work_done += work_between(plan, first, first + count);
    observer.chunk_done();
    progress.update(outcome.networks_done, outcome.configs_done, work_done, false);
  }
  progress.update(outcome.networks_done, outcome.configs_done, work_done, true);
  outcome.seconds = seconds_since(start);
  return outcome;
}

}  // namespace symbreak
