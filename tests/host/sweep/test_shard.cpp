// Tests host/sweep/shard: `--shard i/N` parses only i/N with 0 <= i < N, and the N parts are
// contiguous runs of work items that cover every item once, are balanced by training work and
// split a configuration where the balance asks for it; work_between (sweep_runner), the progress
// line's measure of work.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "host/config/usage_error.hpp"
#include "host/sweep/shard.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "host/sweep/sweep_runner.hpp"

namespace symbreak {
namespace {

TEST(Shard, ParsesIOverN) {
  const Shard s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(s.text(), "2/5");
  for (const char* bad : {"5/5", "1", "-1/2", "0/0", "a/b", "1/2/3", "", "/", "0/1000001"}) {
    EXPECT_THROW(parse_shard(bad), UsageError) << bad;
  }
}

// Widths 2 ... 64 make configurations of very different work.
SweepPlan uneven_plan() {
  SweepGrid grid = demo_grid();
  grid.widths = {2, 64, 4, 32, 8, 16};
  grid.lrs = {0.1, 0.5, 1.0};
  RunSettings run;
  run.seeds = 10;
  run.epochs = 100;
  return make_plan(grid, run);
}

TEST(Shard, PartsAreContiguousCompleteAndBalancedByWork) {
  const SweepPlan plan = uneven_plan();
  const std::int64_t items = plan.item_count();
  const auto configs = static_cast<std::int64_t>(plan.configs.size());
  const double total = work_between(plan, 0, items);
  double largest = 0.0;
  for (const Config& c : plan.configs)
    largest = std::max(largest, config_work(plan, c));
  for (const std::int64_t n :
       std::vector<std::int64_t>{1, 2, 3, 7, 16, configs, configs + 5, items, items + 3}) {
    SCOPED_TRACE("N = " + std::to_string(n));
    std::int64_t next = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const ItemRange r = shard_items(plan, Shard{i, n});
      EXPECT_EQ(r.first, next) << "shard " << i << " starts where " << i - 1 << " ended";
      EXPECT_LE(r.first, r.end);
      // A part exceeds its share by less than one network's work, and falls short of it by less
      // than one network's work too: items, not configurations, are the unit.
      const double work = work_between(plan, r.first, r.end);
      EXPECT_LT(work, total / static_cast<double>(n) + largest + 1.0) << "shard " << i;
      EXPECT_GT(work, total / static_cast<double>(n) - largest - 1.0) << "shard " << i;
      next = r.end;
    }
    EXPECT_EQ(next, items) << "every item is in a shard";
  }
}

// One configuration of 10^6 replicates splits into N parts of equal size (give or take one); 16
// shards of 3 configurations leave none empty; a part of more than one configuration splits at
// most its first and its last.
TEST(Shard, SplitsConfigurationsBetweenShards) {
  SweepGrid grid = demo_grid();
  grid.widths = {4};
  grid.activations = {Activation::tanh};
  grid.inits = {grid.inits.front()};
  RunSettings run;
  run.seeds = 1000000;
  const SweepPlan one = make_plan(grid, run);
  ASSERT_EQ(one.configs.size(), 1u);
  for (std::int64_t i = 0; i < 7; ++i) {
    const ItemRange r = shard_items(one, Shard{i, 7});
    EXPECT_NEAR(static_cast<double>(r.end - r.first), 1e6 / 7.0, 1.0) << i;
    EXPECT_EQ(configs_of(one, r).first, 0);
    EXPECT_EQ(configs_of(one, r).end, 1);
    EXPECT_TRUE(split_in(one, r, 0));
  }
  EXPECT_FALSE(split_in(one, shard_items(one, Shard{0, 1}), 0));

  grid.widths = {2, 4, 8};
  run.seeds = 30;
  const SweepPlan three = make_plan(grid, run);
  ASSERT_EQ(three.configs.size(), 3u);
  for (std::int64_t i = 0; i < 16; ++i) {
    const ItemRange r = shard_items(three, Shard{i, 16});
    EXPECT_LT(r.first, r.end) << "shard " << i << " is not empty";
    const ConfigRange c = configs_of(three, r);
    for (std::int64_t k = c.first + 1; k + 1 < c.end; ++k)
      EXPECT_FALSE(split_in(three, r, k)) << "only the first and last may be split";
  }
  const SweepPlan uneven = uneven_plan();
  for (std::int64_t i = 0; i < 7; ++i) {
    const ItemRange r = shard_items(uneven, Shard{i, 7});
    const ConfigRange c = configs_of(uneven, r);
    for (std::int64_t k = c.first + 1; k + 1 < c.end; ++k)
      EXPECT_FALSE(split_in(uneven, r, k));
  }
}

// The progress line's time left is measured in this work, not in networks: any split of the
// items adds up to the whole, and a configuration's share is its replicates times its network's
// work (width 64 costs about 28 times width 2 here).
TEST(WorkBetween, SplitsAddUpAndWeighEachConfigurationByItsWork) {
  const SweepPlan plan = uneven_plan();
  const std::int64_t seeds = plan.run.seeds, items = plan.item_count();
  const double whole = work_between(plan, 0, items);
  double by_config = 0.0;
  for (const Config& c : plan.configs)
    by_config += static_cast<double>(seeds) * config_work(plan, c);
  EXPECT_DOUBLE_EQ(whole, by_config);
  for (const std::int64_t cut : {std::int64_t{1}, seeds - 1, seeds, seeds + 3, items - 1})
    EXPECT_DOUBLE_EQ(work_between(plan, 0, cut) + work_between(plan, cut, items), whole) << cut;
  EXPECT_DOUBLE_EQ(work_between(plan, 3, 7), 4.0 * config_work(plan, plan.configs[0]));
  EXPECT_EQ(work_between(plan, 5, 5), 0.0);
  const auto work_at_width = [&](int width) {
    const auto c = std::find_if(plan.configs.begin(), plan.configs.end(),
                                [&](const Config& x) { return x.width == width; });
    return config_work(plan, *c);
  };
  EXPECT_GT(work_at_width(64), 20.0 * work_at_width(2));
}

}  // namespace
}  // namespace symbreak
