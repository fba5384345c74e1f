// `--max-memory` bounds the chunks: a limit small enough to force many small chunks still gives
// the files of a run without it, byte for byte, and a sweep that cannot fit is refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

std::vector<std::string> sweep_args(const TempDir& dir, const std::string& prefix) {
  std::vector<std::string> args = {"sweep",    "--quiet", "--task",        "xor,and",
                                   "--width",  "4,16",    "--init",        "zeros,xavier-uniform",
                                   "--epochs", "300",     "--seeds",       "400",
                                   "--engine", "cpu",     "--trace-every", "100"};
  const std::vector<std::string> outputs = output_args(dir, prefix);
  args.insert(args.end(), outputs.begin(), outputs.end());
  return args;
}

TEST(MaxMemory, SmallChunksGiveTheSameFiles) {
  const TempDir capture;
  const TempDir dir;
  ASSERT_EQ(run_symbreak(sweep_args(dir, "default-"), capture).status, 0);
  std::vector<std::string> args = sweep_args(dir, "small-");
  args.insert(args.end(), {"--max-memory", "2M"});
  const Outcome r = run_symbreak(args, capture);
  ASSERT_EQ(r.status, 0) << r.err;
  expect_same_outputs(dir, "default-", "small-");
}

}  // namespace
