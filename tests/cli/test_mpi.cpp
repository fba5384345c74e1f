// `mpirun -np 2` and `-np 3 symbreak sweep` (OpenMPI, --oversubscribe: CI has 2 cores) write
// --out, --networks and --trace byte-identical to one process's, record the ranks in the meta
// file and the table, and a bad option under mpirun is one line and exit 2. Skipped in builds
// without MPI and under AddressSanitizer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

// Not under AddressSanitizer: OpenMPI's runtime keeps allocations to the end of the process,
// which LeakSanitizer (scripts/sanitize.sh) would report as leaks of symbreak's.
#if defined(SYMBREAK_MPIEXEC) && !defined(__SANITIZE_ADDRESS__)
constexpr const char* kMpiexec = SYMBREAK_MPIEXEC;
#else
constexpr const char* kMpiexec = nullptr;
#endif

// One rank's threads only: the ranks share CI's two cores.
std::vector<std::string> sweep_args(const TempDir& dir, const std::string& prefix) {
  std::vector<std::string> args = five_chunk_sweep_args(dir, prefix);
  args.insert(args.end(), {"--threads", "1"});
  return args;
}

// Runs `mpirun -np N` (as root too: CI containers run as root) with `args`.
Outcome run_mpi(int ranks, const std::vector<std::string>& args, const TempDir& capture) {
  std::vector<std::string> all = {"--oversubscribe", "--allow-run-as-root", "-np",
                                  std::to_string(ranks), SYMBREAK_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  std::vector<std::string> storage = {kMpiexec};
  storage.insert(storage.end(), all.begin(), all.end());
  const std::string out = capture / "stdout", err = capture / "stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    for (std::string& s : storage)
      argv.push_back(s.data());
    argv.push_back(nullptr);
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(200);
    execv(argv[0], argv.data());
    _exit(201);
  }
  return wait_symbreak(Running{pid, out, err}, std::chrono::seconds(600));
}

TEST(Mpi, TwoAndThreeRanksWriteTheFilesOfOneProcess) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const TempDir dir;
  const Outcome one = run_symbreak(sweep_args(dir, "one-"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  for (const int ranks : {2, 3}) {
    SCOPED_TRACE(std::to_string(ranks) + " ranks");
    const std::string prefix = std::to_string(ranks) + "-";
    const Outcome r = run_mpi(ranks, sweep_args(dir, prefix), capture);
    ASSERT_EQ(r.status, 0) << r.err;
    expect_same_outputs(dir, "one-", prefix);
    EXPECT_NE(
        read_file(dir / (prefix + "out.csv.meta.json")).find("\"ranks\": " + prefix.substr(0, 1)),
        std::string::npos);
  }
}

// A data task's test-set columns travel from the ranks to rank 0 with the rest of each result.
TEST(Mpi, DataTasksKeepTheirTestColumns) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const TempDir dir;
  const auto args = [&](const std::string& prefix) {
    std::vector<std::string> a = {"sweep",         "--quiet",
                                  "--task",        "circles:60,moons:60",
                                  "--init",        "zeros,he-normal",
                                  "--epochs",      "200",
                                  "--seeds",       "300",
                                  "--engine",      "cpu",
                                  "--threads",     "1",
                                  "--trace-every", "100",
                                  "--max-memory",  "2M"};
    const std::vector<std::string> outputs = output_args(dir, prefix);
    a.insert(a.end(), outputs.begin(), outputs.end());
    return a;
  };
  const Outcome one = run_symbreak(args("one-"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  const Outcome two = run_mpi(2, args("2-"), capture);
  ASSERT_EQ(two.status, 0) << two.err;
  expect_same_outputs(dir, "one-", "2-");
  EXPECT_NE(read_file(dir / "2-networks.csv").find("test_accuracy"), std::string::npos);
}

TEST(Mpi, BadInputIsOneLineFromRankZero) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const Outcome r = run_mpi(2, {"sweep", "--width", "4,,8"}, capture);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("symbreak: error: --width: empty item in '4,,8'"), std::string::npos)
      << r.err;
  std::size_t lines = 0;
  for (const std::string& line : split_lines(r.err))
    lines += line.rfind("symbreak: error:", 0) == 0;
  EXPECT_EQ(lines, 1u) << r.err;
}

// Each rank knows its number on its machine, which picks its GPU for the cuda engines.
TEST(Mpi, EachRankKnowsItsLocalRank) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const Outcome r = run_mpi(2, {"devices"}, capture);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* rank : {"rank 0 of 2, local rank 0", "rank 1 of 2, local rank 1"})
    EXPECT_NE(r.out.find(rank), std::string::npos) << r.out;
}

TEST(Mpi, TheTableSaysHowManyRanksRan) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const Outcome r = run_mpi(2, {"sweep", "--seeds", "4", "--epochs", "5"}, capture);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Trained by 2 MPI ranks."), std::string::npos) << r.out;
}

}  // namespace
