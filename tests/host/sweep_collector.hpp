// Test support: runs a sweep through an engine and keeps everything the runner reports, and the
// check that a trace's last row is the final summary (docs/method.md §8.3). Shared by the trace
// tests of cpu-ref (test_trace) and of the cpu engine (test_cpu_engine).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/sweep/sweep_runner.hpp"

namespace symbreak {

// Everything the runner reports, keyed by item or configuration.
class Collector final : public SweepObserver {
 public:
  void network_done(std::int64_t item, const NetworkResult& r) override { networks[item] = r; }
  void config_done(std::int64_t config, const ConfigSummary& s,
                   const std::vector<TraceRow>& rows) override {
    summaries[config] = s;
    traces[config] = rows;
  }
  std::map<std::int64_t, NetworkResult> networks;
  std::map<std::int64_t, ConfigSummary> summaries;
  std::map<std::int64_t, std::vector<TraceRow>> traces;
};

// chunk_items = 0: the engine's preferred chunk.
inline Collector collect_sweep(const SweepPlan& plan, Engine& engine,
                               std::int64_t chunk_items = 0) {
  Collector collector;
  RunnerOptions options;
  options.progress = false;
  options.chunk_items = chunk_items;
  run_sweep(plan, engine, collector, options);
  return collector;
}

// 0, K, 2K, ..., and E itself.
inline std::vector<int> expected_epochs(int epochs, int every) {
  std::vector<int> traced;
  for (int e = 0; e <= epochs; e += every)
    traced.push_back(e);
  if (traced.back() != epochs) traced.push_back(epochs);
  return traced;
}

inline void expect_same_optional(std::optional<double> trace, std::optional<double> summary,
                                 const char* what) {
  ASSERT_EQ(trace.has_value(), summary.has_value()) << what;
  if (trace) {
    EXPECT_NEAR(*trace, *summary, 1e-12 * (1.0 + std::fabs(*summary))) << what;
  }
}

inline void expect_last_row_matches_summary(const SweepPlan& plan, const Collector& c) {
  ASSERT_EQ(c.summaries.size(), plan.configs.size());
  for (const auto& [config, s] : c.summaries) {
    SCOPED_TRACE("configuration " + std::to_string(config) + " (" + plan.configs[config].init.text +
                 ")");
    const std::vector<TraceRow>& rows = c.traces.at(config);
    ASSERT_FALSE(rows.empty());
    const TraceRow& last = rows.back();
    EXPECT_EQ(last.epoch, plan.run.epochs);
    EXPECT_EQ(last.n, s.n);
    expect_same_optional(last.mean_loss, s.mean_final_loss, "mean loss");
    expect_same_optional(last.mean_distinct_fraction, s.eff_width, "eff_width");
    EXPECT_DOUBLE_EQ(last.solved_fraction, s.solved.rate);
    EXPECT_DOUBLE_EQ(last.broken_fraction, s.broken.rate);
    EXPECT_DOUBLE_EQ(last.collapsed_fraction, s.collapsed.rate);
  }
}

}  // namespace symbreak
