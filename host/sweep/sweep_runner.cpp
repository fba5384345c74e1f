// Chunked execution. Items are config-major, so at most a chunk's worth of configurations is open
// at once and memory stays bounded however many configurations the sweep has.
#include "host/sweep/sweep_runner.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace symbreak {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class ProgressReporter {
 public:
  ProgressReporter(bool enabled, std::int64_t total_networks, std::int64_t total_configs)
      : enabled_(enabled),
        tty_(isatty(STDERR_FILENO) != 0),
        total_(total_networks),
        configs_(total_configs),
        start_(Clock::now()) {}

  void update(std::int64_t networks, std::int64_t configs, bool final) {
    if (!enabled_) return;
    const double elapsed = seconds_since(start_);
    if (!final && elapsed - last_ < (tty_ ? 0.2 : 5.0)) return;
    last_ = elapsed;
    const double fraction = total_ > 0 ? static_cast<double>(networks) / total_ : 1.0;
    char eta[64] = "";
    if (!final && networks > 0) {
      std::snprintf(eta, sizeof eta, ", about %.0f s left", elapsed / fraction - elapsed);
    }
    std::fprintf(stderr,
                 "%ssymbreak: %lld/%lld networks (%.0f%%), %lld/%lld configurations, %.1f s%s%s",
                 tty_ ? "\r" : "", static_cast<long long>(networks), static_cast<long long>(total_),
                 100.0 * fraction, static_cast<long long>(configs),
                 static_cast<long long>(configs_), elapsed, eta, tty_ && !final ? "\033[K" : "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_, tty_;
  std::int64_t total_, configs_;
  Clock::time_point start_;
  double last_ = -1e9;
};

}  // namespace

std::int64_t default_chunk_items(const SweepPlan& plan) {
  // About 2e8 multiply-adds per chunk: a fraction of a second on a few cores for cpu-ref.
  constexpr double kChunkWork = 2e8;
  double max_cost = 1.0;
  for (const Config& c : plan.configs) {
    const double cost = (plan.run.epochs + 1.0) * plan.task_of(c).samples *
                        static_cast<double>(plan.shape_of(c).parameter_count());
    max_cost = std::max(max_cost, cost);
  }
  const auto items = static_cast<std::int64_t>(kChunkWork / max_cost);
  return std::clamp<std::int64_t>(items, 16, 1 << 16);
}

SweepOutcome run_sweep(const SweepPlan& plan, Engine& engine, SweepObserver& observer,
                       const RunnerOptions& options) {
  const auto start = Clock::now();
  const std::int64_t end = options.end_item < 0 ? plan.item_count() : options.end_item;
  const std::int64_t total = end - options.first_item;
  const std::int64_t chunk =
      options.chunk_items > 0 ? options.chunk_items : engine.preferred_chunk_items(plan);
  ProgressReporter progress(options.progress, total,
                            static_cast<std::int64_t>(plan.configs.size()));
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
    engine.train(plan, items, results);
    for (std::int64_t i = 0; i < count; ++i) {
      observer.network_done(first + i, results[i]);
      const std::int64_t config = items[i].config;
      ConfigAccumulator& acc = open[config];
      acc.add(results[i], plan.configs[config].width);
      if (acc.count() == plan.run.seeds) {
        observer.config_done(config, acc.summary(), acc.trace_rows());
        open.erase(config);
        ++outcome.configs_done;
      }
    }
    outcome.networks_done += count;
    observer.chunk_done();
    progress.update(outcome.networks_done, outcome.configs_done, false);
  }
  progress.update(outcome.networks_done, outcome.configs_done, true);
  outcome.seconds = seconds_since(start);
  return outcome;
}

}  // namespace symbreak
