// The transcendental functions of training (exp, log1p, tanh, the logistic function), written
// once for the GPU kernels and the cpu engine alike, from correctly rounded float operations only
// (+, -, *, /, fused multiply-add and exact bit manipulation): IEEE 754 defines those bit for bit,
// so both sides compute identical results, whereas CUDA's expf/tanhf and glibc's differ in the
// last bits (docs/method.md §13). Accurate to at most 2 ulp over float's range; tests/kernels/
// test_float_math.cpp measures every function against double references.
//
// The build forbids the compilers to contract a * b + c on their own (nvcc -fmad=false, g++
// -ffp-contract=off); the fused multiply-adds used here are written out (fma_f), each one IEEE
// operation with one rounding, so the sequence of roundings is the one written. Branches depend
// only on the argument, so equal arguments take equal paths.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "host_device.cuh"

namespace symbreak {

SYMBREAK_HD inline std::uint32_t float_bits(float x) {
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

SYMBREAK_HD inline float float_from_bits(std::uint32_t u) {
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

// 2^n for -126 <= n <= 127, exactly.
SYMBREAK_HD inline float exp2_int(int n) {
  return float_from_bits(static_cast<std::uint32_t>(n + 127) << 23);
}

SYMBREAK_HD inline float abs_f(float x) {
  return float_from_bits(float_bits(x) & 0x7fffffffu);
}

// The square root IEEE 754 defines (correctly rounded): sqrt.rn on the GPU, sqrtss on the host.
// Adam and RMSprop divide by it (optimizer_step.cuh).
SYMBREAK_HD inline float sqrt_f(float x) {
#if defined(__CUDA_ARCH__)
  return __fsqrt_rn(x);
#else
  return std::sqrt(x);
#endif
}

// a * b + c with one rounding: IEEE 754's fusedMultiplyAdd, correctly rounded like +, -, * and /,
// so the GPU (fma.rn.f32) and the host (vfmadd, or the C library's exact fmaf where the CPU lacks
// FMA) compute the same bits (docs/method.md §13). On the device it is written as inline PTX, so
// that tests/kernels/test_kernel_ptx.cpp can tell every FMA written here from one a compiler made.
SYMBREAK_HD inline float fma_f(float a, float b, float c) {
#if defined(__CUDA_ARCH__)
  float r;
  asm("fma.rn.f32 %0, %1, %2, %3;" : "=f"(r) : "f"(a), "f"(b), "f"(c));
  return r;
#else
  return std::fma(a, b, c);
#endif
}

// A value as an unevaluated sum hi + lo with |lo| below half an ulp of hi: enough precision to
// carry a result through one more operation without its rounding.
//
// The branch-free arithmetic below is templated on its number type: float here and in the GPU
// kernels, a SIMD pack of floats in the cpu engine (float_pack.hpp), which must compute every lane
// exactly as float does (docs/method.md §13). The functions that branch on values are written
// once more there, with selects, calling these same pieces.
template <class Real>
struct Pair {
  Real hi, lo;
};
using FloatPair = Pair<float>;

// a * b exactly, as hi + lo: the rounded product and its rounding error, which one FMA computes
// exactly (exact unless the product overflows or underflows).
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Pair<Real> exact_product(Real a, Real b) {
  const Real p = a * b;
  return {p, fma_f(a, b, -p)};
}

// (n.hi + n.lo) / (d.hi + d.lo), rounded once in effect: a first quotient from the reciprocal,
// its remainder n.hi - q d.hi computed exactly by one FMA, and the remainder's (tiny) share folded
// back. One division.
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Real divide_pairs(Pair<Real> n, Pair<Real> d) {
  const Real inverse = 1.0f / d.hi;
  const Real q = n.hi * inverse;
  const Real remainder = fma_f(-q, d.lo, fma_f(-q, d.hi, n.hi) + n.lo);
  return fma_f(remainder, inverse, q);
}

// 1 + e as a pair, for 0 <= e <= 1 given as a pair (Fast2Sum: |1| >= |e.hi|).
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Pair<Real> one_plus(Pair<Real> e) {
  const Real s = 1.0f + e.hi;
  return {s, ((1.0f - s) + e.hi) + e.lo};
}

// e^x as a pair. Range reduction x = n ln2 + r, |r| <= ln2/2, with ln2 split in two (Cody and
// Waite) so that hi = x - n * kLn2Hi is exact and r = hi - lo. On the reduced range
// e^r = 1 + r + r^2 P(r), P the Taylor series of (e^r - 1 - r) / r^2 to r^6 (terms to r^8 of e^r,
// truncation below 3e-10), by Horner's rule with FMAs: no division. 1 + hi is summed with its
// rounding error kept, so that the pair carries e^r to far better than an ulp. Then the pair is
// scaled by 2^n through the exponent bits.
inline constexpr float kExpLn2Hi = 0.693145751953125f;       // ln 2 to 16 bits
inline constexpr float kExpLn2Lo = 1.42860682030941723e-6f;  // ln 2 - kExpLn2Hi
inline constexpr float kExpInvLn2 = 1.44269504088896341f;

// e^r as a pair (before the scaling by 2^n), from x and fn = n as a float.
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Pair<Real> exp_reduced(Real x, Real fn) {
  const Real hi = fma_f(fn, -kExpLn2Hi, x);  // exact: fn kExpLn2Hi has at most 24 bits
  const Real lo = fn * kExpLn2Lo;
  const Real r = hi - lo;
  const Real z = r * r;
  Real p = 1.0f / 40320.0f;
  p = fma_f(p, r, 1.0f / 5040.0f);
  p = fma_f(p, r, 1.0f / 720.0f);
  p = fma_f(p, r, 1.0f / 120.0f);
  p = fma_f(p, r, 1.0f / 24.0f);
  p = fma_f(p, r, 1.0f / 6.0f);
  p = fma_f(p, r, 0.5f);
  const Real t = fma_f(z, p, -lo);  // e^r - 1 - hi, small
  const Real one_hi = 1.0f + hi;
  const Real small = ((1.0f - one_hi) + hi) + t;  // what 1 + hi lost, plus t
  const Real y = one_hi + small;
  const Real y_lo = small - (y - one_hi);
  return {y, y_lo};
}

SYMBREAK_HD inline FloatPair exp_pair(float x) {
  if (x != x) return {x, 0.0f};               // NaN
  if (x > 89.0f) return {1.0f / 0.0f, 0.0f};  // beyond FLT_MAX (e^88.73)
  if (x < -104.0f) return {0.0f, 0.0f};       // below half the smallest subnormal
  const float k = x * kExpInvLn2;
  const int n = static_cast<int>(k < 0.0f ? k - 0.5f : k + 0.5f);
  const FloatPair e = exp_reduced(x, static_cast<float>(n));
  const float y = e.hi, y_lo = e.lo;
  // 2^n in two exact steps where n leaves the normal exponent range.
  if (n > 127) {
    const float scale = exp2_int(n - 127);
    return {y * exp2_int(127) * scale, y_lo * exp2_int(127) * scale};
  }
  if (n < -126) {
    const float scale = exp2_int(n + 64);
    return {y * scale * exp2_int(-64), y_lo * scale * exp2_int(-64)};
  }
  const float scale = exp2_int(n);
  return {y * scale, y_lo * scale};
}

// e^x, the pair's rounded value (measured: 0.8 ulp, the largest in the subnormal range).
SYMBREAK_HD inline float exp_f(float x) {
  return exp_pair(x).hi;
}

// log(1 + f) for f in [sqrt(2)/2 - 1, sqrt(2) - 1], via s = f / (2 + f): log(1 + f) = 2 atanh(s)
// = 2s + s R(s^2) and 2s = f - s f, so log(1 + f) = f - s (f - R) with f exact and the correction
// small. R(z) = 2z/3 + 2z^2/5 + ... + 2z^5/11 (|s| < 0.172, truncation below 0.05 ulp), by
// Horner's rule with FMAs.
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Real log1p_reduced(Real f) {
  const Real s = f / (2.0f + f);
  const Real z = s * s;
  Real r = 2.0f / 11.0f;
  r = fma_f(r, z, 2.0f / 9.0f);
  r = fma_f(r, z, 2.0f / 7.0f);
  r = fma_f(r, z, 2.0f / 5.0f);
  r = fma_f(r, z, 2.0f / 3.0f);
  r = r * z;
  return fma_f(s, r - f, f);
}

// The last step of log1p: k ln 2 + c + log(1 + f), with c the rounding correction of 1 + x.
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Real log1p_combine(Real fk, Real c, Real f) {
  return fk * kExpLn2Hi + ((fk * kExpLn2Lo + c) + log1p_reduced(f));
}

// log(1 + x). Near 0 the argument itself is the reduced one (no rounding of 1 + x); elsewhere
// u = 1 + x = 2^k m with m in [sqrt(2)/2, sqrt(2)), and the rounding of 1 + x is corrected by
// (x - (u - 1)) / u.
SYMBREAK_HD inline float log1p_f(float x) {
  if (x != x) return x;
  if (x < -1.0f) return 0.0f / 0.0f;
  if (x == -1.0f) return -1.0f / 0.0f;
  if (x > 3.4028234e38f) return x;  // +inf
  if (x > -0.29289323f && x < 0.41421357f) return log1p_reduced(x);
  const float u = 1.0f + x;
  const float c = (u > 2.0f ? 1.0f - (u - x) : x - (u - 1.0f)) / u;
  const std::uint32_t bits = float_bits(u);
  int k = static_cast<int>(bits >> 23) - 127;
  std::uint32_t mantissa = (bits & 0x007fffffu) | 0x3f800000u;  // m in [1, 2)
  if (mantissa > 0x3fb504f3u) {                                 // m > sqrt(2)
    mantissa -= 0x00800000u;                                    // m / 2
    ++k;
  }
  return log1p_combine(static_cast<float>(k), c, float_from_bits(mantissa) - 1.0f);
}

// 2^n from s = k + kRoundShifter, where adding the shifter rounded k to the nearest integer n and
// left n in the low bits of s (for |k| < 2^22): exactly 2^n for -126 <= n <= 127, and no
// float-to-int conversion, whose NaN and overflow behaviour differs between x86 and the GPU.
inline constexpr float kRoundShifter = 12582912.0f;  // 1.5 * 2^23

SYMBREAK_HD inline float exp2_from_shifter(float s) {
  return float_from_bits((float_bits(s) + 127u) << 23);
}

// tanh a for 0 <= a <= 9 (and NaN), branch-free: (1 - e) / (1 + e) with e = e^(-2a) as a pair
// (exp_reduced, scaled by 2^n), numerator and denominator as pairs (Fast2Sum: 1 >= e) and one
// pair division. The pair keeps 1 - e accurate down to a = 0 (e's rounding error would otherwise
// be all of it), so small arguments need no series of their own, and a pack of lanes computes one
// formula, not two branches. Subnormal a come out as a exactly. Beyond 9 the pieces are
// meaningless (callers select 1 there: tanh 9 is within an ulp of 1).
template <class Real>
SYMBREAK_HD SYMBREAK_MATH_INLINE Real tanh_nonnegative(Real a) {
  const Real x = -2.0f * a;  // exact
  const Real shifted = x * kExpInvLn2 + kRoundShifter;
  const Real fn = shifted - kRoundShifter;  // n = round(x / ln 2), |n| <= 26
  const Pair<Real> r = exp_reduced(x, fn);
  const Real scale = exp2_from_shifter(shifted);
  const Real e = r.hi * scale, e_lo = r.lo * scale;
  const Real d = 1.0f - e, d_lo = ((1.0f - d) - e) - e_lo;  // 1 - e exactly (Fast2Sum)
  // Renormalised (Fast2Sum again, |d| >= |d_lo| or d = 0): for small a, d_lo is as large as d,
  // and divide_pairs' first quotient must be within an ulp.
  const Real num = d + d_lo;
  const Pair<Real> numerator{num, d_lo - (num - d)};
  return divide_pairs(numerator, one_plus(Pair<Real>{e, e_lo}));
}

// tanh x: tanh_nonnegative of |x| up to 9, 1 beyond (tanh 9 is 1 - 3e-8, within an ulp), then
// the sign of x put back, so that tanh is exactly odd (measured: see docs/method.md §13).
SYMBREAK_HD inline float tanh_f(float x) {
  const float a = abs_f(x);
  const float t = a > 9.0f ? 1.0f : tanh_nonnegative(a);  // NaN stays NaN
  return float_from_bits(float_bits(t) | (float_bits(x) & 0x80000000u));
}

// 1 / (1 + e^-z) through e = e^-|z|: 1 / (1 + e) for z >= 0 and e / (1 + e) below, which keeps
// tiny results (down to subnormals) accurate; one exp and one division for both signs, the
// numerator selected. Numerator and denominator are carried as pairs and divided with one
// effective rounding: a plain e / (1 + e) would add roundings worth up to 2.2 ulp.
SYMBREAK_HD inline float logistic_f(float z) {
  const FloatPair e = exp_pair(-abs_f(z));  // NaN stays NaN
  return divide_pairs(z >= 0.0f ? FloatPair{1.0f, 0.0f} : e, one_plus(e));
}

}  // namespace symbreak
