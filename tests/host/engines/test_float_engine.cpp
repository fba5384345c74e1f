// Tests host/float_engine's chunk layout: every network gets the measurement space it needs (its
// own depth and width), placed by prefix sums, never the chunk's deepest or widest network's. A
// chunk mixing width 4 and width 2000 once asked the GPU for networks x 2000 of scratch.
#include "host/engines/float_engine.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "host/sweep/sweep_grid.hpp"

namespace symbreak {
namespace {

TEST(FloatChunk, MeasurementSpaceIsSizedPerNetworkNotByTheWidestOne) {
  SweepGrid g = demo_grid();
  g.depths = {1, 3};
  g.widths = {4, 2000};
  g.activations = {Activation::tanh};
  g.inits.resize(1);
  RunSettings run;
  run.seeds = 5;
  run.epochs = 1;
  const SweepPlan plan = make_plan(g, run);
  std::vector<WorkItem> items;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);

  const FloatChunk chunk = make_float_chunk(plan, items, order, false);
  ASSERT_EQ(chunk.job_of.size(), items.size());
  std::int64_t depths = 0, widths = 0;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const NetworkShape& shape = chunk.jobs[chunk.job_of[k]].shape;
    EXPECT_EQ(chunk.depth_offset[k], depths) << "network " << k;
    EXPECT_EQ(chunk.width_offset[k], widths) << "network " << k;
    depths += shape.depth;
    widths += shape.width;
  }
  EXPECT_EQ(chunk.depth_total, depths);
  EXPECT_EQ(chunk.width_total, widths);
  // 4 configurations x 5 networks: widths 4 and 2000 (x2 depths) sum to 20,040, not 20 x 2000.
  EXPECT_EQ(chunk.width_total, 5 * (4 + 4 + 2000 + 2000));
  EXPECT_EQ(chunk.depth_total, 5 * (1 + 3 + 1 + 3));
}

}  // namespace
}  // namespace symbreak
