// What else breaks symmetry (issue 14, docs/method.md §4.1) through the binary: the options cross
// like the other grid options (command line and TOML), the CSV files carry them, the table and the
// reading show them when they vary and the reading names the breaker, and a float engine that
// does not train them yet is refused rather than training plain SGD.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The reading as one line: wrapping and its indent become single spaces.
std::string reading_of(const std::string& out) {
  std::string reading;
  const std::size_t at = out.find("Reading:");
  if (at == std::string::npos) return reading;
  for (const char c : out.substr(at)) {
    const char shown = c == '\n' ? ' ' : c;
    if (!(shown == ' ' && !reading.empty() && reading.back() == ' ')) reading.push_back(shown);
  }
  return reading;
}

TEST(Breakers, ReadingNamesWhatBrokeTheSymmetryAndWhatDidNot) {
  const TempDir capture;
  const Outcome o = run_symbreak(
      {"sweep", "--engine", "cpu-ref", "--init", "const:0.5", "--activation", "tanh", "--optimizer",
       "sgd,adam", "--dropout", "0,0.5", "--seeds", "6", "--epochs", "60"},
      capture);
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string reading = reading_of(o.out);
  EXPECT_TRUE(contains(reading,
                       "Dropout 0.5 and Adam with dropout 0.5 broke the symmetry of "
                       "const:0.5 in 100.0% of networks; plain SGD and Adam did not."))
      << reading;
  // The table shows the two options that vary, as columns.
  const std::string table = o.out.substr(0, o.out.find("Reading:"));
  EXPECT_TRUE(contains(table, "optimizer")) << table;
  EXPECT_TRUE(contains(table, "dropout")) << table;
  EXPECT_FALSE(contains(table, "grad_noise")) << "a default that does not vary goes unsaid";
}

TEST(Breakers, ReadingNamesASingleBreakerOnlyForSymmetricStarts) {
  const TempDir capture;
  const Outcome o =
      run_symbreak({"sweep", "--engine", "cpu-ref", "--init", "const:0.5,xavier-uniform,zeros",
                    "--activation", "tanh", "--dropout", "0.5", "--seeds", "4", "--epochs", "40"},
                   capture);
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string reading = reading_of(o.out);
  EXPECT_TRUE(contains(reading,
                       "Dropout 0.5 broke the symmetry of const:0.5 in 100.0% of "
                       "networks."))
      << reading;
  // zeros with tanh stays frozen under dropout (docs/method.md §4.1).
  EXPECT_TRUE(contains(reading, "Dropout 0.5 did not break the symmetry of zeros.")) << reading;
  // xavier-uniform starts broken: dropout is not what broke it.
  EXPECT_FALSE(contains(reading, "symmetry of xavier-uniform")) << reading;
  EXPECT_TRUE(contains(o.out, "dropout 0.5")) << "the header names the setting: " << o.out;
}

TEST(Breakers, PlainSweepsSayNothingOfThem) {
  const TempDir capture;
  const Outcome o = run_symbreak({"sweep", "--engine", "cpu-ref", "--init", "zeros,const:0.5",
                                  "--activation", "tanh", "--seeds", "2", "--epochs", "5"},
                                 capture);
  ASSERT_EQ(o.status, 0) << o.err;
  for (const char* word : {"optimizer", "weight_decay", "dropout", "grad_noise", "SGD"})
    EXPECT_FALSE(contains(o.out, word)) << word << " in\n" << o.out;
}

TEST(Breakers, CsvFilesCarryThemLastAndTomlCrossesThem) {
  const TempDir capture;
  const TempDir dir;
  const std::string config = dir / "breakers.toml";
  write_file(config,
             "[sweep]\noptimizer = [\"adam\", \"RMSprop\"]\nweight-decay = \"0,0.01\"\n"
             "grad_noise = 0.5\nmomentum = [0, 0.9]\n");
  const std::string out = dir / "out.csv";
  const std::string networks = dir / "networks.csv";
  const Outcome o = run_symbreak(
      {"sweep", "--config", config, "--engine", "cpu-ref", "--init", "zeros", "--activation",
       "tanh", "--seeds", "2", "--epochs", "3", "--out", out, "--networks", networks},
      capture);
  ASSERT_EQ(o.status, 0) << o.err;
  // Momentum belongs to SGD: with Adam and RMSprop 0.9 resolves to 0, a repeat left out.
  EXPECT_TRUE(contains(o.err, "note: 4 of 8 configurations repeat an earlier one")) << o.err;
  const std::vector<std::string> lines = split_lines(read_file(out));
  ASSERT_EQ(lines.size(), 1u + 4u);
  const std::vector<std::string> header = split_fields(lines[0], ',');
  ASSERT_GE(header.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(header.end() - 4, header.end()),
            (std::vector<std::string>{"optimizer", "weight_decay", "dropout", "grad_noise"}));
  const std::vector<std::vector<std::string>> expected = {{"adam", "0", "0", "0.5"},
                                                          {"adam", "0.01", "0", "0.5"},
                                                          {"rmsprop", "0", "0", "0.5"},
                                                          {"rmsprop", "0.01", "0", "0.5"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::vector<std::string> row = split_fields(lines[i + 1], ',');
    ASSERT_EQ(row.size(), header.size()) << lines[i + 1];
    EXPECT_EQ(std::vector<std::string>(row.end() - 4, row.end()), expected[i]) << lines[i + 1];
    EXPECT_EQ(row[8], "0") << "momentum resolved to 0: " << lines[i + 1];
  }
  const std::vector<std::string> network_lines = split_lines(read_file(networks));
  ASSERT_EQ(network_lines.size(), 1u + 8u);
  EXPECT_EQ(split_fields(network_lines[0], ',').back(), "grad_noise");
  EXPECT_EQ(split_fields(network_lines[1], ',').back(), "0.5");
}

// The breakers' columns at the end of every row change nothing for shards, merge and --resume:
// merged parts and a resumed sweep equal one process byte for byte, and a resume with another
// dropout is refused.
TEST(Breakers, ShardsMergeAndResumeCarryTheirColumns) {
  const TempDir capture;
  const TempDir dir;
  const auto sweep = [&dir](const std::string& out, const std::string& dropouts) {
    return std::vector<std::string>{"sweep",         "--quiet",
                                    "--engine",      "cpu-ref",
                                    "--init",        "const:0.5,zeros",
                                    "--activation",  "tanh",
                                    "--optimizer",   "sgd,adam",
                                    "--dropout",     dropouts,
                                    "--seeds",       "3",
                                    "--epochs",      "20",
                                    "--trace-every", "10",
                                    "--trace",       dir / ("trace." + out),
                                    "--out",         dir / out};
  };
  ASSERT_EQ(run_symbreak(sweep("whole.csv", "0,0.5"), capture).status, 0);
  for (const int i : {0, 1}) {
    std::vector<std::string> args = sweep("part" + std::to_string(i) + ".csv", "0,0.5");
    args.insert(args.end(), {"--shard", std::to_string(i) + "/2"});
    ASSERT_EQ(run_symbreak(args, capture).status, 0);
  }
  for (const std::string prefix : {"", "trace."}) {
    const Outcome m = run_symbreak({"merge", dir / (prefix + "merged.csv"),
                                    dir / (prefix + "part1.csv"), dir / (prefix + "part0.csv")},
                                   capture);
    ASSERT_EQ(m.status, 0) << m.err;
    EXPECT_TRUE(read_file(dir / (prefix + "merged.csv")) == read_file(dir / (prefix + "whole.csv")))
        << prefix << "merged differs";
  }
  std::vector<std::string> resumed = sweep("whole.csv", "0,0.5");
  resumed.push_back("--resume");
  const std::string before = read_file(dir / "whole.csv");
  ASSERT_EQ(run_symbreak(resumed, capture).status, 0);
  EXPECT_TRUE(read_file(dir / "whole.csv") == before);
  std::vector<std::string> other = sweep("whole.csv", "0,0.4");
  other.push_back("--resume");
  const Outcome refused = run_symbreak(other, capture);
  EXPECT_EQ(refused.status, 2);
  EXPECT_TRUE(contains(refused.err, "another sweep")) << refused.err;
  EXPECT_TRUE(read_file(dir / "whole.csv") == before);
}

// The acceptance: the cpu engine trains every option as cpu-ref does, by verify's
// criteria (docs/method.md §9.2), exact D_l included where the theory is exact. Widths 4 and 12 at
// depth 1 and 2 run every kernel kind: per-thread buckets and the per-warp kernel for Adam, RMSprop
// and weight decay, the layered kernels for dropout, noise and Adam at depth 2.
TEST(Breakers, VerifyPassesForTheCpuEngineOnAGridCrossingEveryOption) {
  const TempDir capture;
  const Outcome o = run_symbreak({"verify",
                                  "--engine",
                                  "cpu",
                                  "--task",
                                  "xor",
                                  "--width",
                                  "4,12",
                                  "--depth",
                                  "1,2",
                                  "--activation",
                                  "tanh,relu",
                                  "--init",
                                  "zeros,const:0.5,symmetric:normal:1,xavier-uniform",
                                  "--optimizer",
                                  "sgd,adam,rmsprop",
                                  "--weight-decay",
                                  "0,0.01",
                                  "--dropout",
                                  "0,0.5",
                                  "--grad-noise",
                                  "0,0.01",
                                  "--lr",
                                  "0.05",
                                  "--seeds",
                                  "20",
                                  "--epochs",
                                  "200"},
                                 capture);
  EXPECT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_TRUE(contains(o.out, "PASS")) << o.out;
}

}  // namespace
