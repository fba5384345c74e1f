// Tests host/csv_writer: the per-configuration header starts with the stable columns of
// docs/method.md §8.1 in their order, in all three files every row has the header's fields, each
// value under its own name, and the breakers' columns (§4.1) come last.
#include "host/report/csv_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "host/sweep/sweep_grid.hpp"

namespace symbreak {
namespace {

// Copied from docs/method.md §8.1, in its order.
const std::vector<std::string> kSpecColumns = {"task",
                                               "depth",
                                               "width",
                                               "activation",
                                               "init",
                                               "bias_init",
                                               "loss",
                                               "lr",
                                               "momentum",
                                               "batch",
                                               "epochs",
                                               "n",
                                               "solved_rate",
                                               "solved_lo",
                                               "solved_hi",
                                               "broken_rate",
                                               "broken_lo",
                                               "broken_hi",
                                               "collapsed_rate",
                                               "frozen_rate",
                                               "diverged_rate",
                                               "eff_width",
                                               "median_epoch_solved",
                                               "mean_final_loss",
                                               "engine"};

// One CSV line without its '\n', split on commas (no field here is quoted).
std::vector<std::string> fields(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n') << "a row ends with one newline";
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "a row is one line";
  EXPECT_EQ(line.find('"'), std::string::npos);
  std::vector<std::string> out;
  std::string field;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == ',') {
      out.push_back(field);
      field.clear();
    } else {
      field += line[i];
    }
  }
  out.push_back(field);
  return out;
}

std::map<std::string, std::string> by_name(const std::string& header, const std::string& row) {
  const std::vector<std::string> names = fields(header);
  const std::vector<std::string> values = fields(row);
  EXPECT_EQ(names.size(), values.size()) << header << row;
  std::map<std::string, std::string> m;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    EXPECT_EQ(m.count(names[i]), 0u) << "duplicate column " << names[i];
    m[names[i]] = values[i];
  }
  return m;
}

SweepPlan example_plan() {
  SweepGrid g;
  g.tasks = {"parity:3"};
  g.depths = {2};
  g.widths = {6};
  g.activations = {Activation::leaky_relu};
  g.inits = {parse_init_choice("zeros/normal:1"), parse_init_choice("xavier-uniform:2")};
  g.bias_inits = {parse_bias_choice("const:0.25")};
  g.losses = {Loss::mse};
  g.lrs = {0.125};
  g.momenta = {0.5};
  g.batches = {3};
  RunSettings run;
  run.epochs = 17;
  run.seeds = 5;
  run.seed = 99;
  run.tol = 1e-5;
  return make_plan(g, run);
}

TEST(ConfigCsv, HeaderBeginsWithTheSpecColumnsInSpecOrder) {
  const std::vector<std::string> header = fields(config_csv_header());
  ASSERT_GE(header.size(), kSpecColumns.size());
  for (std::size_t i = 0; i < kSpecColumns.size(); ++i)
    EXPECT_EQ(header[i], kSpecColumns[i]) << "column " << i;
  ASSERT_EQ(header.size(), config_csv_columns().size());
  for (std::size_t i = 0; i < header.size(); ++i)
    EXPECT_EQ(header[i], config_csv_columns()[i]);
}

TEST(ConfigCsv, RowPutsEveryValueUnderItsColumn) {
  const SweepPlan plan = example_plan();
  ConfigSummary s;
  s.n = 5;
  s.solved = Rate{0.375, {0.125, 0.625}};
  s.broken = Rate{0.5, {0.25, 0.75}};
  s.collapsed = Rate{0.0625, {0.03125, 0.5625}};
  s.frozen = Rate{0.1875, {0.09375, 0.6875}};
  s.diverged = Rate{0.25, {0.015625, 0.8125}};
  s.eff_width = 0.875;
  s.median_epoch_solved = 12.5;
  s.mean_final_loss = 0.0078125;
  s.median_final_loss = 0.00390625;
  const auto m = by_name(config_csv_header(), config_csv_row(plan, plan.configs[0], s, "cpu-ref"));
  const std::map<std::string, std::string> expected = {
      {"task", "parity:3"},
      {"depth", "2"},
      {"width", "6"},
      {"activation", "leaky_relu"},
      {"init", "zeros/normal:1"},
      {"bias_init", "normal:1"},
      {"loss", "mse"},
      {"lr", "0.125"},
      {"momentum", "0.5"},
      {"batch", "3"},
      {"epochs", "17"},
      {"n", "5"},
      {"solved_rate", "0.375"},
      {"solved_lo", "0.125"},
      {"solved_hi", "0.625"},
      {"broken_rate", "0.5"},
      {"broken_lo", "0.25"},
      {"broken_hi", "0.75"},
      {"collapsed_rate", "0.0625"},
      {"frozen_rate", "0.1875"},
      {"diverged_rate", "0.25"},
      {"eff_width", "0.875"},
      {"median_epoch_solved", "12.5"},
      {"mean_final_loss", "0.0078125"},
      {"engine", "cpu-ref"},
      {"collapsed_lo", "0.03125"},
      {"collapsed_hi", "0.5625"},
      {"frozen_lo", "0.09375"},
      {"frozen_hi", "0.6875"},
      {"diverged_lo", "0.015625"},
      {"diverged_hi", "0.8125"},
      {"median_final_loss", "0.00390625"},
      {"seed", "99"},
      {"tol", "1e-05"},
  };
  for (const auto& [name, value] : expected) {
    ASSERT_EQ(m.count(name), 1u) << name;
    EXPECT_EQ(m.at(name), value) << name;
  }
  // The second configuration: --bias-init applies, and the scheme is written as given.
  const auto m2 = by_name(config_csv_header(), config_csv_row(plan, plan.configs[1], s, "cpu-ref"));
  EXPECT_EQ(m2.at("init"), "xavier-uniform:2");
  EXPECT_EQ(m2.at("bias_init"), "const:0.25");
}

TEST(ConfigCsv, EmptyOptionalsAreEmptyFields) {
  const SweepPlan plan = example_plan();
  ConfigSummary s;  // no eff_width, no median epoch, no loss
  const auto m = by_name(config_csv_header(), config_csv_row(plan, plan.configs[0], s, "cpu-ref"));
  EXPECT_EQ(m.at("eff_width"), "");
  EXPECT_EQ(m.at("median_epoch_solved"), "");
  EXPECT_EQ(m.at("mean_final_loss"), "");
}

NetworkResult example_network() {
  NetworkResult r;
  r.final_loss = 0.25;
  r.accuracy = 0.875;
  r.solved = false;
  r.epoch_solved = -1;
  r.distinct = {6, 3};
  r.broken = false;
  r.collapsed = false;
  r.frozen = true;
  r.diverged = false;
  r.epoch_broken = 14;
  return r;
}

TEST(NetworkCsv, HeaderAndRowAgreeWithAndWithoutTrace) {
  const SweepPlan plan = example_plan();
  for (const bool traced : {false, true}) {
    const std::string header = network_csv_header(traced);
    const auto m = by_name(
        header, network_csv_row(plan, WorkItem{1, 3}, example_network(), "cpu-ref", traced));
    EXPECT_EQ(m.at("init"), "xavier-uniform:2");
    EXPECT_EQ(m.at("replicate"), "3");
    EXPECT_EQ(m.at("seed"), "99");
    EXPECT_EQ(m.at("final_loss"), "0.25");
    EXPECT_EQ(m.at("accuracy"), "0.875");
    EXPECT_EQ(m.at("solved"), "0");
    EXPECT_EQ(m.at("epoch_solved"), "-1");
    EXPECT_EQ(m.at("distinct"), "6;3");  // one field for all hidden layers
    EXPECT_EQ(m.at("frozen"), "1");
    EXPECT_EQ(m.at("engine"), "cpu-ref");
    EXPECT_EQ(m.count("epoch_broken"), traced ? 1u : 0u);
    if (traced) {
      EXPECT_EQ(m.at("epoch_broken"), "14");
    }
  }
}

TEST(TraceCsv, HeaderAndRowAgree) {
  const SweepPlan plan = example_plan();
  TraceRow row;
  row.epoch = 40;
  row.n = 5;
  row.mean_loss = 0.5;
  row.solved_fraction = 0.25;
  row.mean_distinct_fraction = 0.75;
  row.broken_fraction = 0.125;
  row.collapsed_fraction = 0.0625;
  const auto m = by_name(trace_csv_header(), trace_csv_row(plan, plan.configs[0], row, "cpu-ref"));
  EXPECT_EQ(m.at("task"), "parity:3");
  EXPECT_EQ(m.at("epoch"), "40");
  EXPECT_EQ(m.at("n"), "5");
  EXPECT_EQ(m.at("mean_loss"), "0.5");
  EXPECT_EQ(m.at("solved_fraction"), "0.25");
  EXPECT_EQ(m.at("eff_width"), "0.75");
  EXPECT_EQ(m.at("broken_fraction"), "0.125");
  EXPECT_EQ(m.at("collapsed_fraction"), "0.0625");
  EXPECT_EQ(m.at("engine"), "cpu-ref");
}

// The breakers' columns (docs/method.md §4.1) come last in all three files, after every column
// that existed before them, with their values written even when they are the defaults.
TEST(BreakerColumns, AreTheLastFourOfEveryFileWithTheirValues) {
  SweepPlan plan = example_plan();
  plan.configs[1].optimizer = Optimizer::rmsprop;
  plan.configs[1].weight_decay = 0.015625;
  plan.configs[1].dropout = 0.25;
  plan.configs[1].grad_noise = 0.5;
  const std::vector<std::string> last = {"optimizer", "weight_decay", "dropout", "grad_noise"};
  TraceRow row;
  row.n = 5;
  const std::vector<std::pair<std::string, std::string>> files = {
      {config_csv_header(), config_csv_row(plan, plan.configs[1], ConfigSummary{}, "cpu")},
      {network_csv_header(true),
       network_csv_row(plan, WorkItem{1, 0}, example_network(), "cpu", true)},
      {network_csv_header(false),
       network_csv_row(plan, WorkItem{1, 0}, example_network(), "cpu", false)},
      {trace_csv_header(), trace_csv_row(plan, plan.configs[1], row, "cpu")}};
  for (const auto& [header, line] : files) {
    const std::vector<std::string> names = fields(header);
    ASSERT_GT(names.size(), last.size());
    EXPECT_EQ(std::vector<std::string>(names.end() - 4, names.end()), last) << header;
    EXPECT_EQ(names[0], "task");
    const auto m = by_name(header, line);
    EXPECT_EQ(m.at("optimizer"), "rmsprop");
    EXPECT_EQ(m.at("weight_decay"), "0.015625");
    EXPECT_EQ(m.at("dropout"), "0.25");
    EXPECT_EQ(m.at("grad_noise"), "0.5");
    EXPECT_EQ(m.at("init"), "xavier-uniform:2");
  }
  // Defaults are written too: plain SGD.
  const auto m =
      by_name(config_csv_header(), config_csv_row(plan, plan.configs[0], ConfigSummary{}, "cpu"));
  EXPECT_EQ(m.at("optimizer"), "sgd");
  EXPECT_EQ(m.at("weight_decay"), "0");
  EXPECT_EQ(m.at("dropout"), "0");
  EXPECT_EQ(m.at("grad_noise"), "0");
}

// --params (docs/method.md §8.4): the layer sizes and the flat vector, each joined by ';', the
// values in the engine's precision: 0.1f is "0.1" from a float engine, its exact double value
// in full from cpu-ref.
TEST(ParamsCsv, HeaderAndRowAgreeAndValuesKeepTheEnginesPrecision) {
  const SweepPlan plan = example_plan();  // parity:3, depth 2, width 6
  const NetworkShape shape = plan.shape_of(plan.configs[1]);
  NetworkResult r = example_network();
  r.test_accuracy = 0.5;
  r.parameters.assign(shape.parameter_count(), 0.0);
  r.parameters[0] = static_cast<double>(0.1f);
  r.parameters[1] = -2.5;
  for (const bool as_float : {true, false}) {
    r.parameters_are_float = as_float;
    const auto m = by_name(params_csv_header(),
                           params_csv_row(plan, WorkItem{1, 3}, r, as_float ? "cpu" : "cpu-ref"));
    EXPECT_EQ(m.at("init"), "xavier-uniform:2");
    EXPECT_EQ(m.at("replicate"), "3");
    EXPECT_EQ(m.at("seed"), "99");
    EXPECT_EQ(m.at("data_seed"), "0");
    EXPECT_EQ(m.at("accuracy"), "0.875");
    EXPECT_EQ(m.at("test_accuracy"), "0.5");
    EXPECT_EQ(m.at("layers"), "3;6;6;1");
    EXPECT_EQ(m.at("optimizer"), "sgd");  // every configuration column leads the row
    const std::string values = m.at("parameters");
    // 6 x (3 + 1) + 6 x (6 + 1) + 1 x (6 + 1) = 73 values.
    EXPECT_EQ(std::count(values.begin(), values.end(), ';'), 72);
    EXPECT_EQ(values.substr(0, values.find(";-2.5;0;")), as_float ? "0.1" : "0.10000000149011612");
  }
}

TEST(FormatNumber, IsShortestRoundTrip) {
  for (const double v : {0.1, 1.0 / 3.0, 1e-300, -2.5, 123456789.0, 0.0}) {
    const std::string text = format_number(v);
    EXPECT_EQ(std::stod(text), v) << text;
  }
  EXPECT_EQ(format_number(0.5), "0.5");
  EXPECT_EQ(format_number(std::optional<double>()), "");
}

}  // namespace
}  // namespace symbreak
