// The theory of docs/method.md §4.1 on the cuda and cublas engines (float_breakers_theory.hpp), and
// the cuda engine computing the cpu engine's bits with Adam, RMSprop, weight decay and dropout
// (the first three train with the fused kernels where a bucket fits, dropout with the layered
// kernels; both engines run the same code for each). Gradient
// noise is left out of the bitwise comparison: its Box-Muller transform runs in double on each
// device, and the GPU's double log and cos may differ from glibc's in the last bit, which moves a
// noise value's float rounding in rare cases (docs/method.md §13). Without a CUDA device every test
// skips with the reason query_cuda_devices() gives.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../random_config_grid.hpp"
#include "float_breakers_theory.hpp"
#include "host/engines/cpu_engine.hpp"
#include "host/engines/cuda_devices.hpp"
#include "host/engines/cuda_engine.hpp"
#include "host/verify/exact_comparison.hpp"

namespace symbreak {
namespace {

constexpr int kThreads = 0;

#define SKIP_WITHOUT_CUDA_DEVICE()                                              \
  do {                                                                          \
    const CudaStatus status = query_cuda_devices();                             \
    if (status.devices.empty()) {                                               \
      GTEST_SKIP() << "no CUDA device to run the engines: " << status.why_none; \
    }                                                                           \
  } while (0)

TEST(BreakerTheoryGpu, AdamRmspropAndWeightDecayKeepSymmetricStartsCollapsed) {
  SKIP_WITHOUT_CUDA_DEVICE();
  expect_per_parameter_breakers_keep_symmetry(*make_cuda_engine(kThreads));
  expect_per_parameter_breakers_keep_symmetry(*make_cublas_engine(kThreads));
}

TEST(BreakerTheoryGpu, DropoutBreaksSymmetryWhereAGradientReachesTheNeurons) {
  SKIP_WITHOUT_CUDA_DEVICE();
  expect_dropout_breaks_where_gradient_reaches(*make_cuda_engine(kThreads));
  expect_dropout_breaks_where_gradient_reaches(*make_cublas_engine(kThreads));
}

TEST(BreakerTheoryGpu, GradientNoiseBreaksEverySymmetricStart) {
  SKIP_WITHOUT_CUDA_DEVICE();
  expect_gradient_noise_breaks_every_symmetric_start(*make_cuda_engine(kThreads));
  expect_gradient_noise_breaks_every_symmetric_start(*make_cublas_engine(kThreads));
}

// test_cpu_engine's random grid with Adam, RMSprop, weight decay and dropout drawn per
// configuration: cuda ends every network with the cpu engine's bits.
TEST(BreakerTheoryGpu, CudaComputesTheCpuEnginesBitsWithOptimisersAndDropout) {
  SKIP_WITHOUT_CUDA_DEVICE();
  SweepPlan plan = random_config_plan(220, 7, 5, 80);
  add_random_breakers(plan, 5, /*with_noise=*/false);
  const std::vector<WorkItem> items = every_item(plan);
  std::vector<NetworkResult> cpu(items.size()), gpu(items.size());
  make_cpu_engine(kThreads)->train(plan, items, cpu);
  make_cuda_engine(kThreads)->train(plan, items, gpu);
  const ExactReport report = compare_exactly(gpu, cpu);
  EXPECT_TRUE(report.passed()) << format_exact_comparison(plan, items, report, "cuda");
}

}  // namespace
}  // namespace symbreak
