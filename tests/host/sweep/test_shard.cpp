// Tests host/sweep/shard: `--shard i/N` parses only i/N with 0 <= i < N, and the N parts are
// contiguous, cover every configuration once, and are balanced by training work; work_between
// (sweep_runner), the progress line's measure of work.
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
  const auto configs = static_cast<std::int64_t>(plan.configs.size());
  double total = 0.0, largest = 0.0;
  for (const Config& c : plan.configs) {
    total += config_work(plan, c);
    largest = std::max(largest, config_work(plan, c));
  }
  for (const std::int64_t n : std::vector<std::int64_t>{1, 2, 3, 7, 16, configs, configs + 5}) {
    SCOPED_TRACE("N = " + std::to_string(n));
    std::int64_t next = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const ConfigRange r = shard_configs(plan, Shard{i, n});
      EXPECT_EQ(r.first, next) << "shard " << i << " starts where " << i - 1 << " ended";
      EXPECT_LE(r.first, r.end);
      double work = 0.0;
      for (std::int64_t c = r.first; c < r.end; ++c)
        work += config_work(plan, plan.configs[c]);
      // A part exceeds its share by less than one configuration's work.
      EXPECT_LT(work, total / static_cast<double>(n) + largest + 1.0) << "shard " << i;
      next = r.end;
    }
    EXPECT_EQ(next, configs) << "every configuration is in a shard";
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
