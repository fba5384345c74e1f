// Progress on a non-terminal stderr (a log file): plain lines, at most one every 10 seconds and
// one at the end, each with networks and configurations done of the total and the throughput.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

TEST(Progress, PlainLinesOnANonTerminalWithThroughput) {
  const TempDir capture;
  const TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = run_symbreak({"sweep", "--task", "xor", "--width", "4", "--activation",
                                  "tanh,relu", "--init", "xavier-uniform,zeros", "--epochs", "300",
                                  "--seeds", "50", "--engine", "cpu", "--out", dir / "out.csv"},
                                 capture);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err.find('\r'), std::string::npos) << "no terminal control characters in a log";
  const std::vector<std::string> lines = split_lines(o.err);
  ASSERT_FALSE(lines.empty());
  EXPECT_LE(lines.size(), 2 + static_cast<std::size_t>(seconds / 10.0)) << o.err;
  const std::regex final_line(
      "symbreak: 200/200 networks \\(100\\.0%\\), 4/4 configurations, [0-9.e+]+ "
      "network-epochs/s, [0-9.]+ s");
  EXPECT_TRUE(std::regex_match(lines.back(), final_line)) << lines.back();
}

}  // namespace
