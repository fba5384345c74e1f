// Tests the command line of docs/method.md §8 end to end by running the built `symbreak` binary:
// every kind of bad input gets exactly one line on stderr naming the offending value, nothing on
// stdout, an exit status in 1 ... 127, and leaves --out neither created nor truncated. A tiny valid
// sweep writes its CSV.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <iostream>
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
// (--seeds is left out where a case gives --replicates, the same option under its other name.)
std::vector<std::string> sweep_args(const std::vector<std::string>& args, const std::string& out) {
  const std::vector<std::pair<std::string, std::string>> defaults = {
      {"--epochs", "2"},        {"--seeds", "2"},        {"--init", "zeros"}, {"--task", "xor"},
      {"--activation", "tanh"}, {"--engine", "cpu-ref"}, {"--out", out}};
  std::vector<std::string> all = {"sweep", "--quiet"};
  for (const auto& [name, value] : defaults) {
    if (!has_option(args, name) && !value.empty() &&
        !(name == "--seeds" && has_option(args, "--replicates"))) {
      all.push_back(name);
      all.push_back(value);
    }
  }
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

// Runs the child in `dir`, so that a file it wrongly creates under a relative name shows there.
std::function<void()> in_directory(const TempDir& dir) {
  const std::string path = dir.path().string();
  return [path] {
    if (chdir(path.c_str()) != 0) _exit(202);
  };
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
      expect_rejected(run_symbreak(args, capture, memory_limit, in_directory(work)), c.named);
      if (existing) {
        EXPECT_EQ(read_file(out), kept) << "--out was modified";
      } else {
        EXPECT_FALSE(fs::exists(out)) << "--out was created";
      }
      EXPECT_EQ(listing(work.path()), before) << "files were left in the output directory";
    }
  }
}

// The case tables, one function per kind of bad input, so that BadInput.TableCoversEveryOption can
// count them and find every option of every subcommand among them.
std::vector<BadCase> unknown_names() {
  return {
      {{"--task", "foo"}, {"--task", "'foo'"}},
      {{"--task", "xor,foo"}, {"--task", "'foo'"}},
      {{"--activation", "softmax"}, {"--activation", "'softmax'"}},
      {{"--init", "foo"}, {"--init", "'foo'"}},
      {{"--init", "tied:tied:normal:1"}, {"--init", "'tied:tied:normal:1'"}},
      {{"--bias-init", "he-normal"}, {"--bias-init", "'he-normal'"}},
      {{"--loss", "hinge"}, {"--loss", "'hinge'"}},
      {{"--loss", ""}, {"--loss", "empty"}},
      {{"--engine", "warp"}, {"'warp'"}},
      {{"--engine", ""}, {"''"}},
      {{"--task", "parity:0"}, {"--task", "'parity:0'"}},
      {{"--task", "parity:99"}, {"--task", "'parity:99'"}},
      {{"--task", "parity:"}, {"--task", "'parity:'"}},
      {{"--task", "circles:1"}, {"--task", "'circles:1'"}},
      {{"--task", "moons:300:-0.1"}, {"--task", "'moons:300:-0.1'"}},
      {{"--task", "csv:"}, {"--task", "'csv:'"}},
      {{"--optimizer", "adagrad"}, {"--optimizer", "'adagrad'", "sgd, adam, rmsprop"}},
      {{"--optimizer", "sgd,adamw"}, {"--optimizer", "'adamw'"}},
  };
}

std::vector<BadCase> malformed_lists() {
  return {
      {{"--width", "4,,8"}, {"--width", "'4,,8'"}},
      {{"--width", ",4"}, {"--width", "',4'"}},
      {{"--width", "4,"}, {"--width", "'4,'"}},
      {{"--init", "const:"}, {"--init", "'const:'"}},
      {{"--init", "zeros/"}, {"--init", "'zeros/'"}},
      {{"--lr", "0.5,"}, {"--lr", "'0.5,'"}},
      {{"--lr", "0.5;0.1"}, {"--lr", "'0.5;0.1'"}},
      {{"--depth", "1.5"}, {"--depth", "'1.5'"}},
      {{"--epochs", "abc"}, {"--epochs", "'abc'"}},
      {{"--batch", "full"}, {"--batch", "'full'"}},
      {{"--momentum", "0.9,,0"}, {"--momentum", "'0.9,,0'"}},
      {{"--optimizer", "adam,"}, {"--optimizer", "'adam,'"}},
      {{"--dropout", "half"}, {"--dropout", "'half'"}},
  };
}

std::vector<BadCase> sizes_out_of_range() {
  return {
      {{"--width", "0"}, {"--width", "'0'"}},
      {{"--width", "65536"}, {"--width", "'65536'"}},
      {{"--depth", "0"}, {"--depth", "'0'"}},
      {{"--depth", "-2"}, {"--depth", "'-2'"}},
      {{"--depth", "10001"}, {"--depth", "'10001'"}},
      {{"--seeds", "0"}, {"--seeds", "'0'"}},
      {{"--seeds", "-5"}, {"--seeds", "'-5'"}},
      {{"--seeds", "4294967296"}, {"--seeds", "'4294967296'"}},
      {{"--replicates", "0"}, {"--replicates", "'0'"}},
      {{"--replicates", "3", "--seeds", "3"}, {"--replicates", "--seeds"}},
      {{"--sample-configs", "0"}, {"--sample-configs", "'0'"}},
      {{"--width", "4..64:x1"}, {"--width", "'4..64:x1'"}},
      {{"--width", "10x0"}, {"--width", "'10x0'", "H1xH2x...xHL"}},
      {{"--width", "4,10x"}, {"--width", "'10x'"}},
      {{"--width", "1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1x1"}, {"--width", "more than 16 layers"}},
      {{"--width", "10x5", "--depth", "2"}, {"--width", "'10x5'", "--depth"}},
      {{"--width", "4,10x5", "--depth", "1"}, {"--width", "'10x5'", "--depth"}},
      {{"--lr", "0..1:log3"}, {"--lr", "'0..1:log3'"}},
      {{"--epochs", "-1"}, {"--epochs", "'-1'"}},
      {{"--batch", "-1"}, {"--batch", "'-1'"}},
      {{"--threads", "-1"}, {"--threads", "'-1'"}},
      {{"--threads", "4097"}, {"--threads", "'4097'"}},
  };
}

std::vector<BadCase> numbers_out_of_range() {
  return {
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
      {{"--data-seed", "-1"}, {"--data-seed", "'-1'"}},
      {{"--data-seed", "4294967296"}, {"--data-seed", "'4294967296'"}},
      {{"--init", "uniform:0"}, {"--init", "'uniform:0'"}},
      {{"--init", "normal:-1"}, {"--init", "'normal:-1'"}},
      {{"--init", "normal:nan"}, {"--init", "'normal:nan'"}},
      {{"--init", "he-normal:abc"}, {"--init", "'he-normal:abc'"}},
      {{"--init", "zeros:3"}, {"--init", "'zeros:3'"}},
      // One sign only (found by fuzz/fuzz_init_schemes: '+-0' was read as -0).
      {{"--seed", "+-0"}, {"--seed", "'+-0'"}},
      {{"--momentum", "+-0"}, {"--momentum", "'+-0'"}},
      {{"--init", "const:+-1"}, {"--init", "'const:+-1'"}},
      {{"--bias-init", "normal:0"}, {"--bias-init", "'normal:0'"}},
      {{"--dropout", "1"}, {"--dropout", "'1'", "0 <= p < 1"}},
      {{"--dropout", "0,-0.1"}, {"--dropout", "'-0.1'"}},
      {{"--dropout", "nan"}, {"--dropout", "'nan'"}},
      {{"--weight-decay", "-0.01"}, {"--weight-decay", "'-0.01'", ">= 0"}},
      {{"--weight-decay", "inf"}, {"--weight-decay", "'inf'"}},
      {{"--grad-noise", "-1"}, {"--grad-noise", "'-1'", ">= 0"}},
      {{"--grad-noise", "nan"}, {"--grad-noise", "'nan'"}},
  };
}

// Finite in double, infinite in float: the float engines could not represent them.
std::vector<BadCase> beyond_float_range() {
  return {
      {{"--init", "const:1e39"}, {"--init", "'const:1e39'", "float's range"}},
      {{"--init", "const:-1e39"}, {"--init", "'const:-1e39'", "float's range"}},
      {{"--init", "he-normal:1e300"}, {"--init", "'he-normal:1e300'", "float's range"}},
      {{"--init", "zeros/uniform:4e38"}, {"--init", "'zeros/uniform:4e38'", "float's range"}},
      {{"--bias-init", "const:1e39"}, {"--bias-init", "'const:1e39'", "float's range"}},
      {{"--lr", "0.5,1e39"}, {"--lr", "'1e39'", "float's range"}},
      {{"--weight-decay", "1e39"}, {"--weight-decay", "'1e39'", "float's range"}},
      {{"--grad-noise", "0,1e39"}, {"--grad-noise", "'1e39'", "float's range"}},
  };
}

std::vector<BadCase> unknown_options_and_option_pairs(const TempDir& scratch) {
  return {
      {{"--bogus"}, {"--bogus"}},
      {{"--width"}, {"--width"}},  // missing value
      {{"--quiet=maybe"}, {"--quiet", "maybe"}},
      {{"--trace", scratch / "trace.csv"}, {"--trace-every"}},
      {{"--trace-every", "5"}, {"--trace"}},
      {{"--trace-every", "0", "--trace", scratch / "trace.csv"}, {"--trace-every", "'0'"}},
      {{"--trace-every", "ten", "--trace", scratch / "trace.csv"}, {"--trace-every", "'ten'"}},
      {{"--params-replicates", "2"}, {"--params-replicates", "--params"}},
      {{"--params-replicates", "0", "--params", scratch / "params.csv"},
       {"--params-replicates", "'0'"}},
      {{"--params-replicates", "two", "--params", scratch / "params.csv"},
       {"--params-replicates", "'two'"}},
      {{"--params-replicates", "4294967296", "--params", scratch / "params.csv"},
       {"--params-replicates", "'4294967296'"}},
      {{"--sample", "5"}, {"--sample"}},  // an option of verify, not of sweep
      {{"extra-positional"}, {"extra-positional"}},
  };
}

// --shard, --devices, --max-memory and --resume; `scratch` holds net.csv, a file without a
// checkpoint.
std::vector<BadCase> shard_and_resume_cases(const TempDir& scratch) {
  return {
      {{"--shard", "3/3"}, {"--shard", "'3/3'"}},
      {{"--shard", "1"}, {"--shard", "'1'"}},
      {{"--shard", "-1/2"}, {"--shard", "'-1/2'"}},
      {{"--shard", "0/0"}, {"--shard", "'0/0'"}},
      {{"--devices", "0,0"}, {"--devices", "'0,0'"}},
      {{"--devices", "gpu1"}, {"--devices", "'gpu1'"}},
      {{"--devices", ""}, {"--devices", "''"}},
      {{"--max-memory", "lots"}, {"--max-memory", "'lots'"}},
      {{"--max-memory", "4X"}, {"--max-memory", "'4X'"}},
      {{"--max-memory", "100K"}, {"--max-memory", "'100K'"}},
      {{"--max-memory", "1M", "--seeds", "1000000", "--width", "64"},
       {"--max-memory", "too large"}},
      {{"--resume=maybe"}, {"--resume", "maybe"}},
      {{"--resume", "--out", "-"}, {"--resume", "'-'"}},
      {{"--resume", "--networks", scratch / "net.csv"}, {"--resume"}},
  };
}

TEST(BadInput, ShardAndResume) {
  const TempDir scratch;
  write_file(scratch / "net.csv", "not,a,sweep\n");
  check_cases(shard_and_resume_cases(scratch));
  EXPECT_EQ(read_file(scratch / "net.csv"), "not,a,sweep\n");
}

TEST(BadInput, UnknownNames) {
  check_cases(unknown_names());
}

TEST(BadInput, MalformedLists) {
  check_cases(malformed_lists());
}

TEST(BadInput, SizesOutOfRange) {
  check_cases(sizes_out_of_range());
}

TEST(BadInput, NumbersOutOfRange) {
  check_cases(numbers_out_of_range());
}

TEST(BadInput, ParametersBeyondFloatRange) {
  check_cases(beyond_float_range());
}

TEST(BadInput, UnknownOptionsAndOptionPairs) {
  const TempDir scratch;
  check_cases(unknown_options_and_option_pairs(scratch));
  EXPECT_FALSE(fs::exists(scratch / "trace.csv"));
  EXPECT_FALSE(fs::exists(scratch / "params.csv"));
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

std::vector<BadCase> sweeps_too_large() {
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
  return cases;
}

TEST(BadInput, SweepsTooLargeForMemory) {
  check_cases(sweeps_too_large(), /*memory_limit=*/true);
}

// `work` holds existing.csv and other.csv.
std::vector<BadCase> unwritable_outputs(const TempDir& work) {
  return {
      {{"--out", work / "missing/dir/out.csv"}, {"--out", work / "missing/dir/out.csv"}},
      {{"--out", work.path().string()}, {"--out", work.path().string()}},
      {{"--out", work / ""}, {"--out"}},
      // A bad --networks leaves a good --out uncreated.
      {{"--out", work / "fresh.csv", "--networks", work / "missing/net.csv"},
       {"--networks", work / "missing/net.csv"}},
      {{"--out", work / "fresh.csv", "--networks", work.path().string()},
       {"--networks", work.path().string()}},
      {{"--out", work / "fresh.csv", "--trace-every", "2", "--trace", work / "missing/trace.csv"},
       {"--trace", work / "missing/trace.csv"}},
      {{"--out", work / "fresh.csv", "--params", work / "missing/params.csv"},
       {"--params", work / "missing/params.csv"}},
      {{"--out", work / "fresh.csv", "--params", work.path().string()},
       {"--params", work.path().string()}},
      // The same file for two outputs.
      {{"--out", work / "existing.csv", "--networks", work / "existing.csv"},
       {work / "existing.csv"}},
      {{"--out", work / "existing.csv", "--trace-every", "1", "--trace", work / "existing.csv"},
       {work / "existing.csv"}},
      {{"--networks", work / "other.csv", "--trace-every", "1", "--trace", work / "other.csv"},
       {work / "other.csv"}},
      {{"--networks", work / "other.csv", "--params", work / "other.csv"}, {work / "other.csv"}},
  };
}

TEST(BadInput, UnwritableOutputs) {
  const TempDir capture;
  const TempDir work;
  const std::string kept = "keep,this\n";
  write_file(work / "existing.csv", kept);
  write_file(work / "other.csv", kept);
  const std::set<std::string> before = listing(work.path());
  for (const BadCase& c : unwritable_outputs(work)) {
    const std::vector<std::string> args = sweep_args(c.args, "");
    SCOPED_TRACE("symbreak " + joined(args));
    expect_rejected(run_symbreak(args, capture, false, in_directory(work)), c.named);
    EXPECT_EQ(listing(work.path()), before);
    EXPECT_EQ(read_file(work / "existing.csv"), kept);
    EXPECT_EQ(read_file(work / "other.csv"), kept);
  }
}

// --config files with errors, written into `work`: each error names the file, the line and the
// key, and quotes at most 80 characters of the line.
std::vector<BadCase> config_file_errors(const TempDir& work) {
  write_file(work / "bad.toml", "# a sweep\ntask = \"foo\"\nloss = \"hinge\"\n");
  write_file(work / "unknown.toml", "seeds = 2\n\ncolour = \"blue\"\n");
  write_file(work / "section.toml", "[sweep]\nwidth = [4, 0]\n");
  write_file(work / "other.toml", "[verify]\nsample = 3\n");
  // A line of 40,000 characters whose last item is bad: the message quotes 80 of them.
  write_file(work / "long.toml", "lr = \"" + repeated("0.5", 10000) + ",-1\"\n");
  write_file(work / "trace.toml", "trace-every = 10\n");
  write_file(work / "dropout.toml", "optimizer = [\"sgd\", \"adam\"]\ndropout = [0, 1]\n");
  // A UTF-16 file holds NUL bytes, which would cut a message quoting its text short (found by
  // fuzz/fuzz_config_toml).
  std::string utf16 = "\xff\xfe";
  for (char c : std::string("task = \"and\"\n"))
    utf16.append({c, '\0'});
  write_file(work / "utf16.toml", utf16);
  const std::string bad = work / "bad.toml";
  return {
      {{"--config", work / "utf16.toml"}, {"--config", "NUL byte"}},
      {{"--config", work / "missing.toml"}, {"--config", work / "missing.toml"}},
      {{"--config", work.path().string()}, {"--config", work.path().string()}},
      // The command line sets --task (and wins), so the file's loss is the error.
      {{"--config", bad}, {"--config", bad + ":3:", "key 'loss'", "'hinge'", "loss = \"hinge\""}},
      {{"--config", work / "unknown.toml"},
       {work / "unknown.toml:3:", "key 'colour'", "colour = \"blue\""}},
      {{"--config", work / "section.toml"},
       {work / "section.toml:2:", "key 'width'", "'0'", "width = [4, 0]"}},
      {{"--config", work / "other.toml"}, {work / "other.toml:2:", "key 'sample'"}},
      {{"--config", work / "long.toml"}, {work / "long.toml:1:", "key 'lr'", "'-1'"}},
      {{"--config", work / "trace.toml"}, {work / "trace.toml:1:", "key 'trace-every'"}},
      {{"--config", work / "dropout.toml"},
       {work / "dropout.toml:2:", "key 'dropout'", "'1'", "0 <= p < 1"}},
  };
}

// Config files setting what the command line of check_cases sets (and so would win over): these
// run with --config alone.
std::vector<BadCase> config_file_errors_alone(const TempDir& work) {
  write_file(work / "engine.toml", "engine = \"warp\"\n");
  write_file(work / "flag.toml", "seeds = 2\nquiet = \"perhaps\"\n");
  return {
      {{"--config", work / "engine.toml"}, {work / "engine.toml:1:", "key 'engine'", "'warp'"}},
      {{"--config", work / "flag.toml"}, {work / "flag.toml:2:", "key 'quiet'", "perhaps"}},
  };
}

TEST(BadInput, ConfigFileErrorsNameFileLineAndKey) {
  const TempDir work;
  check_cases(config_file_errors(work));
  const TempDir capture;
  for (const BadCase& c : config_file_errors_alone(work)) {
    const std::vector<std::string> args = {"sweep", c.args[0], c.args[1]};
    SCOPED_TRACE("symbreak " + joined(args));
    const TempDir cwd;
    expect_rejected(run_symbreak(args, capture, false, in_directory(cwd)), c.named);
    EXPECT_EQ(listing(cwd.path()), std::set<std::string>{});
  }
}

// A config line of 40,000 characters: the message quotes no more than 80 of them.
TEST(BadInput, ConfigFileErrorsQuoteAtMost80CharactersOfTheLine) {
  const TempDir capture;
  const TempDir work;
  config_file_errors(work);
  const Outcome o = run_symbreak({"sweep", "--quiet", "--config", work / "long.toml"}, capture,
                                 false, in_directory(work));
  expect_rejected(o, {"long.toml:1:", "key 'lr'", "'-1'"});
  EXPECT_LT(o.err.size(), 400u) << o.err;
  EXPECT_NE(o.err.find("(the line reads: lr = \"0.5,0.5"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("...)"), std::string::npos) << o.err;
}

// Bad input to `verify`: the same grid and run options (and its own --sample); verify writes no
// file, so its working directory must stay empty.
std::vector<BadCase> verify_cases() {
  return {
      {{"--task", "foo"}, {"--task", "'foo'"}},
      {{"--depth", "0"}, {"--depth", "'0'"}},
      {{"--width", "4,,8"}, {"--width", "'4,,8'"}},
      {{"--width", "10x5", "--depth", "2"}, {"--width", "'10x5'", "--depth"}},
      {{"--activation", "softmax"}, {"--activation", "'softmax'"}},
      {{"--init", "const:1e39"}, {"--init", "'const:1e39'", "float's range"}},
      {{"--bias-init", "normal:-1"}, {"--bias-init", "'normal:-1'"}},
      {{"--loss", "hinge"}, {"--loss", "'hinge'"}},
      {{"--lr", "1e39"}, {"--lr", "'1e39'"}},
      {{"--momentum", "1"}, {"--momentum", "'1'"}},
      {{"--batch", "-1"}, {"--batch", "'-1'"}},
      {{"--optimizer", "lbfgs"}, {"--optimizer", "'lbfgs'"}},
      {{"--weight-decay", "-1"}, {"--weight-decay", "'-1'"}},
      {{"--dropout", "1.5"}, {"--dropout", "'1.5'"}},
      {{"--grad-noise", "x"}, {"--grad-noise", "'x'"}},
      {{"--epochs", "-1"}, {"--epochs", "'-1'"}},
      {{"--seeds", "0"}, {"--seeds", "'0'"}},
      {{"--replicates", "0"}, {"--replicates", "'0'"}},
      {{"--sample-configs", "x"}, {"--sample-configs", "'x'"}},
      {{"--seed", "-1"}, {"--seed", "'-1'"}},
      {{"--data-seed", "x"}, {"--data-seed", "'x'"}},
      {{"--tol", "nan"}, {"--tol", "'nan'"}},
      {{"--engine", "warp"}, {"'warp'"}},
      {{"--threads", "x"}, {"--threads", "'x'"}},
      {{"--sample", "0"}, {"--sample", "'0'"}},
      {{"--sample", "abc"}, {"--sample", "'abc'"}},
      {{"--quiet=maybe"}, {"--quiet", "maybe"}},
      // cpu-ref is the reference: verify would compare it with itself.
      {{"--engine", "cpu-ref"}, {"--engine", "'cpu-ref'"}},
      {{"--exact=maybe"}, {"--exact", "maybe"}},
      {{"--out", "missing-folder/verify.csv"}, {"--out", "missing-folder"}},
      {{"--config", "missing.toml"}, {"--config", "missing.toml"}},
      {{"extra-positional"}, {"extra-positional"}},
  };
}

std::vector<std::string> verify_args(const std::vector<std::string>& args) {
  const std::vector<std::pair<std::string, std::string>> defaults = {
      {"--epochs", "2"}, {"--seeds", "2"},         {"--init", "zeros"},
      {"--task", "xor"}, {"--activation", "tanh"}, {"--engine", "cpu"}};
  std::vector<std::string> all = {"verify", "--quiet"};
  for (const auto& [name, value] : defaults) {
    if (!has_option(args, name) && !(name == "--seeds" && has_option(args, "--replicates"))) {
      all.push_back(name);
      all.push_back(value);
    }
  }
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

// `devices` takes no option or argument; neither does symbreak without a subcommand.
std::vector<BadCase> devices_and_top_level_cases() {
  return {
      {{"devices", "--bogus"}, {"--bogus"}},
      {{"devices", "--width", "4"}, {"--width"}},
      {{"devices", "extra-positional"}, {"extra-positional"}},
      {{}, {"subcommand"}},
      {{"frobnicate"}, {"frobnicate"}},
      {{"--bogus", "sweep"}, {"--bogus"}},
  };
}

// Runs `args` as they are in an empty working directory, which must stay empty.
void check_command(const std::vector<std::string>& args, const std::vector<std::string>& named) {
  const TempDir capture;
  const TempDir work;
  SCOPED_TRACE("symbreak " + joined(args));
  expect_rejected(run_symbreak(args, capture, false, in_directory(work)), named);
  EXPECT_EQ(listing(work.path()), std::set<std::string>{});
}

TEST(BadInput, VerifyRejectsBadGridRunAndSampleOptions) {
  for (const BadCase& c : verify_cases())
    check_command(verify_args(c.args), c.named);
}

TEST(BadInput, DevicesAndMissingOrUnknownSubcommand) {
  for (const BadCase& c : devices_and_top_level_cases())
    check_command(c.args, c.named);
}

// The options `symbreak SUBCOMMAND --help` lists, --help and --help-all (no values) left out.
std::set<std::string> options_of(const std::string& subcommand) {
  const TempDir capture;
  const Outcome help = run_symbreak({subcommand, "--help"}, capture);
  EXPECT_EQ(help.status, 0) << help.err;
  std::set<std::string> options;
  const std::string& text = help.out;
  for (std::size_t at = text.find("--"); at != std::string::npos; at = text.find("--", at + 2)) {
    std::size_t end = at + 2;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '-'))
      ++end;
    const std::string option = text.substr(at, end - at);
    if (option.size() > 2 && option != "--help" && option != "--help-all") options.insert(option);
  }
  return options;
}

std::set<std::string> options_in(const std::vector<BadCase>& cases) {
  std::set<std::string> options;
  for (const BadCase& c : cases) {
    for (const std::string& a : c.args) {
      if (a.rfind("--", 0) == 0) options.insert(a.substr(0, a.find('=')));
    }
  }
  return options;
}

// The table as a whole: at least 60 bad invocations, and every option of every subcommand is
// among them, so that an option added later without a bad-input case fails here.
TEST(BadInput, TableCoversEveryOptionOfEverySubcommand) {
  const TempDir scratch;
  const TempDir work;
  std::vector<BadCase> sweep;
  for (const std::vector<BadCase>& table :
       {unknown_names(), malformed_lists(), sizes_out_of_range(), numbers_out_of_range(),
        beyond_float_range(), unknown_options_and_option_pairs(scratch), sweeps_too_large(),
        unwritable_outputs(work), config_file_errors(work), config_file_errors_alone(work),
        shard_and_resume_cases(scratch)}) {
    sweep.insert(sweep.end(), table.begin(), table.end());
  }
  const std::vector<BadCase> verify = verify_cases();
  const std::vector<BadCase> others = devices_and_top_level_cases();
  const std::size_t total = sweep.size() + verify.size() + others.size();
  std::cout << "bad invocations: " << total << " (sweep " << sweep.size() << ", verify "
            << verify.size() << ", devices and no subcommand " << others.size() << ")\n";
  RecordProperty("bad_invocations", static_cast<int>(total));
  EXPECT_GE(total, 60u);

  const std::set<std::string> in_sweep = options_in(sweep);
  for (const std::string& option : options_of("sweep"))
    EXPECT_EQ(in_sweep.count(option), 1u) << "sweep " << option << " has no bad-input case";
  const std::set<std::string> in_verify = options_in(verify);
  for (const std::string& option : options_of("verify"))
    EXPECT_EQ(in_verify.count(option), 1u) << "verify " << option << " has no bad-input case";
  EXPECT_EQ(options_of("devices"), std::set<std::string>{}) << "devices has options now";
}

TEST(BadInput, ConfigFileIsRead) {
  const TempDir capture;
  const TempDir work;
  write_file(work / "good.toml", "task = \"and\"\nseeds = 2\nepochs = 3\n");
  const Outcome o =
      run_symbreak({"sweep", "--config", work / "good.toml", "--init", "zeros", "--activation",
                    "tanh", "--engine", "cpu-ref", "--quiet", "--out", work / "r.csv"},
                   capture);
  EXPECT_EQ(o.status, 0) << o.err;
  const std::string csv = read_file(work / "r.csv");
  EXPECT_NE(csv.find("\nand,1,4,tanh,zeros,zeros,bce,0.5,0,0,3,2,"), std::string::npos) << csv;
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
  EXPECT_EQ(listing(work.path()),
            (std::set<std::string>{"f.csv", "n.csv", "f.csv.meta.json", "n.csv.meta.json"}))
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
  // Batches 0 and 100 are both the full batch on these tasks (2 and 4 samples): trained once.
  EXPECT_EQ(split_lines(read_file(work / "b.csv")).size(), 1u + 2u);
}

}  // namespace
