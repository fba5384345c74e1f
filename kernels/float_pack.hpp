// A pack of floats, one network per lane, for the cpu engine: the fused training code
// (fused_thread.cuh, fused_warp.cuh, train_segment.cuh) is templated on its number type, and this
// type instantiates it on the host so that every lane runs the same instruction stream
// (docs/method.md §13.1). Each lane must compute bit for bit what the scalar float code computes:
// the operators below are the plain IEEE operations lane by lane (the build forbids FMA
// contraction; fma_f is the one written fused multiply-add), and the functions that branch on
// values in float_math.cuh are written again here with selects, calling the same branch-free pieces
// in the same order. tests/kernels/test_float_pack.cpp compares every function lane by lane with
// the scalar one.
//
// A thin wrapper around GCC's <experimental/simd> (not a CUDA header: host code only), so that
// argument-dependent lookup finds the overloads below from inside the kernel templates. Bit casts
// and mask conversions use GCC's extensions in stdx::__proposed.
#pragma once

#include <immintrin.h>

#include <experimental/simd>

#include <cstdint>

#include "activation.cuh"
#include "breaker_values.cuh"
#include "float_math.cuh"
#include "loss.cuh"
#include "train_job.cuh"

namespace symbreak {

namespace stdx = std::experimental;

// Every pack operation is forced inline: GCC otherwise keeps the small wrappers (select, the
// comparisons) as calls inside the training loop, which costs more than the arithmetic.
#define SYMBREAK_PACK [[gnu::always_inline]] inline

// One vector register of floats: 16 lanes with AVX-512, 8 with AVX2, 4 with SSE, whatever the
// translation unit is compiled for (host/engines/cpu_lanes.cpp). The pack types are templates on
// that register kind, so code compiled for different instruction sets never shares a symbol.
using FloatSimd = stdx::native_simd<float>;
using SimdAbi = FloatSimd::abi_type;
inline constexpr int kPackLanes = static_cast<int>(FloatSimd::size());
using IntSimd = stdx::rebind_simd_t<int, FloatSimd>;
using BitsSimd = stdx::rebind_simd_t<std::uint32_t, FloatSimd>;
using PackMask = FloatSimd::mask_type;

template <class Abi>
struct BasicFloatPack {
  using FloatPack = BasicFloatPack;
  using FloatSimd = stdx::simd<float, Abi>;
  using PackMask = typename FloatSimd::mask_type;
  FloatSimd v;

  BasicFloatPack() = default;
  BasicFloatPack(float x) : v(x) {}  // NOLINT: broadcast, as float constants mix with packs
  explicit BasicFloatPack(const FloatSimd& s) : v(s) {}

  // Each lane's replicate, which keys its network's dropout masks and gradient noise. Nested here
  // so that its name, too, is unique to this instruction set (tests/scripts/test_lane_symbols.sh).
  struct Replicates {
    std::uint32_t lane[FloatSimd::size()];
  };

  SYMBREAK_PACK float operator[](int lane) const { return v[lane]; }
  SYMBREAK_PACK void set(int lane, float x) { v[lane] = x; }

  SYMBREAK_PACK friend FloatPack operator+(const FloatPack& a, const FloatPack& b) {
    return FloatPack(a.v + b.v);
  }
  SYMBREAK_PACK friend FloatPack operator-(const FloatPack& a, const FloatPack& b) {
    return FloatPack(a.v - b.v);
  }
  SYMBREAK_PACK friend FloatPack operator*(const FloatPack& a, const FloatPack& b) {
    return FloatPack(a.v * b.v);
  }
  SYMBREAK_PACK friend FloatPack operator/(const FloatPack& a, const FloatPack& b) {
    return FloatPack(a.v / b.v);
  }
  SYMBREAK_PACK friend FloatPack operator-(const FloatPack& a) { return FloatPack(-a.v); }
  SYMBREAK_PACK FloatPack& operator+=(const FloatPack& b) {
    v += b.v;
    return *this;
  }
  SYMBREAK_PACK FloatPack& operator-=(const FloatPack& b) {
    v -= b.v;
    return *this;
  }
  SYMBREAK_PACK FloatPack& operator*=(const FloatPack& b) {
    v *= b.v;
    return *this;
  }
  SYMBREAK_PACK friend PackMask operator<(const FloatPack& a, const FloatPack& b) {
    return a.v < b.v;
  }
  SYMBREAK_PACK friend PackMask operator>(const FloatPack& a, const FloatPack& b) {
    return a.v > b.v;
  }
  SYMBREAK_PACK friend PackMask operator>=(const FloatPack& a, const FloatPack& b) {
    return a.v >= b.v;
  }
  SYMBREAK_PACK friend PackMask operator==(const FloatPack& a, const FloatPack& b) {
    return a.v == b.v;
  }
  SYMBREAK_PACK friend PackMask operator!=(const FloatPack& a, const FloatPack& b) {
    return a.v != b.v;
  }
};

using FloatPack = BasicFloatPack<SimdAbi>;

// m ? a : b lane by lane.
SYMBREAK_PACK FloatPack select(const PackMask& m, const FloatPack& a, const FloatPack& b) {
  FloatSimd r = b.v;
  stdx::where(m, r) = a.v;
  return FloatPack(r);
}

SYMBREAK_PACK BitsSimd pack_bits(const FloatPack& x) {
  return stdx::__proposed::simd_bit_cast<BitsSimd>(x.v);
}

SYMBREAK_PACK FloatPack pack_from_bits(const BitsSimd& u) {
  return FloatPack(stdx::__proposed::simd_bit_cast<FloatSimd>(u));
}

// The mask of a float comparison as a mask of the integer packs (same lanes).
SYMBREAK_PACK IntSimd::mask_type int_mask(const PackMask& m) {
  return stdx::__proposed::static_simd_cast<IntSimd::mask_type>(m);
}

SYMBREAK_PACK FloatPack abs_f(const FloatPack& x) {
  return pack_from_bits(pack_bits(x) & 0x7fffffffu);
}

// The correctly rounded square root lane by lane, as sqrt_f for float. (stdx::sqrt trips GCC 12's
// -Wmaybe-uninitialized inside its AVX-512 intrinsic; the compiler still emits a vector sqrt.)
SYMBREAK_PACK FloatPack sqrt_f(const FloatPack& x) {
  return FloatPack(FloatSimd([&](auto lane) { return __builtin_sqrtf(x.v[lane]); }));
}

// a * b + c with one rounding lane by lane, as fma_f for float: one vfmadd at the lane levels with
// FMA (x86-64-v4, v3), written as the intrinsic because GCC splits a per-lane fmaf generator into
// 16 scalar FMAs once it sits inside longer code, and stdx::fma leaves an out-of-line helper
// behind. At the SSE2 level the C library's fmaf per lane (exact, slower).
SYMBREAK_PACK FloatPack fma_f(const FloatPack& a, const FloatPack& b, const FloatPack& c) {
#if defined(__AVX512F__)
  static_assert(sizeof(FloatSimd) == sizeof(__m512));
  return FloatPack(FloatSimd(_mm512_fmadd_ps(static_cast<__m512>(a.v), static_cast<__m512>(b.v),
                                             static_cast<__m512>(c.v))));
#elif defined(__AVX__) && defined(__FMA__)
  static_assert(sizeof(FloatSimd) == sizeof(__m256));
  return FloatPack(FloatSimd(_mm256_fmadd_ps(static_cast<__m256>(a.v), static_cast<__m256>(b.v),
                                             static_cast<__m256>(c.v))));
#else
  return FloatPack(
      FloatSimd([&](auto lane) { return __builtin_fmaf(a.v[lane], b.v[lane], c.v[lane]); }));
#endif
}

// 2^n lane by lane, for -126 <= n <= 127 (other lanes get meaningless values that callers discard).
SYMBREAK_PACK FloatPack exp2_int(const IntSimd& n) {
  return pack_from_bits(stdx::static_simd_cast<BitsSimd>(n + 127) << 23);
}

// float_math.cuh's exp_pair, each branch a select. Out-of-range lanes are first moved into range
// so that no lane converts a huge float to int; their results are replaced at the end.
SYMBREAK_PACK Pair<FloatPack> exp_pair(const FloatPack& x) {
  const PackMask nan = x != x, over = x > 89.0f, under = x < -104.0f;
  const FloatPack xs = select(nan || over || under, FloatPack(0.0f), x);
  const FloatPack k = xs * kExpInvLn2;
  const FloatPack rounded = select(k < 0.0f, k - 0.5f, k + 0.5f);
  const IntSimd n = stdx::static_simd_cast<IntSimd>(rounded.v);
  const Pair<FloatPack> e = exp_reduced(xs, FloatPack(stdx::static_simd_cast<FloatSimd>(n)));
  const FloatPack y = e.hi, y_lo = e.lo;
  const FloatPack scale = exp2_int(n);
  FloatPack hi = y * scale, lo = y_lo * scale;
  // The rare cases are computed only when some lane needs them (the selects discard them anyway).
  const auto big = n > 127, small = n < -126;
  if (stdx::any_of(big || small)) {
    const FloatPack big_scale = exp2_int(n - 127), small_scale = exp2_int(n + 64);
    const FloatPack two127 = exp2_int(IntSimd(127)), two_m64 = exp2_int(IntSimd(-64));
    const PackMask big_f = stdx::__proposed::static_simd_cast<PackMask>(big);
    const PackMask small_f = stdx::__proposed::static_simd_cast<PackMask>(small);
    hi = select(big_f, y * two127 * big_scale, hi);
    lo = select(big_f, y_lo * two127 * big_scale, lo);
    hi = select(small_f, y * small_scale * two_m64, hi);
    lo = select(small_f, y_lo * small_scale * two_m64, lo);
  }
  if (stdx::any_of(nan || over || under)) {
    hi = select(under, FloatPack(0.0f), hi);
    lo = select(under, FloatPack(0.0f), lo);
    hi = select(over, FloatPack(1.0f / 0.0f), hi);
    lo = select(over, FloatPack(0.0f), lo);
    hi = select(nan, x, hi);
    lo = select(nan, FloatPack(0.0f), lo);
  }
  return {hi, lo};
}

SYMBREAK_PACK FloatPack exp_f(const FloatPack& x) {
  return exp_pair(x).hi;
}

// float_math.cuh's log1p_f with selects.
SYMBREAK_PACK FloatPack log1p_f(const FloatPack& x) {
  const FloatPack u = 1.0f + x;
  const FloatPack c = select(u > 2.0f, 1.0f - (u - x), x - (u - 1.0f)) / u;
  const BitsSimd bits = pack_bits(u);
  IntSimd k = stdx::static_simd_cast<IntSimd>(bits >> 23) - 127;
  BitsSimd mantissa = (bits & 0x007fffffu) | 0x3f800000u;  // m in [1, 2)
  const auto halve = mantissa > 0x3fb504f3u;               // m > sqrt(2)
  stdx::where(halve, mantissa) -= 0x00800000u;
  stdx::where(stdx::__proposed::static_simd_cast<IntSimd::mask_type>(halve), k) += 1;
  FloatPack r = log1p_combine(FloatPack(stdx::static_simd_cast<FloatSimd>(k)), c,
                              pack_from_bits(mantissa) - 1.0f);
  r = select(x > -0.29289323f && x < 0.41421357f, log1p_reduced(x), r);
  r = select(x > 3.4028234e38f, x, r);
  r = select(x == -1.0f, FloatPack(-1.0f / 0.0f), r);
  r = select(x < -1.0f, FloatPack(0.0f) / FloatPack(0.0f), r);
  return select(x != x, x, r);
}

SYMBREAK_PACK FloatPack exp2_from_shifter(const FloatPack& s) {
  return pack_from_bits((pack_bits(s) + 127u) << 23);
}

// float_math.cuh's tanh_f with a select: one formula for every lane below 9.
SYMBREAK_PACK FloatPack tanh_f(const FloatPack& x) {
  const FloatPack a = abs_f(x);
  const FloatPack t = select(a > 9.0f, FloatPack(1.0f), tanh_nonnegative(a));
  return pack_from_bits(pack_bits(t) | (pack_bits(x) & 0x80000000u));
}

SYMBREAK_PACK FloatPack logistic_f(const FloatPack& z) {
  const Pair<FloatPack> e = exp_pair(-abs_f(z));
  const PackMask positive = z >= 0.0f;
  const Pair<FloatPack> numerator{select(positive, FloatPack(1.0f), e.hi),
                                  select(positive, FloatPack(0.0f), e.lo)};
  return divide_pairs(numerator, one_plus(e));
}

// activation.cuh with selects; the activation itself is the same for every lane.
SYMBREAK_PACK FloatPack activate(Activation f, const FloatPack& z) {
  switch (f) {
    case Activation::sigmoid:
      return logistic_f(z);
    case Activation::tanh:
      return tanh_f(z);
    case Activation::relu:
      return select(z > 0.0f, z, FloatPack(0.0f));
    case Activation::leaky_relu:
      return select(z > 0.0f, z, 0.01f * z);
    default:
      return z;
  }
}

SYMBREAK_PACK FloatPack activation_derivative(Activation f, const FloatPack& z,
                                              const FloatPack& a) {
  switch (f) {
    case Activation::sigmoid:
      return a * (1.0f - a);
    case Activation::tanh:
      return fma_f(-a, a, 1.0f);
    case Activation::relu:
      return select(z > 0.0f, FloatPack(1.0f), FloatPack(0.0f));
    case Activation::leaky_relu:
      return select(z > 0.0f, FloatPack(1.0f), FloatPack(0.01f));
    default:
      return FloatPack(1.0f);
  }
}

// loss.cuh with selects; y is the same sample's target for every lane.
SYMBREAK_PACK FloatPack sample_loss(Loss loss, const FloatPack& z, float y) {
  if (loss == Loss::bce) {
    const FloatPack softplus = select(z > 0.0f, z, FloatPack(0.0f)) + log1p_f(exp_f(-abs_f(z)));
    return softplus - y * z;
  }
  const FloatPack e = logistic_f(z) - y;
  return 0.5f * e * e;
}

SYMBREAK_PACK FloatPack output_delta(Loss loss, const FloatPack& z, float y) {
  const FloatPack p = logistic_f(z);
  return loss == Loss::bce ? p - y : (p - y) * p * (1.0f - p);
}

// TrainState of every lane.
template <class Abi>
struct BasicPackState {
  IntSimd epoch_solved = -1;
  IntSimd correct = 0;
  BasicFloatPack<Abi> loss = 0.0f;
};
using PackState = BasicPackState<SimdAbi>;

template <>
struct LaneTypes<FloatPack> {
  using Count = IntSimd;
  using State = PackState;
  using Replicate = FloatPack::Replicates;
};

// breaker_values.cuh lane by lane: each lane draws for its own network, exactly as the scalar
// code does (flatten: the Philox rounds are inlined here, never shared with other objects).
[[gnu::flatten]] SYMBREAK_PACK FloatPack unit_dropout(const TrainJob& job,
                                                      const FloatPack::Replicates& r,
                                                      long long step, int sample, int l, int i) {
  FloatPack m = 0.0f;
  for (int lane = 0; lane < kPackLanes; ++lane)
    m.set(lane, unit_dropout(job, r.lane[lane], step, sample, l, i));
  return m;
}

[[gnu::flatten]] SYMBREAK_PACK FloatPack parameter_noise(const TrainJob& job,
                                                         const FloatPack::Replicates& r,
                                                         long long step, int l, int i, int j,
                                                         int fan_in) {
  FloatPack xi = 0.0f;
  for (int lane = 0; lane < kPackLanes; ++lane)
    xi.set(lane, parameter_noise(job, r.lane[lane], step, l, i, j, fan_in));
  return xi;
}

SYMBREAK_PACK IntSimd correct_count(const FloatPack& z, float y) {
  IntSimd c = 0;
  stdx::where(int_mask(z > 0.0f), c) = 1;
  if (!(y > 0.5f)) c = 1 - c;
  return c;
}

SYMBREAK_PACK bool any_unsolved(const PackState& s) {
  return stdx::any_of(s.epoch_solved < 0);
}

// epoch_solved = epoch in the lanes that classify all n samples and were not solved before.
SYMBREAK_PACK void note_solved(PackState& s, const IntSimd& correct, int n, int epoch) {
  stdx::where(correct == n && s.epoch_solved < 0, s.epoch_solved) = epoch;
}

}  // namespace symbreak
