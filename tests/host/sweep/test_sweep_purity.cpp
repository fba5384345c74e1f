// Tests docs/method.md §5.3 "Randomness" through host/sweep_runner and host/cpu_reference:
// replicate r's initial parameters and its whole result are a pure function of (seed, r, scheme,
// layer sizes), whatever else is in the sweep, however it is chunked and however many threads train
// it.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/engines/cpu_reference.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "host/sweep/sweep_runner.hpp"

namespace symbreak {
namespace {

bool bit_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Every field, doubles bit for bit.
void expect_same_result(const NetworkResult& a, const NetworkResult& b, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_TRUE(bit_equal(a.final_loss, b.final_loss)) << a.final_loss << " vs " << b.final_loss;
  EXPECT_TRUE(bit_equal(a.accuracy, b.accuracy));
  EXPECT_EQ(a.solved, b.solved);
  EXPECT_EQ(a.epoch_solved, b.epoch_solved);
  EXPECT_EQ(a.distinct, b.distinct);
  EXPECT_EQ(a.broken, b.broken);
  EXPECT_EQ(a.collapsed, b.collapsed);
  EXPECT_EQ(a.frozen, b.frozen);
  EXPECT_EQ(a.diverged, b.diverged);
  EXPECT_EQ(a.epoch_broken, b.epoch_broken);
  ASSERT_EQ(a.trace.size(), b.trace.size());
  for (std::size_t t = 0; t < a.trace.size(); ++t) {
    const TracePoint& p = a.trace[t];
    const TracePoint& q = b.trace[t];
    EXPECT_EQ(p.epoch, q.epoch);
    EXPECT_TRUE(bit_equal(p.loss, q.loss));
    EXPECT_EQ(p.solved, q.solved);
    EXPECT_TRUE(bit_equal(p.distinct_fraction, q.distinct_fraction));
    EXPECT_EQ(p.broken, q.broken);
    EXPECT_EQ(p.collapsed, q.collapsed);
    EXPECT_EQ(p.diverged, q.diverged);
  }
}

RunSettings run_settings(std::int64_t seeds) {
  RunSettings run;
  run.epochs = 40;
  run.seeds = seeds;
  run.seed = 77;
  run.trace_every = 10;
  return run;
}

SweepGrid grid(std::vector<std::string> tasks, std::vector<int> widths,
               std::vector<Activation> activations, std::vector<const char*> inits) {
  SweepGrid g;
  g.tasks = std::move(tasks);
  g.depths = {2};
  g.widths.assign(widths.begin(), widths.end());
  g.activations = std::move(activations);
  for (const char* init : inits)
    g.inits.push_back(parse_init_choice(init));
  g.bias_inits = {parse_bias_choice("uniform:0.5")};
  g.losses = {Loss::bce};
  g.lrs = {0.5};
  g.momenta = {0.0};
  g.batches = {0};
  return g;
}

// The configuration of `plan` that has the same identifying values as `target` in `reference`.
std::int64_t find_config(const SweepPlan& plan, const SweepPlan& reference, const Config& target) {
  for (std::size_t i = 0; i < plan.configs.size(); ++i) {
    const Config& c = plan.configs[i];
    if (plan.task_of(c).name == reference.task_of(target).name && c.depth == target.depth &&
        c.width == target.width && c.activation == target.activation &&
        c.init.text == target.init.text && c.bias.text == target.bias.text) {
      return static_cast<std::int64_t>(i);
    }
  }
  return -1;
}

// A small sweep alone, and the same configurations inside a larger one: another task listed first
// (so the task index differs), other widths, activations and inits around them, and more seeds.
struct Sweeps {
  SweepPlan small = make_plan(
      grid({"xor"}, {3}, {Activation::tanh}, {"xavier-normal", "he-uniform", "symmetric:normal:1"}),
      run_settings(4));
  SweepPlan large =
      make_plan(grid({"and", "xor"}, {2, 3}, {Activation::sigmoid, Activation::tanh},
                     {"orthogonal", "xavier-normal", "he-uniform", "symmetric:normal:1"}),
                run_settings(9));
};

TEST(SweepPurity, InitialParametersAndResultsDoNotDependOnTheRestOfTheSweep) {
  const Sweeps s;
  for (std::size_t c = 0; c < s.small.configs.size(); ++c) {
    const std::int64_t in_large = find_config(s.large, s.small, s.small.configs[c]);
    ASSERT_GE(in_large, 0);
    ASSERT_NE(in_large, static_cast<std::int64_t>(c)) << "the large sweep should shift it";
    for (std::uint32_t r = 0; r < s.small.run.seeds; ++r) {
      const std::vector<double> p =
          reference_initial_parameters(s.small, WorkItem{static_cast<std::int64_t>(c), r});
      const std::vector<double> q = reference_initial_parameters(s.large, WorkItem{in_large, r});
      ASSERT_EQ(p.size(), q.size());
      EXPECT_EQ(std::memcmp(p.data(), q.data(), p.size() * sizeof(double)), 0)
          << "config " << c << " replicate " << r;
      expect_same_result(
          train_reference_network(s.small, WorkItem{static_cast<std::int64_t>(c), r}),
          train_reference_network(s.large, WorkItem{in_large, r}),
          "config " + std::to_string(c) + " replicate " + std::to_string(r));
    }
  }
}

// Training settings are not inputs of the initialisation: only seed, replicate, scheme and sizes.
TEST(SweepPurity, InitialParametersIgnoreTrainingSettings) {
  SweepGrid a = grid({"xor"}, {5}, {Activation::tanh}, {"he-normal/normal:1"});
  SweepGrid b = a;
  b.activations = {Activation::relu};
  b.losses = {Loss::mse};
  b.lrs = {0.01};
  b.momenta = {0.9};
  b.batches = {1};
  RunSettings other = run_settings(3);
  other.epochs = 7;
  other.tol = 1e-3;
  other.trace_every = 0;
  const SweepPlan pa = make_plan(a, run_settings(3));
  const SweepPlan pb = make_plan(b, other);
  for (std::uint32_t r = 0; r < 3; ++r) {
    const std::vector<double> p = reference_initial_parameters(pa, WorkItem{0, r});
    const std::vector<double> q = reference_initial_parameters(pb, WorkItem{0, r});
    EXPECT_EQ(std::memcmp(p.data(), q.data(), p.size() * sizeof(double)), 0) << r;
  }
  // ... while the global seed and the replicate are.
  RunSettings reseeded = run_settings(3);
  reseeded.seed += 1;
  const SweepPlan pc = make_plan(a, reseeded);
  EXPECT_NE(reference_initial_parameters(pa, WorkItem{0, 0}),
            reference_initial_parameters(pc, WorkItem{0, 0}));
  EXPECT_NE(reference_initial_parameters(pa, WorkItem{0, 0}),
            reference_initial_parameters(pa, WorkItem{0, 1}));
}

class Collector final : public SweepObserver {
 public:
  void network_done(std::int64_t item, const NetworkResult& r) override {
    EXPECT_EQ(item, static_cast<std::int64_t>(networks.size())) << "results out of item order";
    networks.push_back(r);
  }
  void config_done(std::int64_t config, const ConfigSummary& s,
                   const std::vector<TraceRow>& trace) override {
    EXPECT_EQ(configs.count(config), 0u) << "configuration reported twice";
    configs[config] = s;
    traces[config] = trace;
  }
  std::vector<NetworkResult> networks;
  std::map<std::int64_t, ConfigSummary> configs;
  std::map<std::int64_t, std::vector<TraceRow>> traces;
};

void expect_same_summary(const ConfigSummary& a, const ConfigSummary& b) {
  EXPECT_EQ(a.n, b.n);
  for (const auto member :
       {&ConfigSummary::solved, &ConfigSummary::broken, &ConfigSummary::collapsed,
        &ConfigSummary::frozen, &ConfigSummary::diverged}) {
    EXPECT_TRUE(bit_equal((a.*member).rate, (b.*member).rate));
    EXPECT_TRUE(bit_equal((a.*member).ci.lo, (b.*member).ci.lo));
    EXPECT_TRUE(bit_equal((a.*member).ci.hi, (b.*member).ci.hi));
  }
  for (const auto member : {&ConfigSummary::eff_width, &ConfigSummary::median_epoch_solved,
                            &ConfigSummary::mean_final_loss, &ConfigSummary::median_final_loss}) {
    ASSERT_EQ((a.*member).has_value(), (b.*member).has_value());
    if ((a.*member).has_value()) {
      EXPECT_TRUE(bit_equal(*(a.*member), *(b.*member)));
    }
  }
}

TEST(SweepPurity, ResultsDoNotDependOnChunkingOrThreads) {
  const Sweeps sweeps;
  const SweepPlan& plan = sweeps.large;
  std::vector<NetworkResult> expected;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    expected.push_back(train_reference_network(plan, plan.item(i)));

  std::optional<Collector> first;
  for (const std::int64_t chunk : {std::int64_t{1}, std::int64_t{7}, std::int64_t{1} << 20}) {
    for (const int threads : {1, 3}) {
      const std::string where =
          "chunk " + std::to_string(chunk) + ", threads " + std::to_string(threads);
      SCOPED_TRACE(where);
      CpuReferenceEngine engine(threads);
      Collector collector;
      RunnerOptions options;
      options.progress = false;
      options.chunk_items = chunk;
      const SweepOutcome outcome = run_sweep(plan, engine, collector, options);
      EXPECT_FALSE(outcome.interrupted);
      EXPECT_EQ(outcome.networks_done, plan.item_count());
      EXPECT_EQ(outcome.configs_done, static_cast<std::int64_t>(plan.configs.size()));
      ASSERT_EQ(collector.networks.size(), expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i)
        expect_same_result(collector.networks[i], expected[i], "item " + std::to_string(i));
      ASSERT_EQ(collector.configs.size(), plan.configs.size());
      if (!first) {
        first = collector;
        continue;
      }
      for (const auto& [config, summary] : collector.configs) {
        expect_same_summary(summary, first->configs.at(config));
        const auto& rows = collector.traces.at(config);
        const auto& reference_rows = first->traces.at(config);
        ASSERT_EQ(rows.size(), reference_rows.size());
        for (std::size_t t = 0; t < rows.size(); ++t) {
          EXPECT_EQ(rows[t].epoch, reference_rows[t].epoch);
          EXPECT_EQ(rows[t].mean_loss, reference_rows[t].mean_loss);
          EXPECT_EQ(rows[t].solved_fraction, reference_rows[t].solved_fraction);
          EXPECT_EQ(rows[t].mean_distinct_fraction, reference_rows[t].mean_distinct_fraction);
        }
      }
    }
  }
}

}  // namespace
}  // namespace symbreak
