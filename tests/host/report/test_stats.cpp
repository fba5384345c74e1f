// Tests host/stats: Wilson intervals against published values, medians, and the aggregation
// rules of docs/method.md §7 (diverged networks left out of eff_width and loss statistics).
#include "host/report/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace symbreak {
namespace {

// One hidden layer of 4 neurons.
const NetworkShape kWidth4{2, 4, 1};

// Values from the closed form (Wilson 1927), as tabulated e.g. by Newcombe (1998), to 4 decimals.
TEST(WilsonInterval, MatchesKnownValues) {
  struct Case {
    std::int64_t k, n;
    double lo, hi;
  };
  for (const Case& c :
       {Case{5, 10, 0.2366, 0.7634}, Case{0, 10, 0.0, 0.2775}, Case{10, 10, 0.7225, 1.0},
        Case{81, 263, 0.2553, 0.3662}, Case{0, 300, 0.0, 0.0126}}) {
    const Interval ci = wilson_interval(c.k, c.n);
    EXPECT_NEAR(ci.lo, c.lo, 5e-5) << c.k << "/" << c.n;
    EXPECT_NEAR(ci.hi, c.hi, 5e-5) << c.k << "/" << c.n;
  }
}

TEST(WilsonInterval, StaysInsideUnitIntervalAndContainsRate) {
  for (std::int64_t n : {1, 2, 7, 65, 1000}) {
    for (std::int64_t k = 0; k <= n; k += (n > 100 ? 37 : 1)) {
      const Interval ci = wilson_interval(k, n);
      const double p = static_cast<double>(k) / n;
      EXPECT_GE(ci.lo, 0.0);
      EXPECT_LE(ci.hi, 1.0);
      EXPECT_LE(ci.lo, p + 1e-15);
      EXPECT_GE(ci.hi, p - 1e-15);
    }
  }
}

TEST(Median, OddEvenAndEmpty) {
  EXPECT_FALSE(median({}).has_value());
  EXPECT_DOUBLE_EQ(*median({3.0, 1.0, 2.0}), 2.0);
  EXPECT_DOUBLE_EQ(*median({4.0, 1.0, 3.0, 2.0}), 2.5);
}

NetworkResult network(bool solved, int epoch, double loss, std::vector<int> distinct,
                      bool diverged) {
  NetworkResult r;
  r.solved = solved;
  r.epoch_solved = epoch;
  r.final_loss = loss;
  r.distinct = std::move(distinct);
  r.diverged = diverged;
  set_symmetry_verdicts(r, kWidth4);
  return r;
}

TEST(ConfigAccumulator, LeavesDivergedOutOfWidthAndLoss) {
  ConfigAccumulator acc;
  acc.add(network(true, 10, 0.1, {4}, false), kWidth4);
  acc.add(network(true, 30, 0.3, {1}, false), kWidth4);
  acc.add(network(false, -1, std::nan(""), {4}, true), kWidth4);
  const ConfigSummary s = acc.summary();
  EXPECT_EQ(s.n, 3);
  EXPECT_DOUBLE_EQ(s.solved.rate, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.broken.rate, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.collapsed.rate, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.diverged.rate, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*s.eff_width, (1.0 + 0.25) / 2.0);
  EXPECT_DOUBLE_EQ(*s.median_epoch_solved, 20.0);
  EXPECT_DOUBLE_EQ(*s.mean_final_loss, 0.2);
}

// Diverged networks carry NaN or infinite losses and whatever D_l their parameters gave: none of
// it may reach eff_width, the loss statistics or the trace means.
TEST(ConfigAccumulator, NoNaNReachesTheAggregatesOfAMixedConfiguration) {
  ConfigAccumulator acc;
  const double inf = std::numeric_limits<double>::infinity();
  for (const double bad : {std::nan(""), inf, -inf}) {
    NetworkResult r = network(false, -1, bad, {4}, true);
    r.trace = {TracePoint{0, 0.5, false, 1.0, true, false, false},
               TracePoint{10, bad, false, 1.0, false, false, true}};
    acc.add(r, kWidth4);
  }
  NetworkResult healthy = network(false, -1, 0.25, {2}, false);
  healthy.trace = {TracePoint{0, 0.75, false, 0.5, false, false, false},
                   TracePoint{10, 0.25, false, 0.5, false, false, false}};
  acc.add(healthy, kWidth4);
  const ConfigSummary s = acc.summary();
  EXPECT_DOUBLE_EQ(s.diverged.rate, 0.75);
  EXPECT_DOUBLE_EQ(*s.eff_width, 0.5);
  EXPECT_DOUBLE_EQ(*s.mean_final_loss, 0.25);
  EXPECT_DOUBLE_EQ(*s.median_final_loss, 0.25);
  const std::vector<TraceRow> rows = acc.trace_rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_DOUBLE_EQ(*rows[0].mean_loss, (3 * 0.5 + 0.75) / 4);
  EXPECT_DOUBLE_EQ(*rows[1].mean_loss, 0.25);
  EXPECT_DOUBLE_EQ(*rows[1].mean_distinct_fraction, 0.5);
}

TEST(ConfigAccumulator, EveryNetworkDivergedLeavesTheMeansEmpty) {
  ConfigAccumulator acc;
  acc.add(network(false, -1, std::nan(""), {4}, true), kWidth4);
  acc.add(network(false, -1, std::numeric_limits<double>::infinity(), {1}, true), kWidth4);
  const ConfigSummary s = acc.summary();
  EXPECT_DOUBLE_EQ(s.diverged.rate, 1.0);
  EXPECT_DOUBLE_EQ(s.broken.rate, 0.0);
  EXPECT_DOUBLE_EQ(s.collapsed.rate, 0.0);
  EXPECT_FALSE(s.eff_width.has_value());
  EXPECT_FALSE(s.mean_final_loss.has_value());
  EXPECT_FALSE(s.median_final_loss.has_value());
}

// cpu-ref's loss of a network with a huge logit can be finite and near double's maximum; the mean
// of several such losses is finite although their sum is not.
TEST(ConfigAccumulator, MeanLossOfHugeFiniteLossesDoesNotOverflow) {
  ConfigAccumulator acc;
  const double huge = 1e308;
  for (int i = 0; i < 3; ++i) {
    NetworkResult r = network(false, -1, huge, {1}, false);
    r.trace = {TracePoint{0, huge, false, 0.25, false, true, false}};
    acc.add(r, kWidth4);
  }
  const ConfigSummary s = acc.summary();
  ASSERT_TRUE(s.mean_final_loss.has_value());
  EXPECT_TRUE(std::isfinite(*s.mean_final_loss));
  EXPECT_NEAR(*s.mean_final_loss, huge, huge * 1e-15);
  EXPECT_NEAR(*acc.trace_rows()[0].mean_loss, huge, huge * 1e-15);
}

TEST(ConfigAccumulator, NoSolvedNetworkMeansNoMedianEpoch) {
  ConfigAccumulator acc;
  acc.add(network(false, -1, 0.7, {1}, false), kWidth4);
  EXPECT_FALSE(acc.summary().median_epoch_solved.has_value());
}

// With listed widths (10x5) each layer's D_l is read against its own H_l (docs/method.md §6):
// D = (5, 5) breaks the 5-neuron layer but not the 10-neuron one; eff_width is (5/10 + 5/5) / 2.
TEST(ConfigAccumulator, ReadsEachLayerAgainstItsOwnWidth) {
  const int sizes[] = {10, 5};
  const NetworkShape shape = shape_with_widths(2, sizes, 2);
  NetworkResult half;
  half.distinct = {5, 5};
  set_symmetry_verdicts(half, shape);
  EXPECT_FALSE(half.broken);
  EXPECT_FALSE(half.collapsed);
  NetworkResult all;
  all.distinct = {10, 5};
  set_symmetry_verdicts(all, shape);
  EXPECT_TRUE(all.broken);
  NetworkResult single;
  single.distinct = {10, 1};
  set_symmetry_verdicts(single, shape);
  EXPECT_TRUE(single.collapsed);
  EXPECT_FALSE(single.broken);
  ConfigAccumulator acc;
  acc.add(half, shape);
  const ConfigSummary s = acc.summary();
  EXPECT_DOUBLE_EQ(*s.eff_width, (0.5 + 1.0) / 2.0);
}

}  // namespace
}  // namespace symbreak
