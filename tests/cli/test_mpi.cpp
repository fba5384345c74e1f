// `mpirun -np 2` and `-np 3 symbreak sweep` (OpenMPI, --oversubscribe: CI has 2 cores) write
// --out, --networks, --trace and --params byte-identical to one process's, record the ranks in the
// meta file and the table, and a bad option under mpirun is one line and exit 2. Skipped in builds
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

// xor, width 32, 2000 epochs: about 190 networks per chunk, so the 900 networks are 5 chunks,
// spread over the ranks.
std::vector<std::string> sweep_args(const TempDir& dir, const std::string& prefix) {
  return {"sweep",         "--quiet",
          "--task",        "xor",
          "--width",       "32",
          "--activation",  "tanh,sigmoid,relu",
          "--init",        "xavier-uniform,he-normal,normal:1",
          "--lr",          "0.1,0.5",
          "--epochs",      "2000",
          "--seeds",       "50",
          "--engine",      "cpu",
          "--threads",     "1",
          "--trace-every", "500",
          "--out",         dir / (prefix + "out.csv"),
          "--networks",    dir / (prefix + "networks.csv"),
          "--trace",       dir / (prefix + "trace.csv")};
}

// sweep_args with --params: the kept parameters travel to rank 0 with the rest of a chunk.
std::vector<std::string> sweep_args_with_params(const TempDir& dir, const std::string& prefix) {
  std::vector<std::string> args = sweep_args(dir, prefix);
  args.insert(args.end(), {"--params", dir / (prefix + "params.csv"), "--params-replicates", "3"});
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
  const Outcome one = run_symbreak(sweep_args_with_params(dir, "one-"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  for (const int ranks : {2, 3}) {
    SCOPED_TRACE(std::to_string(ranks) + " ranks");
    const std::string prefix = std::to_string(ranks) + "-";
    const Outcome r = run_mpi(ranks, sweep_args_with_params(dir, prefix), capture);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* file : {"out.csv", "networks.csv", "trace.csv", "params.csv"}) {
      const std::string want = read_file(dir / (std::string("one-") + file));
      EXPECT_GT(want.size(), 100u);
      EXPECT_TRUE(read_file(dir / (prefix + file)) == want) << file << " differs";
    }
    EXPECT_NE(
        read_file(dir / (prefix + "out.csv.meta.json")).find("\"ranks\": " + prefix.substr(0, 1)),
        std::string::npos);
  }
}

// A data task's test accuracy, test loss and single-class verdict travel from the other ranks
// too: moons at 20,000 epochs is about 14 networks per chunk, so rank 1 trains every other chunk.
TEST(Mpi, DataTasksKeepTheirTestSetMeasuresFromEveryRank) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const TempDir dir;
  const auto args = [&dir](const std::string& prefix) {
    return std::vector<std::string>{"sweep",        "--quiet",
                                    "--task",       "moons:40",
                                    "--width",      "4",
                                    "--init",       "zeros,he-normal",
                                    "--activation", "tanh",
                                    "--epochs",     "20000",
                                    "--seeds",      "30",
                                    "--engine",     "cpu",
                                    "--threads",    "1",
                                    "--networks",   dir / (prefix + "networks.csv"),
                                    "--params",     dir / (prefix + "params.csv")};
  };
  const Outcome one = run_symbreak(args("one-"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  const Outcome two = run_mpi(2, args("two-"), capture);
  ASSERT_EQ(two.status, 0) << two.err;
  for (const char* file : {"networks.csv", "params.csv"}) {
    const std::string want = read_file(dir / (std::string("one-") + file));
    EXPECT_TRUE(read_file(dir / (std::string("two-") + file)) == want) << file << " differs";
  }
  // Every network row ends with its test accuracy, test loss and single-class verdict.
  for (const std::string& line : split_lines(read_file(dir / "two-networks.csv")))
    EXPECT_EQ(line.find(",,"), std::string::npos) << line;
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

TEST(Mpi, TheTableSaysHowManyRanksRan) {
  if (kMpiexec == nullptr) GTEST_SKIP() << "built without MPI (or with AddressSanitizer)";
  const TempDir capture;
  const Outcome r = run_mpi(2, {"sweep", "--seeds", "4", "--epochs", "5"}, capture);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Trained by 2 MPI ranks."), std::string::npos) << r.out;
}

}  // namespace
