// Tests the command line of docs/method.md §8 end to end by running the built `symbreak` binary:
// every kind of bad input gets exactly one line on stderr naming the offending value, nothing on
// stdout, an exit status in 1 ... 127, and leaves --out neither created nor truncated. A tiny valid
// sweep writes its CSV.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

std::string joined(const std::vector<std::string>& args) {
  std::string text;
  for (const std::string& a : args) {
    if (!text.empty()) text += ' ';
    text += a;
  }
  return text;
}

bool has_option(const std::vector<std::string>& args, const std::string& name) {
  for (const std::string& a : args) {
    if (a == name || a.rfind(name + "=", 0) == 0) return true;
  }
  return false;
}

// The contract for bad input (docs/method.md §8).
void expect_rejected(const Outcome& o, const std::vector<std::string>& named) {
  EXPECT_TRUE(o.exited) << "killed by a signal";
  EXPECT_GE(o.status, 1);
  EXPECT_LE(o.status, 127);
  EXPECT_EQ(o.out, "") << "stdout must stay empty";
  EXPECT_FALSE(o.err.empty());
  if (!o.err.empty()) {
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "stderr must be exactly one line: " << o.err;
  }
  for (const std::string& n : named)
    EXPECT_NE(o.err.find(n), std::string::npos) << "message does not name '" << n << "': " << o.err;
}

struct BadCase {
  std::vector<std::string> args;   // after `sweep`
  std::vector<std::string> named;  // substrings the message must contain
};

// The arguments of one case: `sweep --quiet`; small, fast defaults, so that a wrongly accepted
// case finishes at once instead of running the demonstration (a case that sets one of them keeps
// its own value; --threads is left at its default, every core, which the memory checks must get
// right); --out unless the case sets it; then the case's own arguments, last, so that an option
// missing its value stays trailing.
std::vector<std::string> sweep_args(const std::vector<std::string>& args, const std::string& out) {
  const std::vector<std::pair<std::string, std::string>> defaults = {
      {"--epochs", "2"},        {"--seeds", "2"},        {"--init", "zeros"}, {"--task", "xor"},
      {"--activation", "tanh"}, {"--engine", "cpu-ref"}, {"--out", out}};
  std::vector<std::string> all = {"sweep", "--quiet"};
  for (const auto& [name, value] : defaults) {
    if (!has_option(args, name) && !value.empty()) {
      all.push_back(name);
      all.push_back(value);
    }
  }
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

// Runs every case twice: with --out naming a file that exists (it must keep its content) and one
// that does not (it must not appear). No temporary file may be left behind either.
void check_cases(const std::vector<BadCase>& cases, bool memory_limit = false) {
  const TempDir capture;
  for (const BadCase& c : cases) {
    for (const bool existing : {true, false}) {
      const TempDir work;
      const std::string out = work / "out.csv";
      const std::string kept = "keep,this\n1,2\n";
      if (existing) write_file(out, kept);
      const std::set<std::string> before = listing(work.path());
      const std::vector<std::string> args = sweep_args(c.args, out);
      SCOPED_TRACE("symbreak " + joined(args));
      expect_rejected(run_symbreak(args, capture, memory_limit), c.named);
      if (existing) {
        EXPECT_EQ(read_file(out), kept) << "--out was modified";
      } else {
        EXPECT_FALSE(fs::exists(out)) << "--out was created";
      }
      EXPECT_EQ(listing(work.path()), before) << "files were left in the output directory";
    }
  }
}

TEST(BadInput, UnknownNames) {
  check_cases({
      {{"--task", "foo"}, {"--task", "'foo'"}},
      {{"--task", "xor,foo"}, {"--task", "'foo'"}},
      {{"--activation", "softmax"}, {"--activation", "'softmax'"}},
      {{"--init", "foo"}, {"--init", "'foo'"}},
      {{"--init", "tied:tied:normal:1"}, {"--init", "'tied:tied:normal:1'"}},
      {{"--bias-init", "he-normal"}, {"--bias-init", "'he-normal'"}},
      {{"--loss", "hinge"}, {"--loss", "'hinge'"}},
      {{"--engine", "warp"}, {"'warp'"}},
      {{"--task", "parity:0"}, {"--task", "'parity:0'"}},
      {{"--task", "parity:99"}, {"--task", "'parity:99'"}},
      {{"--task", "parity:"}, {"--task", "'parity:'"}},
  });
}

TEST(BadInput, MalformedLists) {
  check_cases({
      {{"--width", "4,,8"}, {"--width", "'4,,8'"}},
      {{"--width", ",4"}, {"--width", "',4'"}},
      {{"--width", "4,"}, {"--width", "'4,'"}},
      {{"--init", "const:"}, {"--init", "'const:'"}},
      {{"--init", "zeros/"}, {"--init", "'zeros/'"}},
      {{"--lr", "0.5,"}, {"--lr", "'0.5,'"}},
      {{"--lr", "0.5;0.1"}, {"--lr", "'0.5;0.1'"}},
      {{"--depth", "1.5"}, {"--depth", "'1.5'"}},
      {{"--epochs", "abc"}, {"--epochs", "'abc'"}},
  });
}

TEST(BadInput, SizesOutOfRange) {
  check_cases({
      {{"--width", "0"}, {"--width", "'0'"}},
      {{"--width", "65536"}, {"--width", "'65536'"}},
      {{"--depth", "0"}, {"--depth", "'0'"}},
      {{"--depth", "-2"}, {"--depth", "'-2'"}},
      {{"--seeds", "0"}, {"--seeds", "'0'"}},
      {{"--seeds", "-5"}, {"--seeds", "'-5'"}},
      {{"--epochs", "-1"}, {"--epochs", "'-1'"}},
      {{"--batch", "-1"}, {"--batch", "'-1'"}},
      {{"--threads", "-1"}, {"--threads", "'-1'"}},
  });
}

TEST(BadInput, NumbersOutOfRange) {
  check_cases({
      {{"--lr", "0"}, {"--lr", "'0'"}},
      {{"--lr", "-1"}, {"--lr", "'-1'"}},
      {{"--lr", "inf"}, {"--lr", "'inf'"}},
      {{"--lr", "nan"}, {"--lr", "'nan'"}},
      {{"--momentum", "1"}, {"--momentum", "'1'"}},
      {{"--momentum", "-0.1"}, {"--momentum", "'-0.1'"}},
      {{"--tol", "0"}, {"--tol", "'0'"}},
      {{"--tol", "-1e-6"}, {"--tol", "'-1e-6'"}},
      {{"--seed", "-1"}, {"--seed", "'-1'"}},
      {{"--seed", "4294967296"}, {"--seed", "'4294967296'"}},
      {{"--init", "uniform:0"}, {"--init", "'uniform:0'"}},
      {{"--init", "normal:-1"}, {"--init", "'normal:-1'"}},
      {{"--init", "normal:nan"}, {"--init", "'normal:nan'"}},
      {{"--init", "he-normal:abc"}, {"--init", "'he-normal:abc'"}},
      {{"--init", "zeros:3"}, {"--init", "'zeros:3'"}},
      // One sign only (found by fuzz/fuzz_init_schemes: '+-0' was read as -0).
      {{"--seed", "+-0"}, {"--seed", "'+-0'"}},
      {{"--momentum", "+-0"}, {"--momentum", "'+-0'"}},
      {{"--init", "const:+-1"}, {"--init", "'const:+-1'"}},
  });
}

TEST(BadInput, UnknownOptionsAndOptionPairs) {
  const TempDir scratch;
  check_cases({
      {{"--bogus"}, {"--bogus"}},
      {{"--width"}, {"--width"}},  // missing value
      {{"--trace", scratch / "trace.csv"}, {"--trace-every"}},
      {{"--trace-every", "5"}, {"--trace"}},
      {{"--trace-every", "0", "--trace", scratch / "trace.csv"}, {"--trace-every", "'0'"}},
  });
  EXPECT_FALSE(fs::exists(scratch / "trace.csv"));
}

// A list of `count` copies of `item`, for grids with absurdly many configurations.
std::string repeated(const std::string& item, int count) {
  std::string list;
  for (int i = 0; i < count; ++i) {
    if (i > 0) list += ',';
    list += item;
  }
  return list;
}

TEST(BadInput, SweepsTooLargeForMemory) {
  std::vector<BadCase> cases = {
      // Every network alone needs petabytes.
      {{"--seeds", "1", "--width", "65535", "--depth", "10000"}, {"too large"}},
      {{"--seeds", "4294967295", "--width", "65535", "--depth", "10000"}, {"too large"}},
      // 20000^3 configurations: the grid itself does not fit, nor does configurations x seeds
      // fit in 64 bits.
      {{"--lr", repeated("0.5", 20000), "--batch", repeated("0", 20000), "--momentum",
        repeated("0", 20000), "--seeds", "4294967295"},
       {"too large"}},
  };
  // Two widths x 4294967295 seeds: a few hundred GiB of bookkeeping, more than half the memory of
  // any machine this suite runs on (skipped where it might fit).
  if (static_cast<double>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE) < 256e9) {
    cases.push_back({{"--seeds", "4294967295", "--width", "4096,4095"}, {"too large"}});
  }
  check_cases(cases, /*memory_limit=*/true);
}

TEST(BadInput, UnwritableOutputs) {
  const TempDir capture;
  const TempDir work;
  const std::string kept = "keep,this\n";
  write_file(work / "existing.csv", kept);
  write_file(work / "other.csv", kept);
  const std::set<std::string> before = listing(work.path());
  const std::vector<BadCase> cases = {
      {{"--out", work / "missing/dir/out.csv"}, {"--out", work / "missing/dir/out.csv"}},
      {{"--out", work.path().string()}, {"--out", work.path().string()}},
      {{"--out", work / ""}, {"--out"}},
      // A bad --networks leaves a good --out uncreated.
      {{"--out", work / "fresh.csv", "--networks", work / "missing/net.csv"},
       {"--networks", work / "missing/net.csv"}},
      // The same file for two outputs.
      {{"--out", work / "existing.csv", "--networks", work / "existing.csv"},
       {work / "existing.csv"}},
      {{"--out", work / "existing.csv", "--trace-every", "1", "--trace", work / "existing.csv"},
       {work / "existing.csv"}},
      {{"--networks", work / "other.csv", "--trace-every", "1", "--trace", work / "other.csv"},
       {work / "other.csv"}},
  };
  for (const BadCase& c : cases) {
    const std::vector<std::string> args = sweep_args(c.args, "");
    SCOPED_TRACE("symbreak " + joined(args));
    expect_rejected(run_symbreak(args, capture), c.named);
    EXPECT_EQ(listing(work.path()), before);
    EXPECT_EQ(read_file(work / "existing.csv"), kept);
    EXPECT_EQ(read_file(work / "other.csv"), kept);
  }
}

TEST(BadInput, MissingOrUnknownSubcommand) {
  const TempDir capture;
  expect_rejected(run_symbreak({}, capture), {"subcommand"});
  expect_rejected(run_symbreak({"sweep", "extra-positional"}, capture), {"extra-positional"});
}

// docs/method.md §8: --config FILE reads the same options from a file (the command line wins), and
// an unreadable file, or one that sets an unknown option or a bad value, is bad input.
TEST(BadInput, ConfigFileIsReadAndAMissingOneIsRejected) {
  const TempDir capture;
  const TempDir work;
  check_cases({{{"--config", work / "missing.toml"}, {"--config", work / "missing.toml"}}});
  // Values from the file are checked like the command line's (which sets --task here, and wins).
  write_file(work / "bad.toml", "task = \"foo\"\nloss = \"hinge\"\n");
  check_cases({{{"--config", work / "bad.toml"}, {"--loss", "'hinge'"}}});
  write_file(work / "unknown.toml", "colour = \"blue\"\n");
  check_cases({{{"--config", work / "unknown.toml"}, {"colour"}}});
  check_cases({{{"--config", work.path().string()}, {"--config", work.path().string()}}});
  // A UTF-16 file holds NUL bytes, which would cut a message quoting its text short.
  std::string utf16 = "\xff\xfe";
  for (char c : std::string("task = \"and\"\n"))
    utf16.append({c, '\0'});
  write_file(work / "utf16.toml", utf16);
  check_cases({{{"--config", work / "utf16.toml"}, {"--config", "NUL byte"}}});
  write_file(work / "good.toml", "task = \"and\"\nseeds = 2\nepochs = 3\n");
  const Outcome o =
      run_symbreak({"sweep", "--config", work / "good.toml", "--init", "zeros", "--activation",
                    "tanh", "--engine", "cpu-ref", "--quiet", "--out", work / "r.csv"},
                   capture);
  EXPECT_EQ(o.status, 0) << o.err;
  const std::string csv = read_file(work / "r.csv");
  EXPECT_NE(csv.find("\nand,1,4,tanh,zeros,zeros,bce,0.5,0,0,3,2,"), std::string::npos) << csv;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::size_t field_count(const std::string& line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
}

TEST(GoodInput, TinySweepWritesHeaderAndOneRowPerConfiguration) {
  const TempDir capture;
  const TempDir work;
  const std::string out = work / "f.csv";
  const std::string networks = work / "n.csv";
  write_file(out, "old content that must be replaced\n");
  const Outcome o =
      run_symbreak({"sweep", "--task", "xor", "--activation", "tanh,relu", "--init",
                    "zeros,xavier-uniform", "--seeds", "3", "--epochs", "5", "--engine", "cpu-ref",
                    "--quiet", "--out", out, "--networks", networks},
                   capture);
  EXPECT_TRUE(o.exited);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "") << "--quiet prints nothing";
  EXPECT_EQ(o.err, "") << "--quiet prints nothing";

  const std::vector<std::string> rows = split_lines(read_file(out));
  ASSERT_EQ(rows.size(), 1u + 4u) << "header + 2 activations x 2 inits";
  EXPECT_EQ(rows[0].rfind("task,depth,width,activation,init,bias_init,loss,lr,momentum,", 0), 0u);
  for (const std::string& row : rows)
    EXPECT_EQ(field_count(row), field_count(rows[0])) << row;
  EXPECT_EQ(rows[1].rfind("xor,1,4,tanh,zeros,zeros,bce,0.5,0,0,5,3,", 0), 0u) << rows[1];

  const std::vector<std::string> nets = split_lines(read_file(networks));
  ASSERT_EQ(nets.size(), 1u + 12u) << "header + 4 configurations x 3 seeds";
  for (const std::string& row : nets)
    EXPECT_EQ(field_count(row), field_count(nets[0])) << row;
  EXPECT_EQ(listing(work.path()), (std::set<std::string>{"f.csv", "n.csv"}))
      << "no temporary file left behind";
}

TEST(GoodInput, OptionsAcceptTheirBoundaryValues) {
  const TempDir capture;
  const TempDir work;
  const Outcome o = run_symbreak(
      {"sweep",    "--task",   "parity:1,and", "--width",    "1",           "--depth", "1",
       "--init",   "const:-1", "--activation", "linear",     "--seeds",     "1",       "--epochs",
       "0",        "--seed",   "4294967295",   "--momentum", "0",           "--batch", "0,100",
       "--engine", "cpu-ref",  "--quiet",      "--out",      work / "b.csv"},
      capture);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(split_lines(read_file(work / "b.csv")).size(), 1u + 4u);
}

}  // namespace
