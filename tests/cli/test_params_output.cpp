// `sweep --params FILE --params-replicates K` through the real binary (docs/method.md §8.4): the
// file has the documented columns and one row per kept network (replicates 0 ... K-1 of every
// configuration, in the --networks file's order), with parameters that are the network's own; the
// cpu and cpu-ref engines write the same networks; shards merge into one process's file, an
// interrupted sweep resumed writes the uninterrupted file, and --resume refuses another K.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "symbreak_process.hpp"

namespace {

using namespace symbreak::testing;

// moons with 40 training points at width 3 (13 parameters), relu, zeros and he-normal, 4 networks
// each.
std::vector<std::string> small_sweep(const std::string& engine, const std::string& params) {
  return {"sweep", "--quiet",      "--task",   "moons:40", "--width",
          "3",     "--activation", "relu",     "--init",   "zeros,he-normal",
          "--lr",  "0.1",          "--epochs", "100",      "--seeds",
          "4",     "--engine",     engine,     "--params", params};
}

TEST(ParamsOutput, HasTheDocumentedColumnsAndTheFirstKReplicates) {
  const TempDir capture;
  const TempDir dir;
  for (const std::string engine : {"cpu-ref", "cpu"}) {
    SCOPED_TRACE(engine);
    const std::string params = dir / (engine + "-params.csv");
    const std::string networks = dir / (engine + "-networks.csv");
    std::vector<std::string> args = small_sweep(engine, params);
    args.insert(args.end(), {"--params-replicates", "2", "--networks", networks});
    const Outcome r = run_symbreak(args, capture);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string header = split_lines(read_file(params))[0];
    // The 11 configuration columns that lead --networks, then the breakers' 4 (which end the
    // other files' rows), then the columns of docs/method.md §8.4.
    const std::string networks_header = split_lines(read_file(networks))[0];
    EXPECT_EQ(header, networks_header.substr(0, networks_header.find(",replicate")) +
                          ",optimizer,weight_decay,dropout,grad_noise,replicate,seed,data_seed,"
                          "engine,accuracy,test_accuracy,layers,parameters");
    const auto rows = csv_rows(params);
    const auto network_rows = csv_rows(networks);
    ASSERT_EQ(rows.size(), 4u);  // 2 configurations x 2 kept replicates
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& row = rows[i];
      SCOPED_TRACE("row " + std::to_string(i));
      EXPECT_EQ(row.at("init"), i < 2 ? "zeros" : "he-normal");
      EXPECT_EQ(row.at("replicate"), std::to_string(i % 2));
      EXPECT_EQ(row.at("data_seed"), "0");
      EXPECT_EQ(row.at("engine"), engine);
      EXPECT_EQ(row.at("layers"), "2;3;1");
      const std::vector<std::string> values = split_fields(row.at("parameters"), ';');
      ASSERT_EQ(values.size(), 13u);  // 3 x (2 + 1) + 1 x (3 + 1)
      // The same network as the --networks row of this init and replicate (4 per init there).
      const auto& network = network_rows[(i / 2) * 4 + i % 2];
      EXPECT_EQ(network.at("replicate"), row.at("replicate"));
      EXPECT_EQ(network.at("accuracy"), row.at("accuracy"));
      EXPECT_EQ(network.at("test_accuracy"), row.at("test_accuracy"));
      if (row.at("init") == "zeros") {
        // With relu, zeros never moves a weight (f'(0) = 0), nor a hidden bias; the output bias's
        // gradient is the mean of sigmoid(0) - y, 0 on moons' balanced classes: all stay 0.
        for (std::size_t k = 0; k < values.size(); ++k)
          EXPECT_EQ(std::stod(values[k]), 0.0) << "parameter " << k;
      } else {
        EXPECT_NE(std::stod(values[0]), 0.0);
      }
    }
  }
  // The two engines trained the same networks from the same initial parameters.
  const auto ref = csv_rows(dir / "cpu-ref-params.csv");
  const auto cpu = csv_rows(dir / "cpu-params.csv");
  ASSERT_EQ(ref.size(), cpu.size());
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const std::vector<std::string> a = split_fields(ref[i].at("parameters"), ';');
    const std::vector<std::string> b = split_fields(cpu[i].at("parameters"), ';');
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      EXPECT_NEAR(std::stod(a[k]), std::stod(b[k]), 1e-3 * (1.0 + std::fabs(std::stod(a[k]))))
          << "row " << i << " parameter " << k;
    }
  }
}

TEST(ParamsOutput, KeepsOneReplicateByDefaultAndAllWhenKIsAtLeastTheSeeds) {
  const TempDir capture;
  const TempDir dir;
  const Outcome one = run_symbreak(small_sweep("cpu", dir / "one.csv"), capture);
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(csv_rows(dir / "one.csv").size(), 2u);
  std::vector<std::string> args = small_sweep("cpu", dir / "all.csv");
  args.insert(args.end(), {"--params-replicates", "1000"});
  const Outcome all = run_symbreak(args, capture);
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_EQ(csv_rows(dir / "all.csv").size(), 8u);
}

// Six configurations (3 inits x 2 learning rates) over 3 shards, merged: the file of one process.
std::vector<std::string> shard_sweep(const std::string& params) {
  return {"sweep",
          "--quiet",
          "--task",
          "xor",
          "--init",
          "zeros,he-normal,xavier-uniform",
          "--activation",
          "tanh",
          "--lr",
          "0.1,0.5",
          "--epochs",
          "100",
          "--seeds",
          "5",
          "--engine",
          "cpu",
          "--params",
          params,
          "--params-replicates",
          "2"};
}

TEST(ParamsOutput, ShardsMergeIntoTheFileOfOneProcess) {
  const TempDir capture;
  const TempDir dir;
  ASSERT_EQ(run_symbreak(shard_sweep(dir / "one.csv"), capture).status, 0);
  std::vector<std::string> merge = {"merge", dir / "merged.csv"};
  for (int i = 0; i < 3; ++i) {
    const std::string part = dir / ("part" + std::to_string(i) + ".csv");
    std::vector<std::string> args = shard_sweep(part);
    args.insert(args.end(), {"--shard", std::to_string(i) + "/3"});
    const Outcome r = run_symbreak(args, capture);
    ASSERT_EQ(r.status, 0) << r.err;
    merge.push_back(part);
  }
  const Outcome m = run_symbreak(merge, capture);
  ASSERT_EQ(m.status, 0) << m.err;
  const std::string one = read_file(dir / "one.csv");
  EXPECT_EQ(csv_rows(dir / "one.csv").size(), 12u);
  EXPECT_TRUE(read_file(dir / "merged.csv") == one) << "the merged --params file differs";
}

TEST(ParamsOutput, ResumeRefusesAnotherKAndLeavesTheFileAlone) {
  const TempDir capture;
  const TempDir dir;
  ASSERT_EQ(run_symbreak(shard_sweep(dir / "p.csv"), capture).status, 0);
  const std::string before = read_file(dir / "p.csv");
  std::vector<std::string> args = shard_sweep(dir / "p.csv");
  args.back() = "3";
  args.push_back("--resume");
  const Outcome r = run_symbreak(args, capture);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(split_lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("params_replicates"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir / "p.csv"), before);
}

// 3 activations x 3 inits x 12 learning rates, 20 networks each, 200,000 epochs: several chunks,
// about 5 s in all on a 2-core machine, so that SIGINT lands inside the sweep (with 4000 epochs the
// cpu engine finished in 0.2 s, before the signal, and the test skipped itself).
std::vector<std::string> long_sweep(const TempDir& dir) {
  return {"sweep",
          "--quiet",
          "--task",
          "xor",
          "--activation",
          "tanh,sigmoid,relu",
          "--init",
          "xavier-uniform,he-normal,normal:1",
          "--lr",
          "0.05..0.6:12",
          "--epochs",
          "200000",
          "--seeds",
          "20",
          "--engine",
          "cpu",
          "--out",
          dir / "out.csv",
          "--params",
          dir / "params.csv",
          "--params-replicates",
          "3"};
}

TEST(ParamsOutput, AnInterruptedSweepResumedWritesTheUninterruptedFile) {
  const TempDir capture;
  const TempDir whole;
  const Outcome full = run_symbreak(long_sweep(whole), capture, false);
  ASSERT_EQ(full.status, 0) << full.err;
  const std::string want = read_file(whole / "params.csv");
  EXPECT_EQ(csv_rows(whole / "params.csv").size(), 108u * 3);

  const TempDir dir;
  const Running r = start_symbreak(long_sweep(dir), capture);
  // Once the first chunk's rows are in the file (more than the header), a later chunk is training.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool written = false;
  while (!written && std::chrono::steady_clock::now() < deadline) {
    std::error_code error;
    written = fs::exists(dir / "params.csv.meta.json", error) &&
              fs::file_size(dir / "params.csv", error) > 4096 && !error;
    if (!written) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(r.pid, SIGINT);
  const Outcome stopped = wait_symbreak(r, std::chrono::seconds(300));
  ASSERT_TRUE(stopped.exited) << stopped.err;
  if (stopped.status == 0) GTEST_SKIP() << "the sweep ended before the signal (a fast machine)";
  EXPECT_EQ(stopped.status, 130) << stopped.err;
  const std::string partial = read_file(dir / "params.csv");
  EXPECT_LT(partial.size(), want.size());
  EXPECT_EQ(want.compare(0, partial.size(), partial), 0) << "the interrupted file is not a prefix";

  std::vector<std::string> again = long_sweep(dir);
  again.push_back("--resume");
  const Outcome resumed = run_symbreak(again, capture);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_TRUE(read_file(dir / "params.csv") == want) << "the resumed --params file differs";
}

}  // namespace
