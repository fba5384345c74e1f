// Tests kernels/metrics.cuh (what the cpu engine and the metrics kernel run): D_l of float
// parameters equals host/reference_metrics' distinct_neurons on the same values as doubles on
// crafted cases (all tied, all distinct, transitive chains within the tolerance, pairs exactly at
// and just beyond the tolerance, NaN and infinity), frozen compares weights bit for bit (-0 is not
// +0, biases do not count), the finite flag sees every parameter, and the fingerprint counts every
// NaN as one value.
#include "kernels/metrics.cuh"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "host/engines/reference_metrics.hpp"

namespace symbreak {
namespace {

struct Measured {
  NetworkMetrics metrics;
  std::vector<int> distinct;
};

Measured measure(const NetworkShape& s, const std::vector<float>& params,
                 const std::vector<float>& initial, double tol) {
  Measured m;
  m.distinct.assign(s.depth, -1);
  std::vector<int> parent(s.width);
  std::vector<double> norm(s.width);
  m.metrics = measure_network(s, params.data(), initial.data(), tol, m.distinct.data(),
                              parent.data(), norm.data());
  return m;
}

std::vector<int> reference_distinct(const NetworkShape& s, const std::vector<float>& params,
                                    double tol) {
  const std::vector<double> as_double(params.begin(), params.end());
  return distinct_neurons(s, as_double, tol);
}

// D_l of measure_network, checked against the reference, returned for further checks.
std::vector<int> distinct_checked(const NetworkShape& s, const std::vector<float>& params,
                                  double tol) {
  const std::vector<int> d = measure(s, params, params, tol).distinct;
  EXPECT_EQ(d, reference_distinct(s, params, tol));
  return d;
}

// Sets neuron i of hidden layer l to θ = [incoming row, bias, outgoing column].
void set_neuron(const NetworkShape& s, std::vector<float>& p, int l, int i,
                const std::vector<float>& theta) {
  const int fan_in = s.units(l - 1), fan_out = s.units(l + 1);
  ASSERT_EQ(static_cast<int>(theta.size()), fan_in + 1 + fan_out);
  for (int j = 0; j < fan_in; ++j)
    p[s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j] = theta[j];
  p[s.bias_offset(l) + i] = theta[fan_in];
  for (int k = 0; k < fan_out; ++k)
    p[s.weight_offset(l + 1) + static_cast<std::int64_t>(k) * s.units(l) + i] =
        theta[fan_in + 1 + k];
}

std::vector<float> random_params(const NetworkShape& s, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> p(s.parameter_count());
  for (float& v : p)
    v = u(rng);
  return p;
}

TEST(DistinctNeurons, AllTiedAllDistinctAndEverythingBetween) {
  for (const int depth : {1, 2, 3}) {
    for (const int width : {1, 2, 5, 32, 33}) {
      const NetworkShape s{3, width, depth};
      SCOPED_TRACE("depth " + std::to_string(depth) + " width " + std::to_string(width));
      const std::vector<float> constant(s.parameter_count(), 0.25f);
      EXPECT_EQ(distinct_checked(s, constant, 1e-6), std::vector<int>(depth, 1));
      EXPECT_EQ(distinct_checked(s, std::vector<float>(s.parameter_count(), 0.0f), 1e-6),
                std::vector<int>(depth, 1));
      EXPECT_EQ(distinct_checked(s, random_params(s, 1), 1e-6), std::vector<int>(depth, width));
      // `groups` classes of neurons (i mod groups): every weight is a function of its row's and
      // its column's class, so neurons of one class share incoming rows, biases and outgoing
      // columns, and neurons of different classes differ in every incoming weight.
      for (const int groups : {1, 2, 3}) {
        if (groups > width) continue;
        std::vector<float> p(s.parameter_count());
        for (int l = 1; l <= s.layers(); ++l) {
          const int fan_in = s.units(l - 1);
          const bool hidden_columns = l > 1;  // columns are hidden neurons, grouped too
          for (int i = 0; i < s.units(l); ++i) {
            for (int j = 0; j < fan_in; ++j) {
              const int column = hidden_columns ? j % groups : j;
              p[s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j] =
                  0.1f * static_cast<float>(i % groups) + 0.03f * static_cast<float>(column) +
                  0.01f;
            }
            p[s.bias_offset(l) + i] = -0.2f * static_cast<float>(i % groups);
          }
        }
        EXPECT_EQ(distinct_checked(s, p, 1e-6), std::vector<int>(depth, groups));
      }
    }
  }
}

// Hidden layers of their own sizes: D_l counts the groups among layer l's H_l neurons, reading
// each neuron's outgoing column in a next layer of another size.
TEST(DistinctNeurons, LayersOfTheirOwnSizesAreCountedEachAgainstItsOwn) {
  const std::vector<std::vector<int>> shapes = {{10, 5}, {5, 10}, {3, 1, 7}};
  for (const std::vector<int>& sizes : shapes) {
    const NetworkShape s = shape_with_widths(2, sizes.data(), static_cast<int>(sizes.size()));
    SCOPED_TRACE("widths " + std::to_string(sizes[0]) + "x" + std::to_string(sizes[1]));
    std::vector<int> groups(s.layers() + 1, 1);  // groups[l] classes in layer l (1 for the output)
    std::vector<int> expected;
    for (int l = 1; l <= s.depth; ++l) {
      groups[l] = std::min(s.units(l), l + 1);
      expected.push_back(groups[l]);
    }
    std::vector<float> p(s.parameter_count());
    for (int l = 1; l <= s.layers(); ++l) {
      const int fan_in = s.units(l - 1);
      for (int i = 0; i < s.units(l); ++i) {
        for (int j = 0; j < fan_in; ++j) {
          const int column = l > 1 ? j % groups[l - 1] : j;
          p[s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j] =
              0.1f * static_cast<float>(i % groups[l]) + 0.03f * static_cast<float>(column) + 0.01f;
        }
        p[s.bias_offset(l) + i] = -0.2f * static_cast<float>(i % groups[l]);
      }
    }
    EXPECT_EQ(distinct_checked(s, p, 1e-6), expected);
    EXPECT_EQ(distinct_checked(s, random_params(s, 3), 1e-6), sizes);
  }
}

TEST(DistinctNeurons, TransitiveChainsWithinTheToleranceAreOneGroup) {
  const NetworkShape s{2, 6, 1};
  const double tol = 0.01;
  // |θ| <= 1 so the limit is tol · (1 + max ‖θ‖∞) <= 0.02; the links are 0.015 apart.
  const float step = 0.015f;
  for (const auto& order :
       std::vector<std::vector<int>>{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 0, 4, 1, 5, 3}}) {
    std::vector<float> p(s.parameter_count(), 0.0f);
    for (int link = 0; link < 6; ++link) {
      const float v = 0.5f + step * static_cast<float>(link);
      set_neuron(s, p, 1, order[link], {v, 0.2f, -0.3f, 0.4f});
    }
    EXPECT_EQ(distinct_checked(s, p, tol), std::vector<int>{1});
    // Break the chain in the middle: two groups.
    std::vector<float> broken = p;
    for (int link = 3; link < 6; ++link) {
      const float v = 0.5f + step * static_cast<float>(link) + 0.1f;
      set_neuron(s, broken, 1, order[link], {v, 0.2f, -0.3f, 0.4f});
    }
    EXPECT_EQ(distinct_checked(s, broken, tol), std::vector<int>{2});
  }
}

// The rule is max_k |θ_i,k − θ_j,k| ≤ τ(1 + max(‖θ_i‖∞, ‖θ_j‖∞)): a pair exactly at the limit is
// tied, the next float beyond it is not. τ = 2^-3 and ‖θ‖∞ = 1 make the limit exactly 0.25.
TEST(DistinctNeurons, PairExactlyAtTheToleranceIsTiedAndJustBeyondIsNot) {
  const NetworkShape s{2, 2, 1};
  const double tol = 0.125;
  std::vector<float> p(s.parameter_count(), 0.0f);
  set_neuron(s, p, 1, 0, {1.0f, 0.0f, 0.5f, -1.0f});
  set_neuron(s, p, 1, 1, {1.0f, 0.25f, 0.5f, -1.0f});
  EXPECT_EQ(distinct_checked(s, p, tol), std::vector<int>{1});
  set_neuron(s, p, 1, 1, {1.0f, std::nextafter(0.25f, 1.0f), 0.5f, -1.0f});
  EXPECT_EQ(distinct_checked(s, p, tol), std::vector<int>{2});
  // The larger norm sets the limit: neuron 1 with ‖θ‖∞ = 1.5 allows 0.3125.
  set_neuron(s, p, 1, 1, {1.0f, 0.3125f, 0.5f, -1.5f});
  set_neuron(s, p, 1, 0, {1.0f, 0.0f, 0.5f, -1.5f});
  EXPECT_EQ(distinct_checked(s, p, tol), std::vector<int>{1});
  set_neuron(s, p, 1, 1, {1.0f, std::nextafter(0.3125f, 1.0f), 0.5f, -1.5f});
  EXPECT_EQ(distinct_checked(s, p, tol), std::vector<int>{2});
}

// At the default τ = 1e-6 the limit is not a float: walk one neuron's entry float by float across
// it; float and reference decide every step alike, and both sides of the boundary occur.
TEST(DistinctNeurons, DefaultToleranceBoundaryDecidedAlikeFloatByFloat) {
  const NetworkShape s{2, 2, 1};
  const double tol = 1e-6;
  for (const float base : {0.75f, 1.0f, -3.0f, 100.0f}) {
    std::vector<float> p(s.parameter_count(), 0.0f);
    set_neuron(s, p, 1, 0, {base, 0.1f, 0.2f, 0.3f});
    const double limit = tol * (1.0 + std::fabs(base) * 1.0001);
    float v = static_cast<float>(base - 1.5 * limit);
    bool seen_tied = false, seen_apart = false;
    for (int step = 0; step < 4000 && v < base + 1.5 * limit; ++step) {
      set_neuron(s, p, 1, 1, {v, 0.1f, 0.2f, 0.3f});
      const std::vector<int> d = distinct_checked(s, p, tol);
      seen_tied = seen_tied || d[0] == 1;
      seen_apart = seen_apart || d[0] == 2;
      if (HasFailure()) return;
      v = std::nextafter(v, std::numeric_limits<float>::infinity());
    }
    EXPECT_TRUE(seen_tied) << base;
    EXPECT_TRUE(seen_apart) << base;
  }
}

// NaN compares false with everything: a neuron with a NaN entry ties with nothing, not even with
// an identical NaN neuron; infinities tie only where every difference is finite and within the
// (infinite) limit.
TEST(DistinctNeurons, NonFiniteParametersTieNothing) {
  const NetworkShape s{2, 3, 1};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> p(s.parameter_count(), 0.5f);
  set_neuron(s, p, 1, 0, {nan, 0.5f, 0.5f, 0.5f});
  EXPECT_EQ(distinct_checked(s, p, 1e-6), std::vector<int>{2});
  set_neuron(s, p, 1, 1, {nan, 0.5f, 0.5f, 0.5f});
  EXPECT_EQ(distinct_checked(s, p, 1e-6), std::vector<int>{3});
  std::vector<float> q(s.parameter_count(), 0.5f);
  set_neuron(s, q, 1, 0, {inf, 0.5f, 0.5f, 0.5f});
  set_neuron(s, q, 1, 1, {inf, 0.5f, 0.5f, 0.5f});
  distinct_checked(s, q, 1e-6);  // inf - inf is NaN: whatever the rule gives, both agree
  set_neuron(s, q, 1, 1, {0.5f, inf, 0.5f, 0.5f});
  distinct_checked(s, q, 1e-6);
  const std::vector<float> all_nan(s.parameter_count(), nan);
  EXPECT_EQ(distinct_checked(s, all_nan, 1e-6), std::vector<int>{3});
}

TEST(DistinctNeurons, RandomNetworksAgreeWithTheReferenceAtManyTolerances) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    const NetworkShape s{1 + trial % 5, 1 + trial % 9, 1 + trial % 3};
    // Few distinct values make many near-ties; tolerances straddle their spacing.
    std::uniform_int_distribution<int> level(0, 3);
    std::vector<float> p(s.parameter_count());
    for (float& v : p)
      v = 0.01f * static_cast<float>(level(rng)) + (trial % 2 == 0 ? 0.0f : 1e-7f * level(rng));
    for (const double tol : {1e-8, 1e-6, 1e-3, 0.005, 0.01, 0.1}) {
      SCOPED_TRACE("trial " + std::to_string(trial) + " tol " + std::to_string(tol));
      distinct_checked(s, p, tol);
    }
  }
}

TEST(Frozen, WeightsComparedBitForBitBiasesIgnored) {
  const NetworkShape s{2, 3, 2};
  const std::vector<float> initial = random_params(s, 9);
  const std::vector<double> initial_d(initial.begin(), initial.end());
  const auto frozen = [&](const std::vector<float>& p) {
    const bool f = measure(s, p, initial, 1e-6).metrics.frozen;
    EXPECT_EQ(f, weights_unchanged(s, std::vector<double>(p.begin(), p.end()), initial_d));
    return f;
  };
  EXPECT_TRUE(frozen(initial));
  for (int l = 1; l <= s.layers(); ++l) {
    std::vector<float> p = initial;
    p[s.bias_offset(l)] += 1.0f;
    EXPECT_TRUE(frozen(p)) << "a bias of layer " << l << " does not unfreeze";
    p = initial;
    const std::int64_t last = s.weight_offset(l) + s.weight_count(l) - 1;
    p[last] = std::nextafter(p[last], 2.0f);
    EXPECT_FALSE(frozen(p)) << "one ulp in the last weight of layer " << l;
  }
}

TEST(Frozen, MinusZeroIsNotPlusZeroAndNaNIsComparedByItsBits) {
  const NetworkShape s{2, 2, 1};
  std::vector<float> initial(s.parameter_count(), 0.0f);
  std::vector<float> p = initial;
  p[s.weight_offset(1)] = -0.0f;
  EXPECT_FALSE(measure(s, p, initial, 1e-6).metrics.frozen) << "-0 differs from +0 in its bits";
  const float nan = std::numeric_limits<float>::quiet_NaN();
  initial[s.weight_offset(2)] = nan;
  p = initial;
  EXPECT_TRUE(measure(s, p, initial, 1e-6).metrics.frozen) << "the same NaN bits are unchanged";
  EXPECT_TRUE(weights_unchanged(s, std::vector<double>(p.begin(), p.end()),
                                std::vector<double>(initial.begin(), initial.end())));
  p[s.weight_offset(2)] = -nan;
  EXPECT_FALSE(measure(s, p, initial, 1e-6).metrics.frozen) << "another NaN is a change";
}

TEST(Finite, AnyNonFiniteParameterWeightOrBiasClearsIt) {
  const NetworkShape s{3, 4, 2};
  const std::vector<float> clean = random_params(s, 3);
  EXPECT_TRUE(measure(s, clean, clean, 1e-6).metrics.finite);
  for (const float bad :
       {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
        -std::numeric_limits<float>::infinity()}) {
    for (std::int64_t k = 0; k < s.parameter_count(); ++k) {
      std::vector<float> p = clean;
      p[k] = bad;
      EXPECT_FALSE(measure(s, p, clean, 1e-6).metrics.finite) << "parameter " << k;
    }
  }
  std::vector<float> huge = clean;
  huge[0] = std::numeric_limits<float>::max();
  EXPECT_TRUE(measure(s, huge, clean, 1e-6).metrics.finite) << "large but finite";
}

// x86 and NVIDIA GPUs make NaNs of different sign and payload; a fingerprint that saw them would
// call two engines different where both computed NaN. Any other bit still counts.
TEST(Fingerprint, EveryNaNIsOneValueAndEveryOtherBitCounts) {
  const NetworkShape s{2, 3, 1};
  std::vector<float> gpu_nan(s.parameter_count(), 0.25f), x86_nan = gpu_nan;
  gpu_nan[4] = float_from_bits(0x7fffffffu);
  x86_nan[4] = float_from_bits(0xffc00000u);
  const std::uint64_t f = measure(s, gpu_nan, gpu_nan, 1e-6).metrics.fingerprint;
  EXPECT_EQ(f, measure(s, x86_nan, x86_nan, 1e-6).metrics.fingerprint);
  std::vector<float> infinite = gpu_nan, other = gpu_nan;
  infinite[4] = std::numeric_limits<float>::infinity();
  other[0] = float_from_bits(float_bits(0.25f) + 1);
  EXPECT_NE(f, measure(s, infinite, infinite, 1e-6).metrics.fingerprint);
  EXPECT_NE(f, measure(s, other, other, 1e-6).metrics.fingerprint);
}

}  // namespace
}  // namespace symbreak
