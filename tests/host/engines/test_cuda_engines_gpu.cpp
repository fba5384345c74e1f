// Tests host/cuda_engine (the `cuda` and `cublas` engines) on a GPU, as docs/method.md §9 demands:
// both agree with cpu-ref on the demonstration grid and on the random grid of test_cpu_engine;
// `cuda` gives exactly the cpu engine's D_l on deterministic symmetric initialisations, and in
// fact the cpu engine's bits on every network (verify --exact); a sweep
// larger than one chunk, and networks in a large chunk, give the results they give alone; tracing
// works. Without a CUDA device every test skips with the reason query_cuda_devices() gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../random_config_grid.hpp"
#include "host/engines/cpu_engine.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/engines/cuda_devices.hpp"
#include "host/engines/cuda_engine.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "host/sweep/sweep_runner.hpp"
#include "host/verify/exact_comparison.hpp"
#include "host/verify/verification.hpp"
#include "kernels/metrics.cuh"

namespace symbreak {
namespace {

constexpr int kThreads = 0;  // every core for the CPU engines

// Empty when a CUDA device can run the engines.
std::string why_no_device() {
  const CudaStatus status = query_cuda_devices();
  return status.devices.empty() ? status.why_none : std::string();
}

#define SKIP_WITHOUT_CUDA_DEVICE()                                                  \
  do {                                                                              \
    const std::string why = why_no_device();                                        \
    if (!why.empty()) GTEST_SKIP() << "no CUDA device to run the engines: " << why; \
  } while (0)

std::vector<NetworkResult> train(Engine& engine, const SweepPlan& plan,
                                 const std::vector<WorkItem>& items) {
  std::vector<NetworkResult> out(items.size());
  engine.train(plan, items, out);
  return out;
}

std::vector<NetworkResult> train_reference(const SweepPlan& plan,
                                           const std::vector<WorkItem>& items) {
  CpuReferenceEngine engine(kThreads);
  return train(engine, plan, items);
}

std::unique_ptr<Engine> gpu_engine(const std::string& name) {
  return name == "cuda" ? make_cuda_engine(kThreads) : make_cublas_engine(kThreads);
}

void expect_agreement(const std::string& engine_name, const SweepPlan& plan,
                      const std::vector<NetworkResult>& reference) {
  SCOPED_TRACE(engine_name);
  const std::vector<WorkItem> items = every_item(plan);
  const std::unique_ptr<Engine> engine = gpu_engine(engine_name);
  const std::vector<NetworkResult> results = train(*engine, plan, items);
  const VerificationReport report = compare_with_reference(plan, items, results, reference);
  const Agreement& o = report.overall;
  ::testing::Test::RecordProperty(engine_name + "_networks", static_cast<int>(o.n));
  ::testing::Test::RecordProperty(engine_name + "_exact_required",
                                  static_cast<int>(o.exact_required));
  ::testing::Test::RecordProperty(engine_name + "_lowest_verdict_agreement",
                                  std::to_string(o.lowest_verdict_agreement()));
  ::testing::Test::RecordProperty(engine_name + "_largest_rate_difference",
                                  std::to_string(o.largest_rate_difference()));
  EXPECT_TRUE(report.passed()) << format_verification(plan, report, engine_name, plan.run.seeds);
  EXPECT_EQ(o.exact_mismatches, 0);
}

bool bit_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_same_result(const NetworkResult& a, const NetworkResult& b) {
  EXPECT_TRUE(bit_equal(a.final_loss, b.final_loss)) << a.final_loss << " vs " << b.final_loss;
  EXPECT_TRUE(bit_equal(a.accuracy, b.accuracy));
  EXPECT_EQ(a.epoch_solved, b.epoch_solved);
  EXPECT_EQ(a.distinct, b.distinct);
  EXPECT_EQ(a.frozen, b.frozen);
  EXPECT_EQ(a.diverged, b.diverged);
}

TEST(CudaEngines, AgreeWithCpuRefOnTheDemoGrid) {
  SKIP_WITHOUT_CUDA_DEVICE();
  RunSettings run;
  run.seeds = 100;
  const SweepPlan plan = make_plan(demo_grid(), run);
  const std::vector<NetworkResult> reference = train_reference(plan, every_item(plan));
  expect_agreement("cuda", plan, reference);
  expect_agreement("cublas", plan, reference);
}

TEST(CudaEngines, AgreeWithCpuRefOnTheRandomGrid) {
  SKIP_WITHOUT_CUDA_DEVICE();
  // test_cpu_engine's grid with twice the replicates: the GPU has the time.
  const SweepPlan plan = random_config_plan(220, 7, 10, 120);
  const std::vector<NetworkResult> reference = train_reference(plan, every_item(plan));
  expect_agreement("cuda", plan, reference);
  expect_agreement("cublas", plan, reference);
}

TEST(CudaEngines, AgreeWithCpuRefOnPerLayerWidths) {
  SKIP_WITHOUT_CUDA_DEVICE();
  const SweepPlan plan = listed_width_plan(120, 13, 10, 120);
  const std::vector<NetworkResult> reference = train_reference(plan, every_item(plan));
  expect_agreement("cuda", plan, reference);
  expect_agreement("cublas", plan, reference);
}

// Hidden layers of their own sizes on every kernel kind: the GPU's bits are the cpu engine's.
TEST(CudaEngines, CudaComputesTheCpuEnginesBitsOnPerLayerWidths) {
  SKIP_WITHOUT_CUDA_DEVICE();
  const SweepPlan plan = listed_width_plan(120, 13, 10, 120);
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan, items);
  const std::vector<NetworkResult> gpu = train(*gpu_engine("cuda"), plan, items);
  const ExactReport report = compare_exactly(gpu, cpu);
  EXPECT_TRUE(report.passed()) << format_exact_comparison(plan, items, report, "cuda");
}

// docs/method.md §13: the cuda engine runs the cpu engine's code with the same float arithmetic,
// so every network ends with the same bits (parameters through their fingerprint, loss, verdicts).
TEST(CudaEngines, CudaComputesTheCpuEnginesBitsOnEveryKernelKind) {
  SKIP_WITHOUT_CUDA_DEVICE();
  const SweepPlan plan = random_config_plan(220, 7, 10, 120);
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan, items);
  const std::vector<NetworkResult> gpu = train(*gpu_engine("cuda"), plan, items);
  const ExactReport report = compare_exactly(gpu, cpu);
  EXPECT_TRUE(report.passed()) << format_exact_comparison(plan, items, report, "cuda");
}

// Neither engine may break a symmetry exact arithmetic keeps: on deterministic symmetric
// initialisations the GPU's D_l is the cpu engine's (and cpu-ref's), network by network.
TEST(CudaEngines, SymmetricInitialisationsGiveExactlyTheCpuEnginesDl) {
  SKIP_WITHOUT_CUDA_DEVICE();
  SweepPlan plan = random_config_plan(400, 11, 4, 150);
  keep_symmetric_configs(plan);
  ASSERT_FALSE(plan.configs.empty());
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan, items);
  for (const char* name : {"cuda", "cublas"}) {
    const std::vector<NetworkResult> gpu = train(*gpu_engine(name), plan, items);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Config& c = plan.configs[items[i].config];
      ASSERT_FALSE(cpu[i].diverged);
      ASSERT_FALSE(gpu[i].diverged) << name << " network " << i;
      EXPECT_EQ(gpu[i].distinct, cpu[i].distinct)
          << name << " network " << i << " (" << c.init.text << " / " << c.bias.text << ", depth "
          << c.depth << ", width " << c.width << ")";
    }
  }
}

// 300,000 networks: more than the cuda engine's chunk (2^18 items), so the sweep runs in two
// chunks, and each chunk launches thousands of blocks per kernel. Every network's result must be
// what it is when trained alone in a small chunk: training is per network and deterministic.
TEST(CudaEngines, LargeChunksGiveEveryNetworkItsOwnResult) {
  SKIP_WITHOUT_CUDA_DEVICE();
  SweepGrid grid = demo_grid();
  grid.depths = {1, 2, 3};  // per-thread, per-warp (width 17) and layered kernels
  grid.widths = {4, 17};
  grid.activations = {Activation::tanh};
  grid.inits = {parse_init_choice("xavier-uniform"), parse_init_choice("symmetric:normal:1")};
  RunSettings run;
  run.epochs = 50;
  run.seeds = 25000;
  const SweepPlan plan = make_plan(grid, run);
  ASSERT_GT(plan.item_count(), 1 << 18);
  const std::unique_ptr<Engine> engine = make_cuda_engine(kThreads);
  class Keep final : public SweepObserver {
   public:
    explicit Keep(const SweepPlan& p) : plan_(p) {}
    void network_done(std::int64_t item, const NetworkResult& r) override {
      if (plan_.item(item).replicate % 997 == 0 || plan_.item(item).replicate == 24999)
        kept[item] = r;
    }
    std::map<std::int64_t, NetworkResult> kept;

   private:
    const SweepPlan& plan_;
  } keep(plan);
  RunnerOptions options;
  options.progress = false;
  run_sweep(plan, *engine, keep, options);
  ASSERT_FALSE(keep.kept.empty());
  std::vector<WorkItem> items;
  for (const auto& [item, r] : keep.kept)
    items.push_back(plan.item(item));
  const std::vector<NetworkResult> alone = train(*engine, plan, items);
  std::size_t k = 0;
  for (const auto& [item, r] : keep.kept) {
    SCOPED_TRACE("item " + std::to_string(item));
    expect_same_result(r, alone[k++]);
  }
}

TEST(CudaEngines, TracingGivesTheTracedEpochsAndDoesNotChangeResults) {
  SKIP_WITHOUT_CUDA_DEVICE();
  SweepPlan traced = random_config_plan(36, 3, 4, 37);
  traced.run.trace_every = 10;
  SweepPlan untraced = traced;
  untraced.run.trace_every = 0;
  const std::vector<WorkItem> items = every_item(traced);
  for (const char* name : {"cuda", "cublas"}) {
    SCOPED_TRACE(name);
    const std::vector<NetworkResult> a = train(*gpu_engine(name), traced, items);
    const std::vector<NetworkResult> b = train(*gpu_engine(name), untraced, items);
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::vector<int> epochs;
      for (const TracePoint& p : a[i].trace)
        epochs.push_back(p.epoch);
      EXPECT_EQ(epochs, (std::vector<int>{0, 10, 20, 30, 37})) << "network " << i;
      // cuBLAS may pick other algorithms for other launches; the custom kernels may not.
      if (std::string(name) == "cuda") {
        SCOPED_TRACE("network " + std::to_string(i));
        expect_same_result(a[i], b[i]);
      }
      ASSERT_FALSE(a[i].trace.empty());
      EXPECT_TRUE(bit_equal(a[i].trace.back().loss, a[i].final_loss));
    }
  }
}

// --params (docs/method.md §8.4): the GPU engines hand back the final parameters of the first K
// replicates only, copied from the device network by network: each network's own (their
// fingerprint is the one the device measured), and for cuda the cpu engine's bits (same code,
// same arithmetic). Every kernel kind.
TEST(CudaEngines, KeepTheFinalParametersOfTheFirstKReplicates) {
  SKIP_WITHOUT_CUDA_DEVICE();
  SweepPlan plan = random_config_plan(60, 5, 6, 80);
  plan.run.params_replicates = 2;
  const std::vector<WorkItem> items = every_item(plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan, items);
  for (const char* name : {"cuda", "cublas"}) {
    SCOPED_TRACE(name);
    const std::vector<NetworkResult> gpu = train(*gpu_engine(name), plan, items);
    int kept = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      SCOPED_TRACE("network " + std::to_string(i));
      ASSERT_EQ(gpu[i].parameters.size(), cpu[i].parameters.size());
      if (items[i].replicate >= 2) {
        EXPECT_TRUE(gpu[i].parameters.empty());
        continue;
      }
      ++kept;
      EXPECT_TRUE(gpu[i].parameters_are_float);
      const std::vector<float> floats(gpu[i].parameters.begin(), gpu[i].parameters.end());
      EXPECT_EQ(fingerprint_of(floats.data(), static_cast<long long>(floats.size())),
                gpu[i].fingerprint);
      if (std::string(name) == "cuda") {
        for (std::size_t k = 0; k < cpu[i].parameters.size(); ++k)
          EXPECT_TRUE(bit_equal(gpu[i].parameters[k], cpu[i].parameters[k])) << "parameter " << k;
      }
    }
    EXPECT_EQ(kept, 2 * static_cast<int>(plan.configs.size()));
  }
}

}  // namespace
}  // namespace symbreak
