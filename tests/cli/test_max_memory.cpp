// `--max-memory` bounds the chunks: a limit small enough to force many small chunks still gives
// the files of a run without it, byte for byte, and a sweep that cannot fit is refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

std::vector<std::string> sweep_args(const TempDir& dir, const std::string& prefix) {
  return {"sweep",         "--quiet",
          "--task",        "xor,and",
          "--width",       "4,16",
          "--init",        "zeros,xavier-uniform",
          "--epochs",      "300",
          "--seeds",       "400",
          "--engine",      "cpu",
          "--trace-every", "100",
          "--out",         dir / (prefix + "out.csv"),
          "--networks",    dir / (prefix + "networks.csv"),
          "--trace",       dir / (prefix + "trace.csv")};
}

TEST(MaxMemory, SmallChunksGiveTheSameFiles) {
  const TempDir capture;
  const TempDir dir;
  ASSERT_EQ(run_symbreak(sweep_args(dir, "default-"), capture).status, 0);
  std::vector<std::string> args = sweep_args(dir, "small-");
  args.insert(args.end(), {"--max-memory", "2M"});
  const Outcome r = run_symbreak(args, capture);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* file : {"out.csv", "networks.csv", "trace.csv"}) {
    const std::string want = read_file(dir / (std::string("default-") + file));
    EXPECT_GT(want.size(), 100u);
    EXPECT_TRUE(read_file(dir / (std::string("small-") + file)) == want) << file << " differs";
  }
}

}  // namespace
