// Tests the data tasks of host/config/data_tasks.cpp (docs/method.md §1.1): the generated sets'
// sizes, label order and geometry, that the data seed (and only it) changes the noise, and that
// CSV files are read exactly.
#include "host/config/data_tasks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>

#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

TEST(DataTasks, SizesFollowTheNameAndTheTestSetIsAThird) {
  for (const auto& [name, n, test] : {std::tuple{"circles", 300, 100},
                                      {"moons", 300, 100},
                                      {"spiral", 300, 100},
                                      {"circles:7", 7, 3},
                                      {"moons:1000:0.2", 1000, 334},
                                      {"spiral:2", 2, 1}}) {
    SCOPED_TRACE(name);
    const Task t = make_task(name);
    EXPECT_EQ(t.name, name);
    EXPECT_EQ(t.inputs, 2);
    EXPECT_EQ(t.samples, n);
    EXPECT_EQ(t.x.size(), 2u * n);
    EXPECT_EQ(t.test_samples, test);
    EXPECT_EQ(t.test_x.size(), 2u * test);
    EXPECT_TRUE(t.has_test_set());
  }
  EXPECT_FALSE(make_task("xor").has_test_set());
}

// Labels alternate 0, 1, 0, 1, ... (the extra sample of an odd n is a 1).
TEST(DataTasks, LabelsAlternate) {
  for (const char* name : {"circles:9", "moons:10", "spiral:11"}) {
    const Task t = make_task(name);
    for (int s = 0; s < t.samples; ++s) {
      const double expected = (s == t.samples - 1 && t.samples % 2 == 1) ? 1.0 : s % 2;
      EXPECT_EQ(t.target[s], expected) << name << " sample " << s;
    }
  }
}

// Without noise the points lie exactly where scikit-learn's make_circles / make_moons put them.
TEST(DataTasks, NoiselessGeometryMatchesScikitLearn) {
  const Task c = make_task("circles:8:0:0.5");
  for (int s = 0; s < 8; ++s) {
    const double radius = std::hypot(c.x[2 * s], c.x[2 * s + 1]);
    EXPECT_NEAR(radius, c.target[s] == 0.0 ? 1.0 : 0.5, 1e-15);
  }
  // Outer point k = 1 of 4: angle 2 pi / 4.
  EXPECT_NEAR(c.x[2 * 2], 0.0, 1e-15);
  EXPECT_NEAR(c.x[2 * 2 + 1], 1.0, 1e-15);
  const Task m = make_task("moons:6:0");
  // Upper moon (label 0): cos, sin of linspace(0, pi, 3); lower: 1 - cos, 1 - sin - 0.5.
  EXPECT_DOUBLE_EQ(m.x[0], 1.0);
  EXPECT_DOUBLE_EQ(m.x[1], 0.0);
  EXPECT_DOUBLE_EQ(m.x[2], 0.0);
  EXPECT_DOUBLE_EQ(m.x[3], 0.5);
  // Sample 3: lower moon point 1 of 3 (t = pi / 2); sample 4: upper moon point 2 (t = pi).
  EXPECT_NEAR(m.x[3 * 2], 1.0, 1e-15);
  EXPECT_NEAR(m.x[3 * 2 + 1], -0.5, 1e-15);
  EXPECT_NEAR(m.x[4 * 2], -1.0, 1e-15);
  EXPECT_NEAR(m.x[4 * 2 + 1], 0.0, 1e-15);
  // Spiral: the two arms are point symmetric.
  const Task sp = make_task("spiral:10:0");
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(sp.x[4 * k], -sp.x[4 * k + 2], 1e-15);
    EXPECT_NEAR(sp.x[4 * k + 1], -sp.x[4 * k + 3], 1e-15);
  }
}

TEST(DataTasks, NoiseHasTheGivenScaleAndDependsOnlyOnTheDataSeed) {
  const Task clean = make_task("circles:20000:0");
  const Task noisy = make_task("circles:20000:0.05");
  double sum = 0.0, squares = 0.0;
  for (std::size_t i = 0; i < clean.x.size(); ++i) {
    const double e = noisy.x[i] - clean.x[i];
    sum += e;
    squares += e * e;
  }
  const double count = static_cast<double>(clean.x.size());
  EXPECT_NEAR(sum / count, 0.0, 0.002);
  EXPECT_NEAR(std::sqrt(squares / count), 0.05, 0.002);

  EXPECT_EQ(make_task("moons", 7).x, make_task("moons", 7).x) << "a pure function of the seed";
  EXPECT_NE(make_task("moons", 7).x, make_task("moons", 8).x);
  EXPECT_EQ(make_task("moons", 7).target, make_task("moons", 8).target);
  // The test set has its own noise, not a copy of the training set's.
  const Task t = make_task("circles:300");
  const Task small = make_task("circles:100");
  EXPECT_NE(std::vector<double>(t.test_x.begin(), t.test_x.begin() + 10),
            std::vector<double>(small.x.begin(), small.x.begin() + 10));
}

TEST(DataTasks, BadNamesAndParametersAreRefused) {
  for (const char* name :
       {"circles:1", "circles:0", "circles:x", "circles:300:-1", "circles:300:nan",
        "circles:300:0.1:1", "circles:300:0.1:0", "circles:300:0.1:0.5:9", "moons:300:0.1:0.5",
        "spiral:1000001", "circles:", "csv:", "csv:a.csv:", "csv:a:b:c"}) {
    EXPECT_THROW(check_task_name(name), UsageError) << name;
  }
  EXPECT_NO_THROW(check_task_name("csv:train.csv:test.csv"));  // files are read later
  EXPECT_THROW(make_task("circlesx"), UsageError);
}

TEST(DataTasks, CsvFilesAreReadExactly) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string train = (dir / "symbreak-test-data-train.csv").string();
  const std::string test = (dir / "symbreak-test-data-test.csv").string();
  std::ofstream(train) << "a,b,c,label\r\n0.1,-2e3, 7 ,1\r\n1e-300,+4,0.30000000000000004,0\n";
  std::ofstream(test) << "a,b,c,y\n5,6,7,1\n";
  const Task t = make_task(std::string("csv:").append(train).append(":").append(test));
  EXPECT_EQ(t.inputs, 3);
  EXPECT_EQ(t.samples, 2);
  EXPECT_EQ(t.x, (std::vector<double>{0.1, -2e3, 7, 1e-300, 4, 0.30000000000000004}));
  EXPECT_EQ(t.target, (std::vector<double>{1, 0}));
  EXPECT_EQ(t.test_samples, 1);
  EXPECT_EQ(t.test_x, (std::vector<double>{5, 6, 7}));
  EXPECT_FALSE(make_task(std::string("csv:").append(train)).has_test_set());
  std::remove(train.c_str());
  std::remove(test.c_str());
}

}  // namespace
}  // namespace symbreak
