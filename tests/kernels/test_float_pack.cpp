// Tests kernels/float_pack.hpp: every function on a pack of floats gives, lane by lane, the very
// bits the scalar float function of float_math.cuh / activation.cuh / loss.cuh gives (the cpu
// engine's lanes must compute what a GPU thread computes). Inputs: every branch's range and its
// edges, the special values, and a stride through all float bit patterns.
#include "kernels/float_pack.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace symbreak {
namespace {

// Bit-for-bit equal, every NaN counting as one value (x86 and the GPU differ in NaN payloads
// anyway, and the engines' fingerprints do the same).
bool same(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return float_bits(a) == float_bits(b);
}

std::vector<float> inputs() {
  std::vector<float> v = {0.0f,
                          -0.0f,
                          1.0f,
                          -1.0f,
                          0.000244140625f,
                          -0.000244140625f,
                          0.55f,
                          -0.55f,
                          9.0f,
                          -9.0f,
                          89.0f,
                          89.1f,
                          -104.0f,
                          -104.1f,
                          -87.5f,
                          -100.0f,
                          88.7f,
                          -0.29289323f,
                          0.41421357f,
                          2.0f,
                          1.0e30f,
                          -1.0e30f,
                          3.4028234e38f,
                          -3.4028234e38f,
                          1.0e-40f,
                          std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN()};
  for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << 32); bits += 65537)
    v.push_back(float_from_bits(static_cast<std::uint32_t>(bits)));
  for (int i = -4000; i <= 4000; ++i)
    v.push_back(static_cast<float>(i) * 0.0271f);  // the range training lives in
  return v;
}

// f on packs of consecutive inputs against g on each input alone.
void expect_lanes_match(const std::function<FloatPack(const FloatPack&)>& f,
                        const std::function<float(float)>& g, const char* name) {
  const std::vector<float> v = inputs();
  int failures = 0;
  for (std::size_t first = 0; first < v.size(); first += kPackLanes) {
    FloatPack x;
    for (int lane = 0; lane < kPackLanes; ++lane)
      x.set(lane, v[(first + lane) % v.size()]);
    const FloatPack y = f(x);
    for (int lane = 0; lane < kPackLanes; ++lane) {
      const float in = x[lane];
      if (!same(y[lane], g(in)) && ++failures <= 5) {
        ADD_FAILURE() << name << "(" << in << "): pack " << y[lane] << ", scalar " << g(in);
      }
    }
  }
  EXPECT_EQ(failures, 0) << name;
}

TEST(FloatPack, ExpLanesAreTheScalarBits) {
  expect_lanes_match([](const FloatPack& x) { return exp_pair(x).hi; },
                     [](float x) { return exp_pair(x).hi; }, "exp_pair.hi");
  expect_lanes_match([](const FloatPack& x) { return exp_pair(x).lo; },
                     [](float x) { return exp_pair(x).lo; }, "exp_pair.lo");
}

// Adam's and RMSprop's square root (optimizer_step.cuh), negative inputs (NaN) included.
TEST(FloatPack, SqrtLanesAreTheScalarBits) {
  expect_lanes_match([](const FloatPack& x) { return sqrt_f(x); },
                     [](float x) { return sqrt_f(x); }, "sqrt_f");
}

TEST(FloatPack, Log1pLanesAreTheScalarBits) {
  expect_lanes_match([](const FloatPack& x) { return log1p_f(x); },
                     [](float x) { return log1p_f(x); }, "log1p_f");
}

TEST(FloatPack, TanhAndLogisticLanesAreTheScalarBits) {
  expect_lanes_match([](const FloatPack& x) { return tanh_f(x); },
                     [](float x) { return tanh_f(x); }, "tanh_f");
  expect_lanes_match([](const FloatPack& x) { return logistic_f(x); },
                     [](float x) { return logistic_f(x); }, "logistic_f");
}

TEST(FloatPack, ActivationsAndDerivativesAreTheScalarBits) {
  for (const Activation f : {Activation::sigmoid, Activation::tanh, Activation::relu,
                             Activation::leaky_relu, Activation::linear}) {
    expect_lanes_match([f](const FloatPack& z) { return activate(f, z); },
                       [f](float z) { return activate(f, z); }, "activate");
    expect_lanes_match(
        [f](const FloatPack& z) { return activation_derivative(f, z, activate(f, z)); },
        [f](float z) { return activation_derivative(f, z, activate(f, z)); },
        "activation_derivative");
  }
}

TEST(FloatPack, LossesAreTheScalarBits) {
  for (const Loss loss : {Loss::bce, Loss::mse}) {
    for (const float y : {0.0f, 1.0f}) {
      expect_lanes_match([&](const FloatPack& z) { return sample_loss(loss, z, y); },
                         [&](float z) { return sample_loss(loss, z, y); }, "sample_loss");
      expect_lanes_match([&](const FloatPack& z) { return output_delta(loss, z, y); },
                         [&](float z) { return output_delta(loss, z, y); }, "output_delta");
    }
  }
}

TEST(FloatPack, CorrectCountIsClassifiedCorrectlyPerLane) {
  const std::vector<float> v = inputs();
  for (const float y : {0.0f, 1.0f}) {
    for (std::size_t first = 0; first + kPackLanes <= v.size(); first += kPackLanes) {
      FloatPack z;
      for (int lane = 0; lane < kPackLanes; ++lane)
        z.set(lane, v[first + lane]);
      const IntSimd c = correct_count(z, y);
      for (int lane = 0; lane < kPackLanes; ++lane)
        ASSERT_EQ(c[lane], correct_count(z[lane], y)) << "z = " << z[lane] << ", y = " << y;
    }
  }
}

TEST(FloatPack, NoteSolvedKeepsTheFirstEpochPerLane) {
  PackState s;
  IntSimd correct = 0;
  const int last = kPackLanes - 1;
  correct[1] = 4;
  note_solved(s, correct, 4, 10);
  correct[last] = 4;
  note_solved(s, correct, 4, 11);
  EXPECT_EQ(s.epoch_solved[1], 10);
  EXPECT_EQ(s.epoch_solved[last], 11);
  EXPECT_EQ(s.epoch_solved[0], -1);
  EXPECT_TRUE(any_unsolved(s));
}

}  // namespace
}  // namespace symbreak
