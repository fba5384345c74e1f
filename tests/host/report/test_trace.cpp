// Tests --trace (docs/method.md §6, §8.3) for cpu-ref: which epochs are traced, that the last
// traced row is the final per-configuration summary, what epoch_broken means, and the trace and
// networks CSVs.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "host/cli/grid_options.hpp"
#include "host/cli/run_options.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/sweep/sweep_runner.hpp"
#include "../sweep_collector.hpp"

namespace symbreak {
namespace {

// A plan from command-line style options; the grid options left out keep the demo's values.
SweepPlan traced_plan(cli::GridOptions grid, const std::string& epochs, const std::string& seeds,
                      int trace_every, const std::string& tol = "1e-6") {
  cli::RunOptions run_options;
  run_options.epochs = epochs;
  run_options.seeds = seeds;
  run_options.tol = tol;
  RunSettings run = cli::build_run_settings(run_options);
  run.trace_every = trace_every;
  return make_plan(cli::build_grid(grid), run);
}

cli::GridOptions small_grid(const std::string& init, const std::string& activation) {
  cli::GridOptions grid;
  grid.init = init;
  grid.activation = activation;
  grid.width = "3";
  return grid;
}

Collector run_traced(const SweepPlan& plan) {
  CpuReferenceEngine engine(2);
  return collect_sweep(plan, engine);
}

// The same network trained for only `epochs` epochs, without tracing: its final measurement is
// an independent statement of what the trace should hold at that epoch.
NetworkResult trained_for(SweepPlan plan, WorkItem item, int epochs) {
  plan.run.epochs = epochs;
  plan.run.trace_every = 0;
  return train_reference_network(plan, item);
}

bool every_layer_split(const std::vector<int>& distinct) {
  for (const int d : distinct) {
    if (d <= 1) return false;
  }
  return true;
}

// --- Which epochs are traced --------------------------------------------------------------------

struct EpochCase {
  int epochs, every;
};

class TracedEpochs : public ::testing::TestWithParam<EpochCase> {};

TEST_P(TracedEpochs, AreMultiplesOfKThenTheLastEpoch) {
  const auto [epochs, every] = GetParam();
  const SweepPlan plan =
      traced_plan(small_grid("zeros,normal:1", "tanh"), std::to_string(epochs), "3", every);
  const Collector c = run_traced(plan);
  const std::vector<int> expected = expected_epochs(epochs, every);
  for (const auto& [item, r] : c.networks) {
    std::vector<int> traced;
    for (const TracePoint& p : r.trace)
      traced.push_back(p.epoch);
    EXPECT_EQ(traced, expected) << "network " << item;
  }
  ASSERT_EQ(c.traces.size(), plan.configs.size());
  for (const auto& [config, rows] : c.traces) {
    std::vector<int> traced;
    for (const TraceRow& row : rows) {
      traced.push_back(row.epoch);
      EXPECT_EQ(row.n, plan.run.seeds);
    }
    EXPECT_EQ(traced, expected) << "configuration " << config;
  }
}

INSTANTIATE_TEST_SUITE_P(EpochsAndK, TracedEpochs,
                         ::testing::Values(EpochCase{23, 5}, EpochCase{20, 5}, EpochCase{3, 10},
                                           EpochCase{0, 1}, EpochCase{0, 7}, EpochCase{7, 1},
                                           EpochCase{1, 1}, EpochCase{10, 3}, EpochCase{64, 64}),
                         [](const auto& info) {
                           return "E" + std::to_string(info.param.epochs) + "_K" +
                                  std::to_string(info.param.every);
                         });

TEST(Tracing, OffLeavesTraceEmptyAndEpochBrokenUnset) {
  const Collector c = run_traced(traced_plan(small_grid("normal:1", "tanh"), "5", "2", 0));
  for (const auto& [item, r] : c.networks) {
    EXPECT_TRUE(r.trace.empty()) << "network " << item;
    EXPECT_EQ(r.epoch_broken, -1) << "network " << item;
  }
  for (const auto& [config, rows] : c.traces)
    EXPECT_TRUE(rows.empty()) << "configuration " << config;
}

// --- The last traced row is the final summary ---------------------------------------------------

TEST(LastTracedRow, MatchesSummaryAcrossInitsActivationsAndDepths) {
  cli::GridOptions grid;  // the demo's inits and activations
  grid.width = "3";
  grid.depth = "1,2";
  const SweepPlan plan = traced_plan(grid, "37", "12", 10);
  expect_last_row_matches_summary(plan, run_traced(plan));
}

TEST(LastTracedRow, MatchesSummaryWhenSomeNetworksDiverge) {
  // relu, depth 6, weights of standard deviation 1e38 (near float's limit, the largest a scheme
  // accepts): the logit overflows double for some replicates but not all (dead ReLUs keep the
  // others finite).
  cli::GridOptions grid = small_grid("normal:1e38,normal:1", "relu,linear");
  grid.depth = "6";
  const SweepPlan plan = traced_plan(grid, "12", "20", 4);
  const Collector c = run_traced(plan);
  expect_last_row_matches_summary(plan, c);
  const ConfigSummary& s = c.summaries.at(0);
  ASSERT_EQ(plan.configs[0].init.text, "normal:1e38");
  ASSERT_GT(s.diverged.rate, 0.0) << "the test needs some diverged networks";
  ASSERT_LT(s.diverged.rate, 1.0) << "the test needs some finite networks";
}

// Every traced point, not only the last, is what training stopped at that epoch measures.
TEST(TracePoints, MatchNetworksTrainedForExactlyThatManyEpochs) {
  cli::GridOptions grid = small_grid("zeros,const:0.5,normal:1,uniform:0.2", "tanh,relu");
  grid.depth = "1,2";
  const SweepPlan plan = traced_plan(grid, "13", "2", 4, "0.3");
  const Collector c = run_traced(plan);
  for (const auto& [index, r] : c.networks) {
    const WorkItem item = plan.item(index);
    for (const TracePoint& p : r.trace) {
      SCOPED_TRACE("network " + std::to_string(index) + ", epoch " + std::to_string(p.epoch));
      const NetworkResult stopped = trained_for(plan, item, p.epoch);
      EXPECT_EQ(p.diverged, stopped.diverged);
      EXPECT_EQ(p.loss, stopped.final_loss);
      EXPECT_EQ(p.solved, stopped.solved);
      EXPECT_EQ(p.broken, stopped.broken);
      EXPECT_EQ(p.collapsed, stopped.collapsed);
      double fraction = 0.0;
      for (const int d : stopped.distinct)
        fraction += static_cast<double>(d) / plan.configs[item.config].width;
      EXPECT_DOUBLE_EQ(p.distinct_fraction, fraction / plan.configs[item.config].depth);
    }
  }
}

// --- epoch_broken -------------------------------------------------------------------------------

TEST(EpochBroken, NeverForSymmetricInitialisations) {
  cli::GridOptions grid = small_grid("zeros,const:0.5,symmetric:normal:1", "tanh,sigmoid,relu");
  grid.depth = "1,2";
  const Collector c = run_traced(traced_plan(grid, "40", "4", 1));
  for (const auto& [item, r] : c.networks) {
    EXPECT_EQ(r.epoch_broken, -1) << "network " << item;
    for (const TracePoint& p : r.trace)
      EXPECT_FALSE(p.broken) << "network " << item << ", epoch " << p.epoch;
  }
  for (const auto& [config, rows] : c.traces) {
    for (const TraceRow& row : rows) {
      EXPECT_EQ(row.broken_fraction, 0.0) << "configuration " << config;
      EXPECT_EQ(row.collapsed_fraction, 1.0) << "configuration " << config;
    }
  }
}

TEST(EpochBroken, IsZeroWhenRandomWeightsStartDistinct) {
  const Collector c =
      run_traced(traced_plan(small_grid("normal:1,xavier-uniform", "tanh"), "10", "5", 3));
  for (const auto& [item, r] : c.networks)
    EXPECT_EQ(r.epoch_broken, 0) << "network " << item;
}

// Small weights with a coarse tie tolerance (τ = 0.3) start tied (D_l = 1) and come apart while
// training, so the break happens at a later epoch. For each traced epoch t up to epoch_broken,
// a network trained for exactly t epochs must have some layer with D_l = 1 before it and every
// layer with D_l > 1 at it; one that never breaks has D_l = 1 somewhere at every traced epoch.
class EpochBrokenAfterTraining : public ::testing::TestWithParam<int> {};

TEST_P(EpochBrokenAfterTraining, IsFirstTracedEpochWithEveryLayerSplit) {
  const int every = GetParam();
  cli::GridOptions grid = small_grid("uniform:0.2", "tanh");
  grid.width = "4";
  grid.depth = "1,2";
  grid.lr = "2";
  const SweepPlan plan = traced_plan(grid, "350", "4", every, "0.3");
  const Collector c = run_traced(plan);
  int later_breaks = 0;
  for (const auto& [index, r] : c.networks) {
    SCOPED_TRACE("network " + std::to_string(index));
    const WorkItem item = plan.item(index);
    ASSERT_FALSE(r.diverged);
    const std::vector<int> traced = expected_epochs(plan.run.epochs, every);
    if (r.epoch_broken >= 0) {
      EXPECT_NE(std::find(traced.begin(), traced.end(), r.epoch_broken), traced.end())
          << "epoch_broken " << r.epoch_broken << " is not a traced epoch";
    }
    for (const int t : traced) {
      if (r.epoch_broken >= 0 && t > r.epoch_broken) break;
      const bool split = every_layer_split(trained_for(plan, item, t).distinct);
      EXPECT_EQ(split, t == r.epoch_broken) << "epoch " << t;
    }
    later_breaks += r.epoch_broken > 0;
  }
  EXPECT_GE(later_breaks, 3) << "the test needs networks that break after epoch 0";
}

INSTANTIATE_TEST_SUITE_P(TraceEvery, EpochBrokenAfterTraining, ::testing::Values(1, 7, 50));

TEST(EpochBroken, NotSetByADivergedNetwork) {
  // Linear, depth 8, weights of standard deviation 1e38: finite and all distinct, but the logit
  // (about 1e38^9) overflows at epoch 0 and the parameters become non-finite after the first
  // update. Diverged networks are never broken (docs/method.md §6), so the huge distinct weights
  // must not mark a break.
  cli::GridOptions grid = small_grid("normal:1e38", "linear");
  grid.depth = "8";
  const Collector c = run_traced(traced_plan(grid, "3", "3", 1));
  for (const auto& [item, r] : c.networks) {
    ASSERT_FALSE(r.trace.empty());
    EXPECT_TRUE(r.trace.front().diverged) << "network " << item;
    EXPECT_TRUE(r.diverged) << "network " << item;
    EXPECT_EQ(r.epoch_broken, -1) << "network " << item;
  }
}

// --- The CSV files, through the binary ----------------------------------------------------------

using CsvRow = std::map<std::string, std::string>;

std::vector<CsvRow> read_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream split(line);  // no field in these files needs quoting
    std::string field;
    while (std::getline(split, field, ','))
      fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    if (header.empty()) {
      header = fields;
      continue;
    }
    EXPECT_EQ(fields.size(), header.size()) << line;
    CsvRow row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i)
      row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

const char* const kKeyColumns[] = {"task", "init", "bias_init", "activation", "depth", "width",
                                   "loss", "lr",   "momentum",  "batch",      "epochs"};

std::string config_key(const CsvRow& row) {
  std::string key;
  for (const char* column : kKeyColumns)
    key += row.at(column) + "|";
  return key;
}

void expect_same_number(const std::string& trace, const std::string& summary,
                        const std::string& what) {
  ASSERT_EQ(trace.empty(), summary.empty()) << what;
  if (trace.empty()) return;
  const double a = std::stod(trace), b = std::stod(summary);
  EXPECT_NEAR(a, b, 1e-12 * (1.0 + std::fabs(b))) << what << ": " << trace << " vs " << summary;
}

class TraceCsv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("symbreak_test_trace_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int sweep(const std::string& args) {
    const std::string command = std::string(SYMBREAK_BINARY) +
                                " sweep --quiet --engine cpu-ref --width 3 --seeds 6 "
                                "--init zeros,he-normal --activation tanh,relu " +
                                args;
    return std::system(command.c_str());
  }
  std::string path(const char* name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(TraceCsv, LastTracedRowMatchesOutRowAndEpochsAreTraced) {
  ASSERT_EQ(sweep("--epochs 23 --trace-every 5 --out " + path("out.csv") + " --trace " +
                  path("trace.csv") + " --networks " + path("networks.csv")),
            0);
  const std::vector<CsvRow> out = read_csv(path("out.csv"));
  const std::vector<CsvRow> trace = read_csv(path("trace.csv"));
  ASSERT_EQ(out.size(), 4u);
  std::map<std::string, std::vector<CsvRow>> by_config;
  for (const CsvRow& row : trace)
    by_config[config_key(row)].push_back(row);
  ASSERT_EQ(by_config.size(), out.size());
  for (const CsvRow& summary : out) {
    const std::string key = config_key(summary);
    SCOPED_TRACE(key);
    const std::vector<CsvRow>& rows = by_config.at(key);
    std::vector<int> epochs;
    for (const CsvRow& row : rows) {
      epochs.push_back(std::stoi(row.at("epoch")));
      EXPECT_EQ(row.at("n"), summary.at("n"));
      EXPECT_EQ(row.at("engine"), summary.at("engine"));
    }
    EXPECT_EQ(epochs, (std::vector<int>{0, 5, 10, 15, 20, 23}));
    const CsvRow& last = rows.back();
    expect_same_number(last.at("mean_loss"), summary.at("mean_final_loss"), "mean loss");
    expect_same_number(last.at("solved_fraction"), summary.at("solved_rate"), "solved");
    expect_same_number(last.at("eff_width"), summary.at("eff_width"), "eff_width");
    expect_same_number(last.at("broken_fraction"), summary.at("broken_rate"), "broken");
    expect_same_number(last.at("collapsed_fraction"), summary.at("collapsed_rate"), "collapsed");
  }
  for (const CsvRow& network : read_csv(path("networks.csv"))) {
    ASSERT_EQ(network.count("epoch_broken"), 1u);
    EXPECT_EQ(network.at("epoch_broken"), network.at("init") == "zeros" ? "-1" : "0");
  }
}

TEST_F(TraceCsv, NetworksCsvHasEpochBrokenOnlyWhenTracing) {
  ASSERT_EQ(sweep("--epochs 3 --networks " + path("networks.csv")), 0);
  const std::vector<CsvRow> rows = read_csv(path("networks.csv"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().count("epoch_broken"), 0u);
}

}  // namespace
}  // namespace symbreak
