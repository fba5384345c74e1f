// examples/large-sweep.toml, the README's example of a large sweep, is accepted as it is and
// expands to its 1,152 configurations (trained here with 1 seed and 2 epochs instead of 1,000 and
// 1,000: options on the command line win over the file).
#include <gtest/gtest.h>

#include <string>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

TEST(ExampleConfig, LargeSweepFileRuns) {
  const TempDir capture;
  const TempDir dir;
  const std::string config = std::string(SYMBREAK_SOURCE_DIR) + "/examples/large-sweep.toml";
  const Outcome o = run_symbreak({"sweep", "--config", config, "--seeds", "1", "--epochs", "2",
                                  "--engine", "cpu", "--quiet", "--out", dir / "out.csv"},
                                 capture);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(split_lines(read_file(dir / "out.csv")).size(), 1u + 1152u);
}

}  // namespace
