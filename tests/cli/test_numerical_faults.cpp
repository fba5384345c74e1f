// Numerical faults through the real binary, on every engine that runs without a GPU: learning rate
// 10000, const:50 and linear activations make networks diverge. Each is flagged `diverged` (and
// nothing else) in the networks file, the sweep ends normally, and no NaN or infinity reaches a
// configuration's aggregates or the trace, even where diverged and healthy networks share a
// configuration. verify runs to its verdict on a part of that grid.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

using CsvRow = std::map<std::string, std::string>;

// Splits a CSV line; a quoted field may hold commas.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

std::vector<CsvRow> read_csv(const std::string& path) {
  std::istringstream in(read_file(path));
  std::string line;
  std::vector<CsvRow> rows;
  if (!std::getline(in, line)) return rows;
  const std::vector<std::string> header = fields_of(line);
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = fields_of(line);
    EXPECT_EQ(fields.size(), header.size()) << line;
    CsvRow row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i)
      row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

// An aggregate is empty (every network diverged) or a finite number.
void expect_empty_or_finite(const CsvRow& row, const std::string& column,
                            const std::string& where) {
  const std::string& text = row.at(column);
  if (text.empty()) return;
  const double value = std::stod(text);
  EXPECT_TRUE(std::isfinite(value)) << where << ": " << column << " = " << text;
}

// Deep and wide, linear and saturating, a sane and an absurd learning rate.
const std::vector<std::string> kDivergingGrid = {"--task",       "xor,parity:3",
                                                 "--init",       "const:50,normal:1,xavier-uniform",
                                                 "--activation", "linear,relu,tanh",
                                                 "--lr",         "0.5,10000",
                                                 "--width",      "4,32",
                                                 "--depth",      "1,3",
                                                 "--seeds",      "8",
                                                 "--epochs",     "60"};

// A smaller grid for verify, which trains every network twice: it still holds the ReLU networks
// that overflow float but not double.
const std::vector<std::string> kVerifyGrid = {
    "--task",       "xor",         "--init",   "const:50,xavier-uniform",
    "--activation", "linear,relu", "--lr",     "0.5,10000",
    "--width",      "4,32",        "--depth",  "1,3",
    "--seeds",      "8",           "--epochs", "60"};

// The asan preset's unoptimised, instrumented build trains many times slower.
constexpr std::chrono::seconds kPatience(kAddressSanitizer ? 600 : 60);

class NumericalFaults : public ::testing::TestWithParam<std::string> {};

TEST_P(NumericalFaults, DivergenceIsFlaggedPerNetworkAndKeptOutOfAggregates) {
  const std::string engine = GetParam();
  const TempDir capture;
  const TempDir work;
  std::vector<std::string> args = {"sweep", "--quiet", "--engine", engine};
  args.insert(args.end(), kDivergingGrid.begin(), kDivergingGrid.end());
  for (const std::string& a : {std::string("--out"), work / "out.csv", std::string("--networks"),
                               work / "networks.csv", std::string("--trace-every"),
                               std::string("20"), std::string("--trace"), work / "trace.csv"})
    args.push_back(a);
  const Outcome o = wait_symbreak(start_symbreak(args, capture), kPatience);
  ASSERT_TRUE(o.exited) << "ended by signal " << o.signal;
  ASSERT_EQ(o.status, 0) << o.err;

  const std::vector<CsvRow> configs = read_csv(work / "out.csv");
  ASSERT_EQ(configs.size(), 2u * 3 * 3 * 2 * 2 * 2);
  int all_diverged = 0, mixed = 0;
  for (const CsvRow& c : configs) {
    const std::string where = c.at("task") + " " + c.at("init") + " " + c.at("activation") +
                              " lr " + c.at("lr") + " width " + c.at("width") + " depth " +
                              c.at("depth");
    const double diverged = std::stod(c.at("diverged_rate"));
    if (diverged == 1.0) {
      ++all_diverged;
      EXPECT_EQ(c.at("eff_width"), "") << where;
      EXPECT_EQ(c.at("mean_final_loss"), "") << where;
      EXPECT_EQ(c.at("solved_rate"), "0") << where;
      EXPECT_EQ(c.at("broken_rate"), "0") << where;
      EXPECT_EQ(c.at("collapsed_rate"), "0") << where;
      EXPECT_EQ(c.at("frozen_rate"), "0") << where;
    } else if (diverged > 0.0) {
      ++mixed;
      EXPECT_FALSE(c.at("eff_width").empty()) << where;
      EXPECT_FALSE(c.at("mean_final_loss").empty()) << where;
    }
    for (const char* column :
         {"solved_rate", "solved_lo", "solved_hi", "broken_rate", "broken_lo", "broken_hi",
          "collapsed_rate", "frozen_rate", "diverged_rate", "eff_width", "median_epoch_solved",
          "mean_final_loss", "median_final_loss", "diverged_lo", "diverged_hi"}) {
      expect_empty_or_finite(c, column, where);
    }
  }
  // lr 10000 with linear activations diverges in every network; const:50 too.
  EXPECT_GE(all_diverged, 8) << "the grid was meant to diverge";
  RecordProperty("configurations_all_diverged", all_diverged);
  RecordProperty("configurations_mixed", mixed);

  // A diverged network is diverged and nothing else.
  int diverged_networks = 0;
  for (const CsvRow& n : read_csv(work / "networks.csv")) {
    if (n.at("diverged") != "1") continue;
    ++diverged_networks;
    EXPECT_EQ(n.at("solved"), "0");
    EXPECT_EQ(n.at("broken"), "0");
    EXPECT_EQ(n.at("collapsed"), "0");
    EXPECT_EQ(n.at("frozen"), "0");
  }
  EXPECT_GT(diverged_networks, 0);

  for (const CsvRow& t : read_csv(work / "trace.csv")) {
    for (const char* column :
         {"mean_loss", "solved_fraction", "eff_width", "broken_fraction", "collapsed_fraction"}) {
      expect_empty_or_finite(t, column, "trace epoch " + t.at("epoch"));
    }
  }
}

// verify trains the same diverging networks with the engine and with cpu-ref and reaches a
// verdict: a float engine may diverge where double does not, which verify reports as a
// disagreement (exit 1), never a crash.
TEST_P(NumericalFaults, VerifyReachesAVerdictOnDivergingNetworks) {
  const std::string engine = GetParam();
  const TempDir capture;
  if (engine == "cpu-ref") GTEST_SKIP() << "verify compares an engine with cpu-ref: not cpu-ref";
  std::vector<std::string> args = {"verify", "--engine", engine};
  args.insert(args.end(), kVerifyGrid.begin(), kVerifyGrid.end());
  const Outcome o = wait_symbreak(start_symbreak(args, capture), kPatience);
  ASSERT_TRUE(o.exited) << "ended by signal " << o.signal;
  EXPECT_TRUE(o.status == 0 || o.status == 1) << o.err;
  EXPECT_NE(o.out.find("Overall"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("nan"), std::string::npos) << o.out;
}

INSTANTIATE_TEST_SUITE_P(CpuEngines, NumericalFaults, ::testing::Values("cpu-ref", "cpu"),
                         [](const auto& info) {
                           return info.param == "cpu-ref" ? std::string("CpuRef")
                                                          : std::string("Cpu");
                         });

}  // namespace
