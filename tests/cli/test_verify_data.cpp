// `symbreak verify` on data tasks through the real binary (docs/method.md §9.2): the cpu engine
// against cpu-ref on circles, moons, spiral and csv: tasks, with and without a test set, under
// the same criteria as boolean tasks (D_l exact on symmetric initialisations, verdicts, rates);
// --out reports both engines' mean training and test accuracy per configuration.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

TEST(VerifyData, CpuAgreesWithCpuRefOnEveryKindOfDataTask) {
  const TempDir capture;
  const TempDir dir;
  const std::string examples = std::string(SYMBREAK_SOURCE_DIR) + "/examples/";
  const std::string train = examples + "moons_train.csv", test = examples + "moons_test.csv";
  const std::string tasks =
      "circles:60,moons:61,spiral:40,csv:" + train + ":" + test + ",csv:" + train;
  const std::string out = dir / "verify.csv";
  const Outcome o =
      run_symbreak({"verify", "--engine", "cpu", "--task", tasks, "--activation", "tanh,relu",
                    "--init", "zeros,const:0.5,xavier-uniform", "--width", "5", "--seeds", "6",
                    "--epochs", "80", "--lr", "0.1", "--out", out},
                   capture);
  ASSERT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("PASS"), std::string::npos) << o.out;
  // 30 symmetric (zeros, const:0.5) configurations x 6 networks must have cpu-ref's D_l exactly.
  EXPECT_NE(o.out.find("D_l identical on 120 of 120 networks"), std::string::npos) << o.out;

  const auto rows = csv_rows(out);
  ASSERT_EQ(rows.size(), 5u * 2 * 3);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.at("task") + " " + row.at("activation") + " " + row.at("init"));
    EXPECT_EQ(row.at("n"), "6");
    EXPECT_EQ(row.at("exact_mismatches"), "0");
    for (const char* verdict : {"solved", "broken", "collapsed", "frozen"})
      EXPECT_EQ(row.at(std::string(verdict) + "_agreement"), "1") << verdict;
    // Same networks, float against double: the mean accuracies agree to a sample or so.
    EXPECT_NEAR(std::stod(row.at("accuracy_engine")), std::stod(row.at("accuracy_reference")),
                0.02);
    const bool has_test = row.at("task") != "csv:" + train;
    EXPECT_EQ(row.at("test_accuracy_engine").empty(), !has_test);
    EXPECT_EQ(row.at("test_accuracy_reference").empty(), !has_test);
    if (has_test) {
      EXPECT_NEAR(std::stod(row.at("test_accuracy_engine")),
                  std::stod(row.at("test_accuracy_reference")), 0.02);
    }
    if (row.at("init") == "zeros" && row.at("activation") == "relu") {
      // Every network predicts one class in both engines: exactly the same accuracy.
      EXPECT_EQ(row.at("accuracy_engine"), row.at("accuracy_reference"));
      EXPECT_EQ(row.at("largest_accuracy_difference"), "0");
    }
  }
}

// --exact on a data task: the cpu engine against itself, bit for bit (the path cuda takes).
TEST(VerifyData, ExactComparisonRunsOnDataTasks) {
  const TempDir capture;
  const Outcome o = run_symbreak(
      {"verify", "--engine", "cpu", "--exact", "--task", "circles:50,spiral:30", "--activation",
       "tanh", "--init", "zeros,he-normal", "--seeds", "4", "--epochs", "30"},
      capture);
  ASSERT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("PASS"), std::string::npos) << o.out;
}

}  // namespace
