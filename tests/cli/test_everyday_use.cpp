// Everyday use through the binary (issue 13): the engine auto picks, the reading's wording, the
// names people already use, actionable errors, --replicates and the header, ranges and random
// search, duplicates trained once, verify's --config/--out, and numbers as people read them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The CSV at `path` as rows of column name -> value.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  const std::vector<std::string> lines = split_lines(read_file(path));
  std::vector<std::map<std::string, std::string>> rows;
  if (lines.empty()) return rows;
  const std::vector<std::string> header = split_fields(lines.front(), ',');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> values = split_fields(lines[i], ',');
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < header.size() && c < values.size(); ++c)
      row[header[c]] = values[c];
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> column(const std::vector<std::map<std::string, std::string>>& rows,
                                const std::string& name) {
  std::vector<std::string> values;
  for (const auto& row : rows)
    values.push_back(row.at(name));
  return values;
}

bool gpu_engine_available(const TempDir& capture) {
  const Outcome o = run_symbreak({"devices"}, capture);
  return contains(o.out, "cuda") && !contains(o.out, "no CUDA support") &&
         !contains(o.out, "cannot run");
}

// Item 1: auto takes the engine its measured table expects to finish first, and says so in the
// header. Since the cpu engine's SIMD lanes that is cpu on every shape, layered ones included
// (before them cpu-ref won at width 64, depth 3).
TEST(EverydayUse, AutoPicksTheEngineMeasuredFasterForTheShapes) {
  const TempDir capture;
  if (gpu_engine_available(capture)) GTEST_SKIP() << "a GPU engine runs here: auto takes it";
  const Outcome wide = run_symbreak({"sweep", "--width", "64", "--depth", "3", "--init", "zeros",
                                     "--activation", "tanh", "--seeds", "2", "--epochs", "2"},
                                    capture);
  ASSERT_EQ(wide.status, 0) << wide.err;
  EXPECT_TRUE(contains(wide.out, "engine cpu (auto)")) << wide.out;
  const Outcome small = run_symbreak({"sweep", "--width", "4", "--init", "zeros", "--activation",
                                      "tanh", "--seeds", "2", "--epochs", "2"},
                                     capture);
  ASSERT_EQ(small.status, 0) << small.err;
  EXPECT_TRUE(contains(small.out, "engine cpu (auto)")) << small.out;
  // A named engine is not marked.
  const Outcome named = run_symbreak({"sweep", "--width", "4", "--init", "zeros", "--activation",
                                      "tanh", "--seeds", "2", "--epochs", "2", "--engine", "cpu"},
                                     capture);
  EXPECT_TRUE(contains(named.out, "engine cpu, kernel")) << named.out;
}

// Item 3: width 1 has no symmetry to break; frozen configurations are named by setting.
TEST(EverydayUse, ReadingSaysSymmetryDoesNotApplyAtWidthOne) {
  const TempDir capture;
  const Outcome o = run_symbreak({"sweep", "--width", "1", "--init", "zeros", "--activation",
                                  "tanh", "--seeds", "5", "--epochs", "10"},
                                 capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(contains(o.out, "symmetry does not apply")) << o.out;
  EXPECT_FALSE(contains(o.out, "symmetry broke in all")) << o.out;
  EXPECT_FALSE(contains(o.out, "Broke symmetry in every network")) << o.out;
}

TEST(EverydayUse, ReadingGroupsFrozenConfigurationsBySetting) {
  const TempDir capture;
  // zeros with sigmoid: frozen on the balanced tasks (xor, parity:3), not on `and`.
  const Outcome o =
      run_symbreak({"sweep", "--task", "and,xor,parity:3", "--width", "4,8", "--init", "zeros",
                    "--activation", "sigmoid", "--seeds", "3", "--epochs", "5"},
                   capture);
  ASSERT_EQ(o.status, 0) << o.err;
  // The reading as one line: wrapping and its indent become single spaces.
  std::string reading;
  for (const char c : o.out.substr(o.out.find("Reading:"))) {
    const char shown = c == '\n' ? ' ' : c;
    if (!(shown == ' ' && !reading.empty() && reading.back() == ' ')) reading.push_back(shown);
  }
  EXPECT_TRUE(contains(reading, "(frozen) with tasks xor and parity:3, width 4 and 8.")) << reading;
  // Five epochs of zeros solve nothing: one rate for all, not a list of twelve settings.
  EXPECT_TRUE(contains(reading, "Solved: 0.0% in every configuration.")) << reading;
}

// Item 4: PyTorch's and Keras's names, written back in ours; did-you-mean; TOML keys with '_'.
TEST(EverydayUse, AliasesAreAcceptedAndWrittenBackCanonical) {
  const TempDir capture;
  const TempDir dir;
  const std::string csv = dir / "out.csv";
  const Outcome o =
      run_symbreak({"sweep", "--quiet", "--init",
                    "xavier_uniform,glorot-normal,kaiming-normal,kaiming_uniform:2,tied:he_normal",
                    "--activation", "leaky-relu", "--seeds", "2", "--epochs", "2", "--out", csv},
                   capture);
  ASSERT_EQ(o.status, 0) << o.err;
  const auto rows = read_csv(csv);
  EXPECT_EQ(column(rows, "init"),
            (std::vector<std::string>{"xavier-uniform", "xavier-normal", "he-normal",
                                      "he-uniform:2", "tied:he-normal"}));
  EXPECT_EQ(column(rows, "activation")[0], "leaky_relu");

  const Outcome typo = run_symbreak({"sweep", "--init", "xavier-unifrom"}, capture);
  EXPECT_EQ(typo.status, 2);
  EXPECT_TRUE(contains(typo.err, "did you mean 'xavier-uniform'?")) << typo.err;
  const Outcome activation = run_symbreak({"sweep", "--activation", "tahn"}, capture);
  EXPECT_TRUE(contains(activation.err, "did you mean 'tanh'?")) << activation.err;

  const std::string toml = dir / "run.toml";
  write_file(toml, "trace_every = 1\ntrace = \"" + (dir / "trace.csv") +
                       "\"\nseeds = 2\nepochs = 2\nwidth = 2\ninit = \"zeros\"\n"
                       "activation = \"tanh\"\n");
  const Outcome config = run_symbreak({"sweep", "--quiet", "--config", toml}, capture);
  EXPECT_EQ(config.status, 0) << config.err;
  EXPECT_EQ(split_lines(read_file(dir / "trace.csv")).size(), 1u + 3u) << "epochs 0, 1, 2";
}

// Item 5: errors name what was typed and what to do.
TEST(EverydayUse, ErrorsSuggestAndPointToHelp) {
  const TempDir capture;
  const Outcome sub = run_symbreak({"swep"}, capture);
  EXPECT_EQ(sub.status, 2);
  EXPECT_TRUE(contains(sub.err, "unknown subcommand 'swep' (did you mean 'sweep'?)")) << sub.err;

  const Outcome help = run_symbreak({"help"}, capture);
  EXPECT_EQ(help.status, 0) << help.err;
  EXPECT_TRUE(contains(help.out, "sweep")) << help.out;
  const Outcome help_sweep = run_symbreak({"help", "sweep"}, capture);
  EXPECT_EQ(help_sweep.status, 0);
  EXPECT_TRUE(contains(help_sweep.out, "--width")) << help_sweep.out;

  const Outcome option = run_symbreak({"sweep", "--wdith", "4"}, capture);
  EXPECT_EQ(option.status, 2);
  EXPECT_EQ(option.err,
            "symbreak: error: unknown option '--wdith' (did you mean '--width'?); see symbreak "
            "sweep --help\n");

  const Outcome top = run_symbreak({"--versoin"}, capture);
  EXPECT_EQ(top.status, 2);
  EXPECT_EQ(top.err,
            "symbreak: error: unknown option '--versoin' (did you mean '--version'?); see "
            "symbreak --help\n");
  const Outcome engine = run_symbreak({"sweep", "--engine", "cpuref"}, capture);
  EXPECT_TRUE(contains(engine.err, "did you mean 'cpu-ref'?")) << engine.err;

  // An option given twice takes its last value; spaces after commas are fine.
  const Outcome twice = run_symbreak({"sweep", "--epochs", "50", "--epochs", "3", "--width", "2, 3",
                                      "--init", "zeros", "--activation", "tanh", "--seeds", "2"},
                                     capture);
  ASSERT_EQ(twice.status, 0) << twice.err;
  EXPECT_TRUE(contains(twice.out, "epochs 3,")) << twice.out;
  EXPECT_TRUE(contains(twice.out, "\n2 ")) << twice.out;
  EXPECT_TRUE(contains(twice.out, "\n3 ")) << twice.out;
}

// Item 6: --replicates names --seeds; the header carries what reproduces the table.
TEST(EverydayUse, ReplicatesAndTheHeaderReproduceTheTable) {
  const TempDir capture;
  const Outcome o = run_symbreak({"sweep", "--replicates", "3", "--seed", "7", "--tol", "1e-5",
                                  "--init", "zeros", "--activation", "tanh", "--epochs", "2"},
                                 capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(contains(o.out, "replicates 3, seed 7, tol 1e-5, engine ")) << o.out;
  const Outcome seeds = run_symbreak(
      {"sweep", "--seeds", "4", "--init", "zeros", "--activation", "tanh", "--epochs", "2"},
      capture);
  EXPECT_TRUE(contains(seeds.out, "replicates 4, seed 0, tol 1e-6")) << seeds.out;
}

// Item 7: ranges, and a reproducible random sample of the grid.
TEST(EverydayUse, RangesExpandAsWritten) {
  const TempDir capture;
  const TempDir dir;
  const std::string csv = dir / "out.csv";
  const Outcome o = run_symbreak(
      {"sweep", "--quiet", "--lr", "1e-3..1:log4", "--width", "4..16:x2", "--momentum", "0..0.9:4",
       "--init", "zeros", "--activation", "tanh", "--seeds", "1", "--epochs", "1", "--out", csv},
      capture);
  ASSERT_EQ(o.status, 0) << o.err;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 4u * 3u * 4u);
  std::set<std::string> lrs, widths, momenta;
  for (const auto& row : rows) {
    lrs.insert(row.at("lr"));
    widths.insert(row.at("width"));
    momenta.insert(row.at("momentum"));
  }
  EXPECT_EQ(lrs, (std::set<std::string>{"0.001", "0.01", "0.1", "1"}));
  EXPECT_EQ(widths, (std::set<std::string>{"4", "8", "16"}));
  EXPECT_EQ(momenta, (std::set<std::string>{"0", "0.3", "0.6", "0.9"}));

  const Outcome bad = run_symbreak({"sweep", "--lr", "1..1e-3:log4"}, capture);
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.err, "--lr: range '1..1e-3:log4'")) << bad.err;
}

// Per-layer widths (10x5, the deeplearning.ai notebook's [2, 10, 5, 1]) beside a plain width: the
// CSV writes the width as given and the depth as the count of hidden layers; the table shows both.
TEST(EverydayUse, PerLayerWidthsAreWrittenAsGiven) {
  const TempDir capture;
  const TempDir dir;
  const std::string csv = dir / "out.csv";
  const Outcome o = run_symbreak(
      {"sweep", "--task", "circles:40", "--width", "4,10x5", "--init", "zeros,he-normal",
       "--activation", "relu", "--seeds", "3", "--epochs", "5", "--engine", "cpu", "--out", csv},
      capture);
  ASSERT_EQ(o.status, 0) << o.err;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 4u);
  std::set<std::string> shapes;
  for (const auto& row : rows) {
    shapes.insert(row.at("depth") + ":" + row.at("width"));
    if (row.at("init") == "zeros") {
      // Zero weights with ReLU: every layer a single neuron, D_l / H_l = 1/10 and 1/5.
      EXPECT_EQ(row.at("collapsed_rate"), "1");
      EXPECT_DOUBLE_EQ(std::stod(row.at("eff_width")),
                       row.at("width") == "10x5" ? (0.1 + 0.2) / 2 : 0.25);
    }
  }
  EXPECT_EQ(shapes, (std::set<std::string>{"1:4", "2:10x5"}));
  EXPECT_TRUE(contains(o.out, "10x5")) << o.out;
}

TEST(EverydayUse, SampleConfigsDrawsReproduciblyFromTheSeed) {
  const TempDir capture;
  const TempDir dir;
  const auto sample = [&](const char* seed, const std::string& csv) {
    const Outcome o = run_symbreak(
        {"sweep", "--quiet", "--width", "1..20", "--init", "zeros", "--activation", "tanh",
         "--sample-configs", "3", "--seed", seed, "--seeds", "1", "--epochs", "1", "--out", csv},
        capture);
    EXPECT_EQ(o.status, 0) << o.err;
    return column(read_csv(csv), "width");
  };
  const std::vector<std::string> first = sample("1", dir / "a.csv");
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(sample("1", dir / "b.csv"), first);
  EXPECT_NE(sample("2", dir / "c.csv"), first);
}

// Item 8: identical configurations once, with a note; verify refuses cpu-ref against itself and
// takes --config and --out.
TEST(EverydayUse, DuplicateConfigurationsAreTrainedOnce) {
  const TempDir capture;
  const TempDir dir;
  const std::string csv = dir / "out.csv";
  const Outcome o =
      run_symbreak({"sweep", "--batch", "0,4,100", "--width", "4,4", "--init", "zeros",
                    "--activation", "tanh", "--seeds", "2", "--epochs", "2", "--out", csv},
                   capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(read_csv(csv).size(), 1u);
  EXPECT_TRUE(contains(o.err, "note: 5 of 6 configurations repeat an earlier one")) << o.err;
}

TEST(EverydayUse, VerifyRefusesTheReferenceAndTakesConfigAndOut) {
  const TempDir capture;
  const TempDir dir;
  const Outcome ref = run_symbreak({"verify", "--engine", "cpu-ref"}, capture);
  EXPECT_EQ(ref.status, 2);
  EXPECT_TRUE(contains(ref.err, "'cpu-ref' is not accepted for verify")) << ref.err;

  const std::string toml = dir / "verify.toml";
  write_file(toml,
             "[verify]\nengine = \"cpu\"\nseeds = 3\nepochs = 5\nwidth = [2, 4]\n"
             "init = \"zeros\"\nactivation = \"tanh\"\n");
  const std::string csv = dir / "verify.csv";
  const Outcome o = run_symbreak({"verify", "--config", toml, "--out", csv}, capture);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(contains(o.out, "PASS")) << o.out;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(column(rows, "width"), (std::vector<std::string>{"2", "4"}));
  EXPECT_EQ(rows[0].at("n"), "3");
  EXPECT_EQ(rows[0].at("engine"), "cpu");
  EXPECT_EQ(rows[0].at("reference"), "cpu-ref");
}

// Item 9: exact Wilson bounds at 0 and 1; a small effective width shows its digits.
TEST(EverydayUse, NumbersReadAsPeopleReadThem) {
  const TempDir capture;
  const TempDir dir;
  const std::string csv = dir / "out.csv";
  const Outcome o = run_symbreak({"sweep", "--width", "200", "--init", "zeros", "--activation",
                                  "tanh", "--seeds", "3", "--epochs", "1", "--out", csv},
                                 capture);
  ASSERT_EQ(o.status, 0) << o.err;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("solved_lo"), "0");
  EXPECT_EQ(rows[0].at("broken_lo"), "0");
  EXPECT_EQ(rows[0].at("collapsed_hi"), "1");
  EXPECT_EQ(rows[0].at("frozen_hi"), "1");
  EXPECT_TRUE(contains(o.out, " 0.005 ")) << "1/200 as 0.005, not 0.00: " << o.out;
}

// Item 2: in a log (stderr not a terminal) verify's progress is a line at most every 10 s and
// the last one per engine, not one per chunk (a 30 s verify once wrote 442 lines).
TEST(EverydayUse, VerifyProgressIsQuietInALog) {
  const TempDir capture;
  // Seven chunks per engine here: fourteen lines before the fix.
  const Outcome o = run_symbreak(
      {"verify", "--engine", "cpu", "--task", "parity:4", "--depth", "2", "--width", "32", "--init",
       "zeros,xavier-uniform", "--replicates", "200", "--epochs", "50"},
      capture);
  ASSERT_EQ(o.status, 0) << o.err;
  int lines = 0;
  for (std::size_t at = o.err.find("symbreak verify: "); at != std::string::npos;
       at = o.err.find("symbreak verify: ", at + 1))
    ++lines;
  // Two engines, each a first and a last line, and one more per 10 s of a slow machine.
  EXPECT_GE(lines, 2) << o.err;
  EXPECT_LE(lines, 8) << o.err;
  EXPECT_NE(o.err.find("1200/1200 networks"), std::string::npos) << o.err;
}

}  // namespace
