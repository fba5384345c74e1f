// Tests kernels/float_math.cuh, the training's own exp, log1p, tanh and logistic function, against
// double-precision references: every function within 2 ulp of the exact value over float's whole
// range (every 97th float bit pattern here, ~44 million values per function; all 4.3 billion with
// SYMBREAK_EXHAUSTIVE=1), the special values, and the exactness of the pair arithmetic they use.
#include "kernels/float_math.cuh"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <random>
#include <string>

namespace symbreak {
namespace {

// |f - y| in units of the last place of the float nearest y (subnormal ulps below FLT_MIN). A
// reference that rounds to infinity in float is matched by infinity.
double ulp_error(float f, double y) {
  if (std::isnan(y)) return std::isnan(f) ? 0.0 : std::numeric_limits<double>::infinity();
  if (std::isinf(static_cast<float>(y))) {
    return f == static_cast<float>(y) ? 0.0 : std::numeric_limits<double>::infinity();
  }
  if (!std::isfinite(f)) return std::numeric_limits<double>::infinity();
  const double magnitude = std::fabs(y);
  const double ulp =
      magnitude < FLT_MIN ? std::ldexp(1.0, -149) : std::ldexp(1.0, std::ilogb(magnitude) - 23);
  return std::fabs(static_cast<double>(f) - y) / ulp;
}

struct Worst {
  double ulps = 0.0;
  float at = 0.0f;
};

// The largest error of f against reference over every stride-th bit pattern whose value lies in
// the domain (NaN patterns excluded; they are checked separately).
Worst worst_error(const std::function<float(float)>& f, const std::function<double(double)>& ref,
                  const std::function<bool(float)>& domain) {
  const char* exhaustive = std::getenv("SYMBREAK_EXHAUSTIVE");
  const std::uint64_t stride = exhaustive != nullptr && std::string(exhaustive) == "1" ? 1 : 97;
  Worst worst;
  for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << 32); bits += stride) {
    const float x = float_from_bits(static_cast<std::uint32_t>(bits));
    if (std::isnan(x) || !domain(x)) continue;
    const double e = ulp_error(f(x), ref(static_cast<double>(x)));
    if (e > worst.ulps) worst = {e, x};
  }
  return worst;
}

bool everywhere(float) {
  return true;
}

double logistic_reference(double z) {
  return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

constexpr double kContractUlps = 2.0;  // docs/method.md §13

TEST(FloatMath, ExpIsWithinTwoUlpOverFloatsRange) {
  const Worst w = worst_error(
      exp_f, [](double x) { return std::exp(x); }, everywhere);
  EXPECT_LE(w.ulps, kContractUlps) << "at x = " << w.at;
  RecordProperty("max_ulps", std::to_string(w.ulps));
}

TEST(FloatMath, Log1pIsWithinTwoUlpOverItsDomain) {
  const Worst w = worst_error(
      log1p_f, [](double x) { return std::log1p(x); }, [](float x) { return x >= -1.0f; });
  EXPECT_LE(w.ulps, kContractUlps) << "at x = " << w.at;
  RecordProperty("max_ulps", std::to_string(w.ulps));
}

TEST(FloatMath, TanhIsWithinTwoUlpOverFloatsRange) {
  const Worst w = worst_error(
      tanh_f, [](double x) { return std::tanh(x); }, everywhere);
  EXPECT_LE(w.ulps, kContractUlps) << "at x = " << w.at;
  RecordProperty("max_ulps", std::to_string(w.ulps));
}

TEST(FloatMath, LogisticIsWithinTwoUlpOverFloatsRange) {
  const Worst w = worst_error(logistic_f, logistic_reference, everywhere);
  EXPECT_LE(w.ulps, kContractUlps) << "at x = " << w.at;
  RecordProperty("max_ulps", std::to_string(w.ulps));
}

// Every float of the range training lives in, one by one: the hidden and output
// pre-activations of a network that learns stay within a few units.
TEST(FloatMath, EveryFloatOfMagnitude2To8IsWithinTwoUlpForTanhAndLogistic) {
  double tanh_worst = 0.0, logistic_worst = 0.0;
  // Walk the binades [2, 4) and [4, 8) whole, and their negatives: where both functions bend
  // most, away from their polynomial ranges.
  for (std::uint32_t bits = float_bits(2.0f); bits < float_bits(8.0f); ++bits) {
    for (const float x : {float_from_bits(bits), -float_from_bits(bits)}) {
      const double d = x;
      tanh_worst = std::max(tanh_worst, ulp_error(tanh_f(x), std::tanh(d)));
      logistic_worst = std::max(logistic_worst, ulp_error(logistic_f(x), logistic_reference(d)));
    }
  }
  EXPECT_LE(tanh_worst, kContractUlps);
  EXPECT_LE(logistic_worst, kContractUlps);
}

TEST(FloatMath, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(exp_f(0.0f), 1.0f);
  EXPECT_EQ(exp_f(-inf), 0.0f);
  EXPECT_EQ(exp_f(inf), inf);
  EXPECT_EQ(exp_f(100.0f), inf);
  EXPECT_EQ(exp_f(-200.0f), 0.0f);
  EXPECT_TRUE(std::isnan(exp_f(nan)));
  EXPECT_EQ(log1p_f(0.0f), 0.0f);
  EXPECT_EQ(log1p_f(-1.0f), -inf);
  EXPECT_EQ(log1p_f(inf), inf);
  EXPECT_TRUE(std::isnan(log1p_f(-2.0f)));
  EXPECT_TRUE(std::isnan(log1p_f(nan)));
  EXPECT_EQ(tanh_f(0.0f), 0.0f);
  EXPECT_TRUE(std::signbit(tanh_f(-0.0f)));
  EXPECT_EQ(tanh_f(inf), 1.0f);
  EXPECT_EQ(tanh_f(-inf), -1.0f);
  EXPECT_EQ(tanh_f(20.0f), 1.0f);
  EXPECT_TRUE(std::isnan(tanh_f(nan)));
  EXPECT_EQ(logistic_f(0.0f), 0.5f);
  EXPECT_EQ(logistic_f(inf), 1.0f);
  EXPECT_EQ(logistic_f(-inf), 0.0f);
  EXPECT_TRUE(std::isnan(logistic_f(nan)));
}

// tanh and the logistic function are odd and point-symmetric exactly where the implementation
// promises it: tanh(-x) = -tanh(x) bit for bit (the sign is applied last).
TEST(FloatMath, TanhIsExactlyOdd) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-12.0f, 12.0f);
  for (int i = 0; i < 100000; ++i) {
    const float x = u(rng);
    EXPECT_EQ(float_bits(tanh_f(-x)), float_bits(tanh_f(x)) ^ 0x80000000u) << x;
  }
}

TEST(FloatMath, ExactProductIsExact) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1e10f, 1e10f);
  for (int i = 0; i < 100000; ++i) {
    const float a = u(rng), b = u(rng);
    const FloatPair p = exact_product(a, b);
    // A float product fits in a double exactly (24 + 24 bits).
    EXPECT_EQ(static_cast<double>(p.hi) + static_cast<double>(p.lo),
              static_cast<double>(a) * static_cast<double>(b))
        << a << " * " << b;
  }
}

}  // namespace
}  // namespace symbreak
