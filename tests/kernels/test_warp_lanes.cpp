// Tests kernels/warp_lanes.cuh's HostWarp, the host stand-in for the GPU's warp shuffles: its sum
// is bit for bit the xor butterfly of __shfl_xor_sync (written out again here, lane by lane), in
// which every lane ends with the same value, within the pairwise-summation bound of the exact sum;
// broadcast reads the source lane; awkward numbers of live lanes (the rest zero) change nothing.
#include "kernels/warp_lanes.cuh"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace symbreak {
namespace {

using Lanes = float[kWarpSize];

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// What 32 GPU threads compute with t += __shfl_xor_sync(all, t, o) for o = 16, 8, 4, 2, 1: lane l
// reads lane l ^ o's value of the previous step. Returns every lane's final value.
std::array<float, kWarpSize> shuffle_butterfly(const Lanes& v) {
  std::array<float, kWarpSize> t;
  for (int l = 0; l < kWarpSize; ++l)
    t[l] = v[l];
  for (const int o : {16, 8, 4, 2, 1}) {
    const std::array<float, kWarpSize> before = t;
    for (int l = 0; l < kWarpSize; ++l)
      t[l] = before[l] + before[l ^ o];
  }
  return t;
}

// The sum in long double, and Σ|v|, for the rounding bound.
struct Exact {
  long double sum = 0.0L, magnitude = 0.0L;
};

Exact exact_sum(const Lanes& v) {
  Exact e;
  for (int l = 0; l < kWarpSize; ++l) {
    e.sum += v[l];
    e.magnitude += std::fabs(static_cast<long double>(v[l]));
  }
  return e;
}

// The tree has depth log2(32) = 5, so each term passes through at most 5 roundings: the error is
// at most 5u·Σ|v| to first order, u = 2^-24 (Higham, Accuracy and Stability, §4.2).
void expect_sum_matches(const Lanes& v, const std::string& what) {
  SCOPED_TRACE(what);
  const float sum = HostWarp::sum(v);
  const std::array<float, kWarpSize> lanes = shuffle_butterfly(v);
  for (int l = 0; l < kWarpSize; ++l) {
    EXPECT_TRUE(same_bits(lanes[l], lanes[0])) << "lane " << l << " ends with another value";
  }
  EXPECT_TRUE(same_bits(sum, lanes[0])) << sum << " vs " << lanes[0];
  const Exact e = exact_sum(v);
  const long double u = std::numeric_limits<float>::epsilon() / 2.0L;
  EXPECT_LE(std::fabs(static_cast<long double>(sum) - e.sum), 5.0L * u * e.magnitude * 1.0001L)
      << "plain sum " << static_cast<double>(e.sum);
}

TEST(HostWarpSum, IsTheShuffleButterflyBitForBitOnRandomValues) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-20, 20);
  for (int trial = 0; trial < 2000; ++trial) {
    Lanes v;
    for (float& x : v) {
      // Mixed magnitudes make the order of the additions matter.
      x = trial % 2 == 0 ? u(rng) : std::ldexp(u(rng), exponent(rng));
    }
    expect_sum_matches(v, "trial " + std::to_string(trial));
    if (HasFailure()) return;
  }
}

TEST(HostWarpSum, OrderMattersSoTheButterflyIsNotAPlainLoop) {
  // 1 and 31 times t = 2^-24, half the spacing of floats above 1. A left-to-right loop rounds
  // 1 + t to even, 1, every time and loses all of them. The butterfly's first step pairs lane 0
  // with lane 16 (1 + t -> 1, one t lost) and every other lane with another t (2t, exact); the
  // remaining sums are exact multiples of 2t: 1 + 30t.
  const float t = std::ldexp(1.0f, -24);
  Lanes v;
  v[0] = 1.0f;
  for (int l = 1; l < kWarpSize; ++l)
    v[l] = t;
  float loop = 0.0f;
  for (const float x : v)
    loop += x;
  EXPECT_EQ(loop, 1.0f);
  EXPECT_EQ(HostWarp::sum(v), 1.0f + 30.0f * t);
  expect_sum_matches(v, "one large value and 31 tiny ones");
}

// The per-warp kernel zeroes the lanes beyond the network's width; a sum over 1, 7, 31 or 32 live
// lanes must still be the butterfly's, and a single live lane must come back exactly.
TEST(HostWarpSum, AwkwardNumbersOfLiveLanes) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-3.0f, 3.0f);
  for (const int live : {1, 2, 7, 16, 17, 31, 32}) {
    for (int trial = 0; trial < 50; ++trial) {
      Lanes v = {};
      for (int l = 0; l < live; ++l)
        v[l] = u(rng);
      expect_sum_matches(v, std::to_string(live) + " live lanes");
      if (live == 1) {
        EXPECT_TRUE(same_bits(HostWarp::sum(v), v[0]));
      }
    }
  }
  const Lanes zeros = {};
  EXPECT_TRUE(same_bits(HostWarp::sum(zeros), 0.0f));
}

// Identical values in the live lanes, as symmetric neurons give: the sum of k copies of x is the
// same whichever k lanes are live and however the rest is laid out, as long as the lanes agree.
TEST(HostWarpSum, EqualLanesGiveTheSameSumForEveryValue) {
  for (const float x : {0.1f, -1.7f, 3.3e-5f}) {
    Lanes v;
    for (float& y : v)
      y = x;
    expect_sum_matches(v, "32 equal lanes");
    EXPECT_TRUE(same_bits(HostWarp::sum(v), 32.0f * x)) << "x = " << x;  // exact: powers of 2
  }
}

TEST(HostWarpBroadcast, ReturnsTheSourceLane) {
  Lanes v;
  for (int l = 0; l < kWarpSize; ++l)
    v[l] = 0.5f * static_cast<float>(l) - 3.0f;
  v[5] = -0.0f;
  v[6] = std::numeric_limits<float>::quiet_NaN();
  for (int source = 0; source < kWarpSize; ++source) {
    EXPECT_TRUE(same_bits(HostWarp::broadcast(v, source), v[source])) << "lane " << source;
  }
}

TEST(HostWarpLane, NumbersLanesZeroTo31) {
  EXPECT_EQ(HostWarp::kLanes, kWarpSize);
  for (int l = 0; l < kWarpSize; ++l)
    EXPECT_EQ(HostWarp::lane(l), l);
}

}  // namespace
}  // namespace symbreak
