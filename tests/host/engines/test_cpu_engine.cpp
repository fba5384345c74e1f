// Tests host/cpu_engine (the `cpu` engine: the CUDA kernels' code run on the host) against cpu-ref
// as docs/method.md §9 demands, on a pseudo-random grid of configurations that runs the per-thread,
// per-warp and layered kernels: D_l identical wherever the initialisation is deterministic and
// symmetric, verdicts agreeing on >= 99% of networks, rates within 1 percentage point. Also:
// tracing gives the traced epochs, its last row is the final summary, and it does not change the
// results.
#include "host/engines/cpu_engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "host/engines/cpu_reference.hpp"
#include "host/engines/float_engine.hpp"
#include "host/sweep/sweep_runner.hpp"
#include "host/verify/verification.hpp"
#include "../random_config_grid.hpp"
#include "../sweep_collector.hpp"

namespace symbreak {
namespace {

constexpr int kThreads = 2;

std::vector<NetworkResult> train(Engine& engine, const SweepPlan& plan,
                                 const std::vector<WorkItem>& items) {
  std::vector<NetworkResult> out(items.size());
  engine.train(plan, items, out);
  return out;
}

std::vector<NetworkResult> train_cpu(const SweepPlan& plan, const std::vector<WorkItem>& items) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(kThreads);
  return train(*engine, plan, items);
}

std::vector<NetworkResult> train_reference(const SweepPlan& plan,
                                           const std::vector<WorkItem>& items) {
  CpuReferenceEngine engine(kThreads);
  return train(engine, plan, items);
}

void record_agreement(const Agreement& a) {
  ::testing::Test::RecordProperty("networks", static_cast<int>(a.n));
  ::testing::Test::RecordProperty("exact_required", static_cast<int>(a.exact_required));
  ::testing::Test::RecordProperty("exact_mismatches", static_cast<int>(a.exact_mismatches));
  for (int v = 0; v < kVerdicts; ++v) {
    ::testing::Test::RecordProperty(std::string(kRateNames[v]) + "_agreement",
                                    std::to_string(a.verdict_agreement(v)));
  }
  for (int r = 0; r < kRates; ++r) {
    ::testing::Test::RecordProperty(std::string(kRateNames[r]) + "_rate_difference",
                                    std::to_string(a.rate_difference(r)));
  }
}

std::array<int, 3> kernels_used(const SweepPlan& plan) {
  std::array<int, 3> used{};
  for (const Config& c : plan.configs)
    ++used[static_cast<int>(kernel_for_job(make_train_job(plan, c), false).kind)];
  return used;
}

// 220 configurations x 5 replicates x 120 epochs: 1100 networks, each compared with cpu-ref. The
// few disagreements are float's, not the code's: MSE with a saturated output (σ(z) rounds to 1 in
// float, so every gradient is exactly 0 and the weights stay frozen, while double still moves
// them), and unstable runs (momentum 0.9, deep and wide) where rounding differences grow by a
// factor of ~5 per epoch until the trajectories part.
TEST(CpuEngine, AgreesWithCpuRefOnARandomGridAsSpec9Requires) {
  const SweepPlan plan = random_config_plan(220, 7, 5, 120);
  const std::array<int, 3> used = kernels_used(plan);
  EXPECT_GE(used[static_cast<int>(KernelKind::fused_thread)], 20);
  EXPECT_GE(used[static_cast<int>(KernelKind::fused_warp)], 20);
  EXPECT_GE(used[static_cast<int>(KernelKind::layered)], 20);
  std::set<std::string> schemes, tasks;
  std::set<Activation> activations;
  std::set<Loss> losses;
  for (const Config& c : plan.configs) {
    schemes.insert(c.init.text);
    tasks.insert(plan.task_of(c).name);
    activations.insert(c.activation);
    losses.insert(c.loss);
  }
  EXPECT_EQ(schemes.size(), kRandomGridSchemes.size()) << "every scheme must be drawn";
  EXPECT_EQ(tasks.size(), kRandomGridTasks.size());
  EXPECT_EQ(activations.size(), 5u);
  EXPECT_EQ(losses.size(), 2u);
  RecordProperty("fused_thread_configs", used[0]);
  RecordProperty("fused_warp_configs", used[1]);
  RecordProperty("layered_configs", used[2]);

  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> engine = train_cpu(plan, items);
  const std::vector<NetworkResult> reference = train_reference(plan, items);
  const VerificationReport report = compare_with_reference(plan, items, engine, reference);
  record_agreement(report.overall);
  EXPECT_TRUE(report.passed()) << format_verification(plan, report, "cpu", plan.run.seeds);
  EXPECT_GE(report.overall.exact_required, 150) << "the grid needs symmetric initialisations";
  EXPECT_EQ(report.overall.exact_mismatches, 0);
  // The data task's test accuracy, measured on the host from the float parameters, agrees with
  // cpu-ref's on average (8 test samples: one sample is 12.5 points on one network).
  ASSERT_GT(report.overall.test_measured, 50);
  EXPECT_LE(std::fabs(report.overall.engine_test_sum - report.overall.reference_test_sum) /
                static_cast<double>(report.overall.test_measured),
            0.01);

  // The grid must exercise the verdicts, not only agree on all-false.
  const Agreement& o = report.overall;
  for (int r = 0; r < kVerdicts; ++r) {
    EXPECT_GT(o.reference_counts[r], 0) << kRateNames[r] << " never happens in the grid";
    EXPECT_LT(o.reference_counts[r], o.n) << kRateNames[r] << " always happens in the grid";
  }
}

// Deterministic symmetric initialisations only, at learning rates that never diverge: D_l must
// match cpu-ref on every single network, whichever kernel trains it.
TEST(CpuEngine, SymmetricInitialisationsGiveExactlyTheReferenceDl) {
  SweepPlan plan = random_config_plan(400, 11, 2, 100);
  keep_symmetric_configs(plan);
  ASSERT_GE(plan.configs.size(), 60u);
  const std::array<int, 3> used = kernels_used(plan);
  for (int k = 0; k < 3; ++k)
    EXPECT_GT(used[k], 0) << "kernel kind " << k << " not exercised";
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> engine = train_cpu(plan, items);
  const std::vector<NetworkResult> reference = train_reference(plan, items);
  int compared = 0, symmetric_kept = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Config& c = plan.configs[items[i].config];
    SCOPED_TRACE("configuration " + std::to_string(items[i].config) + " (" + c.init.text + " / " +
                 c.bias.text + ", depth " + std::to_string(c.depth) + ", width " +
                 std::to_string(c.width) + ", " +
                 kernel_name(kernel_for_job(make_train_job(plan, c), false)) + ")");
    ASSERT_FALSE(reference[i].diverged);
    ASSERT_FALSE(engine[i].diverged);
    EXPECT_EQ(engine[i].distinct, reference[i].distinct);
    ++compared;
    symmetric_kept += reference[i].collapsed;
  }
  RecordProperty("networks_compared", compared);
  EXPECT_GT(symmetric_kept, compared / 4) << "most of these networks should stay collapsed";
}

// Hidden layers of their own sizes (10x5 and others): every kernel kind, D_l against each H_l
// exactly where the initialisation keeps neurons tied, and docs/method.md §9's agreement elsewhere.
TEST(CpuEngine, AgreesWithCpuRefOnPerLayerWidths) {
  const SweepPlan plan = listed_width_plan(120, 13, 4, 120);
  const std::array<int, 3> used = kernels_used(plan);
  for (int k = 0; k < 3; ++k)
    EXPECT_GT(used[k], 5) << "kernel kind " << k << " not exercised";
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> engine = train_cpu(plan, items);
  const std::vector<NetworkResult> reference = train_reference(plan, items);
  const VerificationReport report = compare_with_reference(plan, items, engine, reference);
  record_agreement(report.overall);
  EXPECT_TRUE(report.passed()) << format_verification(plan, report, "cpu", plan.run.seeds);
  EXPECT_GE(report.overall.exact_required, 60) << "the grid needs symmetric initialisations";
  EXPECT_EQ(report.overall.exact_mismatches, 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    ASSERT_EQ(engine[i].distinct.size(), plan.configs[items[i].config].layer_widths.size());
  }
}

TEST(CpuEngine, SymmetricPerLayerWidthsGiveExactlyTheReferenceDl) {
  SweepPlan plan = listed_width_plan(300, 17, 2, 100);
  keep_symmetric_configs(plan);
  ASSERT_GE(plan.configs.size(), 40u);
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> engine = train_cpu(plan, items);
  const std::vector<NetworkResult> reference = train_reference(plan, items);
  int collapsed = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Config& c = plan.configs[items[i].config];
    SCOPED_TRACE(c.init.text + " / " + c.bias.text + ", width " + width_text(c) + ", " +
                 kernel_name(kernel_for_job(make_train_job(plan, c), false)));
    ASSERT_FALSE(reference[i].diverged);
    EXPECT_EQ(engine[i].distinct, reference[i].distinct);
    collapsed += reference[i].collapsed;
  }
  EXPECT_GT(collapsed, static_cast<int>(items.size()) / 4);
}

// --- Tracing ------------------------------------------------------------------------------------

Collector run_cpu_sweep(const SweepPlan& plan, std::int64_t chunk_items = 0) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(kThreads);
  return collect_sweep(plan, *engine, chunk_items);
}

// Small configurations for all three kernels, a few replicates each.
SweepPlan traced_plan(int epochs, int trace_every) {
  SweepPlan plan = random_config_plan(36, 3, 4, epochs);
  plan.run.trace_every = trace_every;
  return plan;
}

bool bit_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(CpuEngineTrace, TracesMultiplesOfKThenTheLastEpoch) {
  for (const auto& [epochs, every] :
       {std::pair{23, 5}, std::pair{20, 5}, std::pair{3, 10}, std::pair{0, 4}, std::pair{7, 1}}) {
    SCOPED_TRACE("epochs " + std::to_string(epochs) + " every " + std::to_string(every));
    const SweepPlan plan = traced_plan(epochs, every);
    const Collector c = run_cpu_sweep(plan);
    const std::vector<int> expected = expected_epochs(epochs, every);
    ASSERT_EQ(c.networks.size(), static_cast<std::size_t>(plan.item_count()));
    for (const auto& [item, r] : c.networks) {
      std::vector<int> traced;
      for (const TracePoint& p : r.trace)
        traced.push_back(p.epoch);
      EXPECT_EQ(traced, expected) << "network " << item;
    }
    for (const auto& [config, rows] : c.traces) {
      std::vector<int> traced;
      for (const TraceRow& row : rows)
        traced.push_back(row.epoch);
      EXPECT_EQ(traced, expected) << "configuration " << config;
    }
  }
}

TEST(CpuEngineTrace, LastTracedRowMatchesTheFinalSummary) {
  const SweepPlan plan = traced_plan(37, 10);
  expect_last_row_matches_summary(plan, run_cpu_sweep(plan));
}

// Tracing trains in segments; the segments compose bit for bit, so the final results equal an
// untraced run's exactly, whichever kernel ran and however the sweep is chunked.
TEST(CpuEngineTrace, DoesNotChangeTheFinalResults) {
  const SweepPlan traced = traced_plan(37, 10);
  SweepPlan untraced = traced;
  untraced.run.trace_every = 0;
  const Collector a = run_cpu_sweep(traced, 7);
  const Collector b = run_cpu_sweep(untraced);
  ASSERT_EQ(a.networks.size(), b.networks.size());
  for (const auto& [item, r] : a.networks) {
    SCOPED_TRACE("network " + std::to_string(item));
    const NetworkResult& u = b.networks.at(item);
    EXPECT_TRUE(bit_equal(r.final_loss, u.final_loss)) << r.final_loss << " vs " << u.final_loss;
    EXPECT_TRUE(bit_equal(r.accuracy, u.accuracy));
    EXPECT_EQ(r.epoch_solved, u.epoch_solved);
    EXPECT_EQ(r.distinct, u.distinct);
    EXPECT_EQ(r.frozen, u.frozen);
    EXPECT_EQ(r.diverged, u.diverged);
    ASSERT_FALSE(r.trace.empty());
    EXPECT_TRUE(bit_equal(r.trace.back().loss, u.final_loss));
  }
}

}  // namespace
}  // namespace symbreak
