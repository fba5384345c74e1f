// The theory of docs/method.md §4.1 on the cpu engine (float_breakers_theory.hpp): Adam, RMSprop
// and weight decay keep symmetric starts collapsed, dropout breaks them where a gradient reaches
// the neurons and leaves zeros with tanh or relu frozen, gradient noise breaks every symmetric
// start.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "../random_config_grid.hpp"
#include "float_breakers_theory.hpp"
#include "host/engines/cpu_engine.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/verify/verification.hpp"

namespace symbreak {
namespace {

TEST(BreakerTheoryCpu, AdamRmspropAndWeightDecayKeepSymmetricStartsCollapsed) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(2);
  expect_per_parameter_breakers_keep_symmetry(*engine);
}

TEST(BreakerTheoryCpu, DropoutBreaksSymmetryWhereAGradientReachesTheNeurons) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(2);
  expect_dropout_breaks_where_gradient_reaches(*engine);
}

TEST(BreakerTheoryCpu, GradientNoiseBreaksEverySymmetricStart) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(2);
  expect_gradient_noise_breaks_every_symmetric_start(*engine);
}

// test_cpu_engine's random grid, two thirds of its configurations with Adam, RMSprop or SGD, weight
// decay, dropout and gradient noise drawn per configuration: D_l identical where exact arithmetic
// keeps the symmetry (requires_exact_distinct), verdicts agreeing on >= 99% of networks, every rate
// within 1 percentage point.
TEST(BreakerTheoryCpu, CpuEngineAgreesWithCpuRefAsSpec9Requires) {
  SweepPlan plan = random_config_plan(160, 7, 5, 100);
  add_random_breakers(plan, 5, /*with_noise=*/true);
  const std::vector<WorkItem> items = every_item(plan);
  std::vector<NetworkResult> cpu(items.size()), reference(items.size());
  make_cpu_engine(2)->train(plan, items, cpu);
  CpuReferenceEngine(2).train(plan, items, reference);
  const VerificationReport report = compare_with_reference(plan, items, cpu, reference);
  EXPECT_GT(report.overall.exact_required, 50);
  EXPECT_TRUE(report.passed()) << format_verification(plan, report, "cpu", plan.run.seeds);
}

}  // namespace
}  // namespace symbreak
