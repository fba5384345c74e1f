// `sweep --shard i/N` and `merge` through the real binary: the N parts merged, given in any
// order, are byte for byte the --out, --networks and --trace files of one process, also with more
// shards than configurations; merge refuses missing, duplicated, unfinished or changed parts and
// parts of another sweep with one line, creating nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

// 2 widths x 2 activations x 3 inits x 2 learning rates: 24 configurations of uneven work.
std::string named(const TempDir& dir, const char* file, const std::string& suffix);

std::vector<std::string> sweep_args(const TempDir& dir, const std::string& suffix,
                                    const std::string& seeds = "10") {
  return {"sweep",         "--quiet",
          "--task",        "xor",
          "--width",       "2,8",
          "--activation",  "tanh,relu",
          "--init",        "xavier-uniform,he-normal,zeros",
          "--lr",          "0.1,0.5",
          "--epochs",      "200",
          "--seeds",       seeds,
          "--engine",      "cpu",
          "--trace-every", "100",
          "--out",         named(dir, "out", suffix),
          "--networks",    named(dir, "networks", suffix),
          "--trace",       named(dir, "trace", suffix)};
}

std::vector<std::string> sharded(std::vector<std::string> args, int i, int n) {
  std::string shard = std::to_string(i);
  args.insert(args.end(), {"--shard", shard.append("/").append(std::to_string(n))});
  return args;
}

const char* const kFiles[] = {"out", "networks", "trace"};

// dir/FILE.SUFFIX.csv (built by appending: gcc 12 warns falsely on chains of operator+).
std::string named(const TempDir& dir, const char* file, const std::string& suffix) {
  std::string name(file);
  if (!suffix.empty()) name.append(".").append(suffix);
  return dir / name.append(".csv");
}

TEST(ShardMerge, MergedPartsEqualOneProcessByteForByte) {
  const TempDir capture;
  const TempDir dir;
  ASSERT_EQ(run_symbreak(sweep_args(dir, ""), capture).status, 0);
  for (const int n : {3, 30}) {  // 30 > 24 configurations: some shards are empty
    SCOPED_TRACE(std::to_string(n) + " shards");
    for (int i = 0; i < n; ++i) {
      const Outcome r = run_symbreak(sharded(sweep_args(dir, std::to_string(i)), i, n), capture);
      ASSERT_EQ(r.status, 0) << r.err;
    }
    for (const char* file : kFiles) {
      const std::string merged = named(dir, file, "merged");
      std::vector<std::string> args = {"merge", merged};
      for (int i = n - 1; i >= 0; --i)  // parts in reverse order: merge sorts them by shard
        args.push_back(named(dir, file, std::to_string(i)));
      const Outcome m = run_symbreak(args, capture);
      ASSERT_EQ(m.status, 0) << m.err;
      const std::string one = read_file(named(dir, file, ""));
      EXPECT_GT(one.size(), 100u);
      EXPECT_TRUE(read_file(merged) == one)
          << file << ": the merged file differs from one process's";
      EXPECT_TRUE(fs::exists(merged + ".meta.json"));
    }
  }
}

TEST(ShardMerge, RefusesPartsThatDoNotMakeOneSweep) {
  const TempDir capture;
  const TempDir dir;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(run_symbreak(sharded(sweep_args(dir, std::to_string(i)), i, 3), capture).status, 0);
  }
  // Shard 1 of a sweep with other seeds; shard 2 interrupted; shard 0 changed after the fact.
  ASSERT_EQ(run_symbreak(sharded(sweep_args(dir, "other", "11"), 1, 3), capture).status, 0);
  write_file(dir / "out.unfinished.csv", read_file(dir / "out.2.csv"));
  std::string meta = read_file(dir / "out.2.csv.meta.json");
  meta.replace(meta.find("\"complete\""), 10, "\"interrupted\"");
  write_file(dir / "out.unfinished.csv.meta.json", meta);
  write_file(dir / "out.changed.csv", read_file(dir / "out.0.csv") + "x\n");
  write_file(dir / "out.changed.csv.meta.json", read_file(dir / "out.0.csv.meta.json"));

  const std::string p0 = dir / "out.0.csv", p1 = dir / "out.1.csv", p2 = dir / "out.2.csv";
  struct Refused {
    std::vector<std::string> parts;
    std::string named;
  };
  const std::vector<Refused> cases = {
      {{p0, p1}, "shard 2/3 is missing"},
      {{p0, p1, p1, p2}, "both shard 1/3"},
      {{p0, dir / "out.other.csv", p2}, "another sweep"},
      {{p0, dir / "networks.1.csv", p2}, "--networks file"},
      {{p0, p1, dir / "out.unfinished.csv"}, "not complete"},
      {{dir / "out.changed.csv", p1, p2}, "changed after"},
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

}  // namespace
