// Tests data tasks through the built binary (docs/method.md §1.1): every malformed CSV file, a test
// file whose columns differ from the training file's, a file too large for the memory symbreak may
// use and a non-finite value get one line naming the file, line and column, exit status 2, and
// leave the outputs untouched; `symbreak data` writes sets that read back as the same samples.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

struct BadFile {
  std::string train;               // content of the training file
  std::string test;                // content of the test file ("" = no test file)
  std::vector<std::string> named;  // what the message must contain besides the file name
  std::string file = "train.csv";  // which file the message must name
};

std::vector<BadFile> bad_files() {
  const std::string good = "x1,x2,label\n0.5,1.5,0\n-1,2,1\n";
  return {
      {"", "", {"is empty"}},
      {"x1,x2,label\n", "", {"line 1", "no data rows"}},
      {"\n0,1,1\n", "", {"line 1", "header row is empty"}},
      {"label\n1\n", "", {"line 1", "expected at least 2"}},
      {"x1,x2,label\n0.5,,1\n", "", {"line 2", "column 2", "missing value"}},
      {"x1,x2,label\n0.5,1,\n", "", {"line 2", "column 3", "missing value"}},
      {"x1,x2,label\n0.5,abc,1\n", "", {"line 2", "column 2", "'abc' is not a number"}},
      {"x1,x2,label\n0.5,1.5.2,1\n", "", {"line 2", "column 2", "'1.5.2' is not a number"}},
      {"x1,x2,label\n0.5,1,2\n", "", {"line 2", "column 3", "label '2'", "0 or 1"}},
      {"x1,x2,label\n0.5,1,0.5\n", "", {"line 2", "column 3", "label '0.5'"}},
      {"x1,x2,label\n0,1,1\n0.5,1\n", "", {"line 3", "column 3", "2 columns", "header has 3"}},
      {"x1,x2,label\n0,1,1\n0.5,1,0,7\n", "", {"line 3", "column 4", "4 columns"}},
      {"x1,x2,label\n0,1,1\n\n1,1,0\n", "", {"line 3", "1 column"}},
      {"x1,x2,label\n0,inf,1\n", "", {"line 2", "column 2", "'inf'", "finite"}},
      {"x1,x2,label\n0,1,nan\n", "", {"line 2", "column 3", "'nan'", "finite"}},
      {"x1,x2,label\n1e999,1,0\n", "", {"line 2", "column 1", "'1e999'", "finite"}},
      {"x1,x2,label\n1e39,1,0\n", "", {"line 2", "column 1", "float's range"}},
      // The test file: its own errors, and columns that differ from the training file's.
      {good, "x1,label\n0,1\n", {"line 1", "2 columns", "training file has 3"}, "test.csv"},
      {good, "x1,x2,x3,label\n0,1,2,1\n", {"line 1", "4 columns"}, "test.csv"},
      {good, "x1,x2,label\n0,1,-1\n", {"line 2", "column 3", "label '-1'"}, "test.csv"},
      {good, "", {}, "missing.csv"},
  };
}

// "csv:TRAIN[:TEST]", built by appending (g++ 12 warns wrongly about "csv:" + std::string).
std::string csv_task(const std::string& train, const std::string& test = "") {
  std::string task = "csv:";
  task.append(train);
  if (!test.empty()) task.append(":").append(test);
  return task;
}

void expect_refused(const Outcome& o, const std::vector<std::string>& named) {
  EXPECT_TRUE(o.exited);
  EXPECT_EQ(o.status, 2) << o.err;
  EXPECT_EQ(o.out, "");
  ASSERT_FALSE(o.err.empty());
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "one line: " << o.err;
  for (const std::string& n : named)
    EXPECT_NE(o.err.find(n), std::string::npos) << "does not name '" << n << "': " << o.err;
}

// Runs a sweep on csv:train.csv[:test.csv] in `work`, whose outputs exist beforehand (they must
// keep their content) or not (they must not appear).
void check_bad_file(const BadFile& bad, const std::vector<std::string>& extra_args = {},
                    const std::function<void()>& in_child = {}) {
  const TempDir capture;
  for (const bool existing : {true, false}) {
    const TempDir work;
    write_file(work / "train.csv", bad.train);
    std::string test;
    if (!bad.test.empty()) {
      write_file(work / "test.csv", bad.test);
      test = work / "test.csv";
    } else if (bad.file == "missing.csv") {
      test = work / "missing.csv";
    }
    const std::string task = csv_task(work / "train.csv", test);
    const std::string kept = "keep,this\n";
    if (existing) {
      write_file(work / "out.csv", kept);
      write_file(work / "networks.csv", kept);
    }
    const std::set<std::string> before = listing(work.path());
    std::vector<std::string> args = {"sweep",      "--quiet",
                                     "--task",     task,
                                     "--seeds",    "2",
                                     "--epochs",   "2",
                                     "--init",     "zeros",
                                     "--engine",   "cpu-ref",
                                     "--out",      work / "out.csv",
                                     "--networks", work / "networks.csv"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    SCOPED_TRACE("train.csv: '" + bad.train + "' test.csv: '" + bad.test + "' existing " +
                 std::to_string(existing));
    std::vector<std::string> named = bad.named;
    named.push_back(work / bad.file);
    expect_refused(run_symbreak(args, capture, false, in_child), named);
    EXPECT_EQ(listing(work.path()), before) << "an output was created or a file left behind";
    if (existing) {
      EXPECT_EQ(read_file(work / "out.csv"), kept);
      EXPECT_EQ(read_file(work / "networks.csv"), kept);
    }
  }
}

TEST(BadData, EveryMalformedCsvIsRefusedWithFileLineAndColumn) {
  for (const BadFile& bad : bad_files())
    check_bad_file(bad);
}

// 1000 rows of 3 columns need about 36 KB; with SYMBREAK_MEMORY_LIMIT at 10000 bytes the file is
// refused at the row that crosses the limit.
TEST(BadData, FileTooLargeForTheMemoryLimitIsRefused) {
  std::string rows = "x1,x2,label\n";
  for (int i = 0; i < 1000; ++i)
    rows += std::to_string(i) + ",0.5," + std::to_string(i % 2) + "\n";
  check_bad_file({rows, "", {"line 279", "more than", "SYMBREAK_MEMORY_LIMIT"}}, {},
                 [] { setenv("SYMBREAK_MEMORY_LIMIT", "10000", 1); });
}

TEST(BadData, VerifyRefusesABadFileToo) {
  const TempDir capture;
  const TempDir work;
  write_file(work / "train.csv", "x,label\n1,1\n2,zero\n");
  expect_refused(run_symbreak({"verify", "--quiet", "--task", csv_task(work / "train.csv"),
                               "--engine", "cpu", "--seeds", "2", "--epochs", "2"},
                              capture),
                 {work / "train.csv", "line 3", "column 2", "'zero'"});
}

TEST(BadData, DataSubcommandRefusesBadInputWithoutWriting) {
  const TempDir capture;
  const TempDir work;
  write_file(work / "bad.csv", "x,label\n1,1\n2,3\n");
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{"data", csv_task(work / "bad.csv"), "--out", work / "o.csv"},
       {work / "bad.csv", "line 3", "column 2", "label '3'"}},
      {{"data", "circles:1", "--out", work / "o.csv"}, {"circles:1", "'1'"}},
      {{"data", "blobs", "--out", work / "o.csv"}, {"'blobs'"}},
      {{"data", "xor", "--out", work / "o.csv", "--test", work / "t.csv"},
       {"--test", "no test set"}},
      {{"data", "moons", "--out", work / "o.csv", "--data-seed", "-1"}, {"--data-seed", "'-1'"}},
      {{"data", "moons", "--out", work / "missing/o.csv"}, {"--out", "missing/o.csv"}},
      {{"data", "moons", "--out", work / "o.csv", "--test", work / "o.csv"}, {"--test"}},
      {{"data", "moons"}, {"--out"}},
  };
  const std::set<std::string> before = listing(work.path());
  for (const auto& [args, named] : cases) {
    SCOPED_TRACE(args[1]);
    const Outcome o = run_symbreak(args, capture);
    EXPECT_GE(o.status, 1);
    EXPECT_LE(o.status, 2);
    expect_refused(Outcome{o.exited, 2, 0, o.out, o.err}, named);
    EXPECT_EQ(listing(work.path()), before);
  }
}

// What `symbreak data` writes trains exactly like the task it came from: a sweep on the exported
// csv:train:test gives the same per-network results as one on the generated task.
TEST(GoodData, ExportedSetsTrainLikeTheGeneratedTask) {
  const TempDir capture;
  const TempDir work;
  const Outcome exported = run_symbreak({"data", "moons:40:0.2", "--data-seed", "3", "--out",
                                         work / "train.csv", "--test", work / "test.csv"},
                                        capture);
  ASSERT_EQ(exported.status, 0) << exported.err;
  const std::vector<std::string> train = split_lines(read_file(work / "train.csv"));
  ASSERT_EQ(train.size(), 41u);
  EXPECT_EQ(train[0], "x1,x2,label");
  EXPECT_EQ(split_lines(read_file(work / "test.csv")).size(), 1u + 14u);

  const auto networks = [&](const std::string& task, const std::string& file) {
    const Outcome o = run_symbreak(
        {"sweep",      "--quiet", "--task",       task,   "--data-seed", "3",
         "--width",    "3",       "--activation", "tanh", "--init",      "zeros,xavier-uniform",
         "--seeds",    "4",       "--epochs",     "30",   "--engine",    "cpu-ref",
         "--networks", file},
        capture);
    EXPECT_EQ(o.status, 0) << o.err;
    std::vector<std::string> rows = split_lines(read_file(file));
    for (std::string& row : rows)
      row = row.substr(row.find(','));  // drop the task column
    return rows;
  };
  const std::vector<std::string> generated = networks("moons:40:0.2", work / "a.csv");
  const std::vector<std::string> from_csv =
      networks(csv_task(work / "train.csv", work / "test.csv"), work / "b.csv");
  ASSERT_EQ(generated.size(), 1u + 8u);
  EXPECT_EQ(generated, from_csv);
  EXPECT_NE(generated[0].find(",test_accuracy,test_loss"), std::string::npos) << generated[0];
  // Every network has a test accuracy: the row does not end with the empty test fields.
  for (std::size_t r = 1; r < generated.size(); ++r)
    EXPECT_EQ(generated[r].find(",,"), std::string::npos) << generated[r];
}

}  // namespace

namespace {

using namespace symbreak::testing;

// The cpu engine against cpu-ref on data tasks: the agreement of docs/method.md §9.2 holds, and
// the float engines' test accuracy (measured on the host from their final parameters) is reported
// beside cpu-ref's.
TEST(GoodData, VerifyAgreesOnDataTasksAndComparesTestAccuracy) {
  const TempDir capture;
  const Outcome o =
      run_symbreak({"verify", "--engine", "cpu", "--task", "circles:60,moons:61,spiral:40",
                    "--activation", "tanh,relu", "--init", "zeros,const:0.5,xavier-uniform",
                    "--width", "4,10", "--seeds", "6", "--epochs", "60", "--lr", "0.1"},
                   capture);
  EXPECT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("PASS"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("test accuracy (data tasks; informational): mean "), std::string::npos)
      << o.out;
}

}  // namespace
