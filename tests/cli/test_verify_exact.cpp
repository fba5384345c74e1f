// `symbreak verify --exact` through the binary: the cpu engine against itself is identical network
// by network (the comparison runs, and would catch a nondeterministic engine), and the engines that
// are judged statistically (cpu-ref, cublas) are refused with one line naming them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

TEST(VerifyExact, CpuAgainstItselfIsIdenticalOnEveryNetwork) {
  const TempDir capture;
  const Outcome o = run_symbreak({"verify", "--engine", "cpu", "--exact", "--seeds", "4",
                                  "--epochs", "50", "--width", "4,24", "--depth", "1,3"},
                                 capture);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("identical: 336 of 336 networks"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("PASS"), std::string::npos);
}

TEST(VerifyExact, StatisticallyJudgedEnginesAreRefused) {
  const TempDir capture;
  for (const char* engine : {"cpu-ref", "cublas"}) {
    const Outcome o = run_symbreak({"verify", "--engine", engine, "--exact"}, capture);
    EXPECT_GE(o.status, 1);
    EXPECT_LE(o.status, 2) << o.err;
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "one line: " << o.err;
    if (std::string(engine) == "cpu-ref") {
      EXPECT_NE(o.err.find("'cpu-ref'"), std::string::npos) << o.err;
    }
  }
}

}  // namespace
