// Tests host/sweep/memory_budget's estimate for --params: the kept networks' final parameters
// (doubles, and their CSV text) are counted, at most K per configuration of a chunk.
#include "host/sweep/memory_budget.hpp"

#include <gtest/gtest.h>

#include "host/sweep/sweep_grid.hpp"

namespace symbreak {
namespace {

SweepPlan wide_plan(std::uint32_t kept) {
  SweepGrid g = demo_grid();
  g.widths = {1000};
  g.depths = {3};
  g.activations = {Activation::tanh};
  g.inits = {parse_init_choice("he-normal"), parse_init_choice("zeros")};
  RunSettings run;
  run.seeds = 100;
  run.epochs = 1;
  run.params_replicates = kept;
  return make_plan(g, run);
}

TEST(MemoryBudget, CountsTheKeptParametersOfAChunk) {
  const double params = static_cast<double>(
      wide_plan(0).shape_of(wide_plan(0).configs[0]).parameter_count());  // about 2 million
  const double none = estimate_sweep_memory(wide_plan(0), 1, 200).bytes;
  // 200 items of 100 seeds touch at most 3 configurations: 3 x 5 kept networks.
  const double five = estimate_sweep_memory(wide_plan(5), 1, 200).bytes;
  EXPECT_NEAR(five - none, 15 * 40.0 * params, 1.0);
  // K beyond the seeds keeps every network of the chunk, and no more.
  const double all = estimate_sweep_memory(wide_plan(1000), 1, 200).bytes;
  EXPECT_NEAR(all - none, 200 * 40.0 * params, 1.0);
}

}  // namespace
}  // namespace symbreak
