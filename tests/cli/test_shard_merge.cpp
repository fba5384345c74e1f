// `sweep --shard i/N` and `merge` through the real binary: the N parts merged, given in any
// order, are byte for byte the --out, --networks, --trace and --params files of one process, also
// when shards split configurations (1 configuration over 7 shards, 3 over 16, 24 over 3 and 30)
// and when a part was interrupted and resumed; merge refuses missing, duplicated, unfinished or
// changed parts (and pieces files), parts of another sweep or of another shard count with one
// line, creating nothing.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

std::string named(const TempDir& dir, const char* file, const std::string& suffix);

// The options of one sweep (no outputs): 2 widths x 2 activations x 3 inits x 2 learning rates,
// 24 configurations of uneven work.
std::vector<std::string> grid_24(const std::string& seeds = "10") {
  return {"sweep", "--quiet",      "--task",    "xor",    "--width",
          "2,8",   "--activation", "tanh,relu", "--init", "xavier-uniform,he-normal,zeros",
          "--lr",  "0.1,0.5",      "--epochs",  "200",    "--seeds",
          seeds,   "--engine",     "cpu"};
}

// The four outputs, FILE.SUFFIX.csv in `dir`, --params keeping every replicate.
std::vector<std::string> with_outputs(std::vector<std::string> args, const TempDir& dir,
                                      const std::string& suffix) {
  args.insert(args.end(),
              {"--trace-every", "100", "--params-replicates", "1000", "--out",
               named(dir, "out", suffix), "--networks", named(dir, "networks", suffix), "--trace",
               named(dir, "trace", suffix), "--params", named(dir, "params", suffix)});
  return args;
}

std::vector<std::string> sweep_args(const TempDir& dir, const std::string& suffix,
                                    const std::string& seeds = "10") {
  return with_outputs(grid_24(seeds), dir, suffix);
}

std::vector<std::string> sharded(std::vector<std::string> args, int i, int n) {
  std::string shard = std::to_string(i);
  args.insert(args.end(), {"--shard", shard.append("/").append(std::to_string(n))});
  return args;
}

const char* const kFiles[] = {"out", "networks", "trace", "params"};

// dir/FILE.SUFFIX.csv (built by appending: gcc 12 warns falsely on chains of operator+).
std::string named(const TempDir& dir, const char* file, const std::string& suffix) {
  std::string name(file);
  if (!suffix.empty()) name.append(".").append(suffix);
  return dir / name.append(".csv");
}

// Merges the n parts FILE.0.csv ... of each file, given in reverse order (merge sorts them by
// shard), and expects exactly the files FILE.csv of one process.
void expect_merged_equal_one_process(const TempDir& dir, int n) {
  const TempDir capture;
  for (const char* file : kFiles) {
    const std::string merged = named(dir, file, "merged");
    std::vector<std::string> args = {"merge", merged};
    for (int i = n - 1; i >= 0; --i)
      args.push_back(named(dir, file, std::to_string(i)));
    const Outcome m = run_symbreak(args, capture);
    ASSERT_EQ(m.status, 0) << m.err;
    const std::string one = read_file(named(dir, file, ""));
    EXPECT_GT(one.size(), 100u);
    EXPECT_TRUE(read_file(merged) == one) << file << ": the merged file differs from one process's";
    EXPECT_TRUE(fs::exists(merged + ".meta.json"));
    fs::remove(merged);
    fs::remove(merged + ".meta.json");
  }
}

// One process, then `n` shards, each merged file equal to one process's. Returns how many parts
// have a pieces file (split a configuration).
int check_shards(const std::vector<std::string>& grid, int n) {
  const TempDir capture;
  const TempDir dir;
  const Outcome one = run_symbreak(with_outputs(grid, dir, ""), capture);
  EXPECT_EQ(one.status, 0) << one.err;
  int with_pieces = 0;
  for (int i = 0; i < n; ++i) {
    const Outcome r =
        run_symbreak(sharded(with_outputs(grid, dir, std::to_string(i)), i, n), capture);
    EXPECT_EQ(r.status, 0) << r.err;
    const bool out_pieces = fs::exists(named(dir, "out", std::to_string(i)) + ".pieces");
    EXPECT_EQ(out_pieces, fs::exists(named(dir, "trace", std::to_string(i)) + ".pieces"));
    EXPECT_FALSE(fs::exists(named(dir, "networks", std::to_string(i)) + ".pieces"));
    with_pieces += out_pieces ? 1 : 0;
  }
  expect_merged_equal_one_process(dir, n);
  return with_pieces;
}

TEST(ShardMerge, MergedPartsEqualOneProcessByteForByte) {
  for (const int n : {3, 30}) {  // 30 shards of 24 configurations: most split one
    SCOPED_TRACE(std::to_string(n) + " shards");
    const int with_pieces = check_shards(grid_24(), n);
    EXPECT_GE(with_pieces, n == 30 ? 20 : 1);
  }
}

// One configuration of 50 replicates over 7 shards: every part holds a piece of it only.
TEST(ShardMerge, OneConfigurationSplitOverSevenShards) {
  const std::vector<std::string> grid = {
      "sweep",  "--quiet",        "--task",   "xor", "--width", "4",  "--activation", "tanh",
      "--init", "xavier-uniform", "--epochs", "200", "--seeds", "50", "--engine",     "cpu"};
  EXPECT_EQ(check_shards(grid, 7), 7);
}

// 3 configurations over 16 shards: none is empty, each merged row is recomputed from pieces.
TEST(ShardMerge, ThreeConfigurationsOverSixteenShards) {
  const std::vector<std::string> grid = {
      "sweep",  "--quiet",   "--task",   "xor", "--width", "2,4,8", "--activation", "tanh",
      "--init", "he-normal", "--epochs", "150", "--seeds", "20",    "--engine",     "cpu"};
  EXPECT_EQ(check_shards(grid, 16), 16);
}

// SIGINT in each of two parts (one ends in a piece, the other begins with one), then --resume:
// the merged files are still one process's. About 9 chunks per part, so the signal lands inside.
TEST(ShardMerge, InterruptedAndResumedPartsMergeToOneProcess) {
  const std::vector<std::string> grid = {"sweep",        "--quiet",
                                         "--task",       "xor",
                                         "--width",      "32",
                                         "--activation", "tanh,sigmoid,relu",
                                         "--init",       "xavier-uniform,he-normal,normal:1",
                                         "--epochs",     "8000",
                                         "--seeds",      "100",
                                         "--engine",     "cpu"};
  const TempDir capture;
  const TempDir dir;
  ASSERT_EQ(run_symbreak(with_outputs(grid, dir, ""), capture).status, 0);
  int interrupted = 0;
  for (int i = 0; i < 2; ++i) {
    const auto args = sharded(with_outputs(grid, dir, std::to_string(i)), i, 2);
    const Running r = start_symbreak(args, capture);
    // Once the first chunks are on disk.
    const std::string networks = named(dir, "networks", std::to_string(i));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline &&
           waitpid(r.pid, nullptr, WNOHANG | WNOWAIT) != r.pid &&
           !(fs::exists(networks) && fs::file_size(networks) > 4096)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    kill(r.pid, SIGINT);
    const Outcome stopped = wait_symbreak(r);
    if (stopped.status == 130) ++interrupted;
    ASSERT_TRUE(stopped.status == 130 || stopped.status == 0) << stopped.err;
    auto resumed_args = args;
    resumed_args.push_back("--resume");
    const Outcome resumed = run_symbreak(resumed_args, capture);
    ASSERT_EQ(resumed.status, 0) << resumed.err;
  }
  ASSERT_TRUE(fs::exists(named(dir, "out", "0") + ".pieces"));
  ASSERT_TRUE(fs::exists(named(dir, "out", "1") + ".pieces"));
  EXPECT_GE(interrupted, 1) << "the signals must land inside the parts for this test to mean much";
  expect_merged_equal_one_process(dir, 2);
}

// A part whose meta file records other items than the shard now has (a symbreak that cut shards
// differently) is not continued: one line, every file as it was.
TEST(ShardMerge, ResumeRefusesAPartOfOtherItems) {
  const TempDir capture;
  const TempDir dir;
  const auto args = sharded(sweep_args(dir, "1"), 1, 3);
  ASSERT_EQ(run_symbreak(args, capture).status, 0);
  const std::string meta_path = dir / "out.1.csv.meta.json";
  std::string meta = read_file(meta_path);
  const std::size_t at = meta.find("\"first_item\": ");
  ASSERT_NE(at, std::string::npos);
  std::ostringstream edited;  // first_item N becomes 1N (a stream: GCC 12 warns falsely on insert)
  edited << meta.substr(0, at + 14) << '1' << meta.substr(at + 14);
  write_file(meta_path, edited.str());
  const std::string out = read_file(dir / "out.1.csv"),
                    pieces = read_file(dir / "out.1.csv.pieces");
  auto resumed = args;
  resumed.push_back("--resume");
  const Outcome r = run_symbreak(resumed, capture);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("holds items 1"), std::string::npos) << r.err;
  EXPECT_EQ(split_lines(r.err).size(), 1u) << r.err;
  EXPECT_TRUE(read_file(dir / "out.1.csv") == out);
  EXPECT_TRUE(read_file(dir / "out.1.csv.pieces") == pieces);
}

TEST(ShardMerge, RefusesPartsThatDoNotMakeOneSweep) {
  const TempDir capture;
  const TempDir dir;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(run_symbreak(sharded(sweep_args(dir, std::to_string(i)), i, 3), capture).status, 0);
  }
  ASSERT_TRUE(fs::exists(dir / "out.1.csv.pieces")) << "shard 1/3 splits a configuration";
  // Shard 1 of a sweep with other seeds and of 7 shards; shard 2 interrupted; shard 0 changed
  // after the fact; shard 1 with its pieces file missing, or changed.
  ASSERT_EQ(run_symbreak(sharded(sweep_args(dir, "other", "11"), 1, 3), capture).status, 0);
  ASSERT_EQ(run_symbreak(sharded(sweep_args(dir, "seven"), 1, 7), capture).status, 0);
  write_file(dir / "out.unfinished.csv", read_file(dir / "out.2.csv"));
  std::string meta = read_file(dir / "out.2.csv.meta.json");
  meta.replace(meta.find("\"complete\""), 10, "\"interrupted\"");
  write_file(dir / "out.unfinished.csv.meta.json", meta);
  write_file(dir / "out.changed.csv", read_file(dir / "out.0.csv") + "x\n");
  write_file(dir / "out.changed.csv.meta.json", read_file(dir / "out.0.csv.meta.json"));
  write_file(dir / "out.nopieces.csv", read_file(dir / "out.1.csv"));
  write_file(dir / "out.nopieces.csv.meta.json", read_file(dir / "out.1.csv.meta.json"));
  write_file(dir / "out.badpieces.csv", read_file(dir / "out.1.csv"));
  write_file(dir / "out.badpieces.csv.meta.json", read_file(dir / "out.1.csv.meta.json"));
  std::string pieces = read_file(dir / "out.1.csv.pieces");
  pieces[pieces.size() - 2] = pieces[pieces.size() - 2] == '0' ? '1' : '0';
  write_file(dir / "out.badpieces.csv.pieces", pieces + "n 1\n");

  const std::string p0 = dir / "out.0.csv", p1 = dir / "out.1.csv", p2 = dir / "out.2.csv";
  struct Refused {
    std::vector<std::string> parts;
    std::string named;
  };
  const std::vector<Refused> cases = {
      {{p0, p1}, "shard 2/3 is missing"},
      {{p0, p1, p1, p2}, "both shard 1/3"},
      {{p0, dir / "out.other.csv", p2}, "another sweep"},
      {{p0, dir / "out.seven.csv", p2}, "one of 3"},
      {{p0, dir / "networks.1.csv", p2}, "--networks file"},
      {{p0, p1, dir / "out.unfinished.csv"}, "not complete"},
      {{dir / "out.changed.csv", p1, p2}, "changed after"},
      {{p0, dir / "out.nopieces.csv", p2}, "the pieces file of"},
      {{p0, dir / "out.badpieces.csv", p2}, "changed after"},
      {{p0, p1, dir / "missing.csv"}, "no checkpoint"},
      {{p0, p1, p2, dir / "merged.csv"}, "also given as a part"},
  };
  for (const Refused& c : cases) {
    std::vector<std::string> args = {"merge", dir / "merged.csv"};
    args.insert(args.end(), c.parts.begin(), c.parts.end());
    SCOPED_TRACE(c.named);
    const Outcome r = run_symbreak(args, capture);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(c.named), std::string::npos) << r.err;
    EXPECT_EQ(split_lines(r.err).size(), 1u) << r.err;
    EXPECT_FALSE(fs::exists(dir / "merged.csv"));
  }
}

// A part that splits a configuration keeps its networks in a .pieces file beside --out, so --out
// on standard output is refused for it, before any output is created.
TEST(ShardMerge, APartThatSplitsAConfigurationNeedsARegularOut) {
  const TempDir capture;
  const TempDir dir;
  const std::string networks = dir / "networks.csv";
  std::vector<std::string> args =
      sharded(grid_24(), 1, 3);  // splits a configuration (RefusesPartsThatDoNotMakeOneSweep)
  args.insert(args.end(), {"--out", "-", "--networks", networks});
  const Outcome r = run_symbreak(args, capture);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--out '-' is not a regular file"), std::string::npos) << r.err;
  EXPECT_EQ(split_lines(r.err).size(), 1u) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(fs::exists(networks));
  // A part that splits none writes its rows to standard output as before.
  args = sharded(grid_24(), 0, 1);
  args.insert(args.end(), {"--out", "-"});
  const Outcome whole = run_symbreak(args, capture);
  EXPECT_EQ(whole.status, 0) << whole.err;
  EXPECT_EQ(split_lines(whole.out).size(), 25u);  // the header and 24 rows
}

}  // namespace
