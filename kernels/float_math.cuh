// The transcendental functions of training (exp, log1p, tanh, the logistic function), written
// once for the GPU kernels and the cpu engine alike, from correctly rounded float operations only
// (+, -, *, / and exact bit manipulation): IEEE 754 defines those bit for bit, so both sides
// compute identical results, whereas CUDA's expf/tanhf and glibc's differ in the last bits
// (docs/method.md §13). Accurate to at most 2 ulp over float's range; tests/kernels/
// test_float_math.cpp measures every function against double references.
//
// No FMA is written anywhere here, and the build forbids the compilers to contract a * b + c on
// their own (nvcc -fmad=false, g++ -ffp-contract=off), so the sequence of roundings is the one
// written. Branches depend only on the argument, so equal arguments take equal paths.
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

// a * b exactly, as hi + lo, from plain multiplications (Dekker's product with Veltkamp's split;
// exact unless the product overflows or underflows).
template <class Real>
SYMBREAK_HD inline Pair<Real> exact_product(Real a, Real b) {
  constexpr float kSplit = 4097.0f;  // 2^12 + 1 splits a float's 24 bits into 12 + 12
  const Real ca = kSplit * a, cb = kSplit * b;
  const Real ah = ca - (ca - a), al = a - ah;
  const Real bh = cb - (cb - b), bl = b - bh;
  const Real p = a * b;
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

// (n.hi + n.lo) / (d.hi + d.lo), rounded once in effect: a first quotient from the reciprocal,
// its remainder computed exactly, and the remainder's (tiny) share folded back. One division.
template <class Real>
SYMBREAK_HD inline Real divide_pairs(Pair<Real> n, Pair<Real> d) {
  const Real inverse = 1.0f / d.hi;
  const Real q = n.hi * inverse;
  const Pair<Real> qd = exact_product(q, d.hi);
  const Real remainder = (((n.hi - qd.hi) - qd.lo) + n.lo) - q * d.lo;
  return q + remainder * inverse;
}

// 1 + e as a pair, for 0 <= e <= 1 given as a pair (Fast2Sum: |1| >= |e.hi|).
template <class Real>
SYMBREAK_HD inline Pair<Real> one_plus(Pair<Real> e) {
  const Real s = 1.0f + e.hi;
  return {s, ((1.0f - s) + e.hi) + e.lo};
}

// e^x as a pair. Range reduction x = n ln2 + r, |r| <= ln2/2, with ln2 split in two (Cody and
// Waite) so that hi = x - n * kLn2Hi is exact and r = hi - lo. On the reduced range
// e^r = 1 + r + r c / (2 - c) with c = r - r^2 P(r^2), where P is the Taylor series of
// (r coth(r/2) - 2) / r^2 (terms to r^8, truncation below 1e-10); 1 + hi is summed with its
// rounding error kept, so that the pair carries e^r to far better than an ulp. Then the pair is
// scaled by 2^n through the exponent bits.
inline constexpr float kExpLn2Hi = 0.693145751953125f;       // ln 2 to 16 bits
inline constexpr float kExpLn2Lo = 1.42860682030941723e-6f;  // ln 2 - kExpLn2Hi
inline constexpr float kExpInvLn2 = 1.44269504088896341f;

// e^r as a pair (before the scaling by 2^n), from x and fn = n as a float.
template <class Real>
SYMBREAK_HD inline Pair<Real> exp_reduced(Real x, Real fn) {
  const Real hi = x - fn * kExpLn2Hi;
  const Real lo = fn * kExpLn2Lo;
  const Real r = hi - lo;
  const Real z = r * r;
  Real p = 1.0f / 23950080.0f;
  p = p * z + -1.0f / 604800.0f;
  p = p * z + 1.0f / 15120.0f;
  p = p * z + -1.0f / 360.0f;
  p = p * z + 1.0f / 6.0f;
  const Real c = r - z * p;
  const Real t = (r * c) / (2.0f - c) - lo;  // e^r - 1 - hi, small
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
// small. R(z) = 2z/3 + 2z^2/5 + ... + 2z^5/11 (|s| < 0.172, truncation below 0.05 ulp).
template <class Real>
SYMBREAK_HD inline Real log1p_reduced(Real f) {
  const Real s = f / (2.0f + f);
  const Real z = s * s;
  Real r = 2.0f / 11.0f;
  r = r * z + 2.0f / 9.0f;
  r = r * z + 2.0f / 7.0f;
  r = r * z + 2.0f / 5.0f;
  r = r * z + 2.0f / 3.0f;
  r = r * z;
  return f - s * (f - r);
}

// The last step of log1p: k ln 2 + c + log(1 + f), with c the rounding correction of 1 + x.
template <class Real>
SYMBREAK_HD inline Real log1p_combine(Real fk, Real c, Real f) {
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

// tanh x for |x| < 0.55: x + x^3 P(x^2) from the Taylor series (terms to x^19, truncation below
// 0.02 ulp).
template <class Real>
SYMBREAK_HD inline Real tanh_small(Real x) {
  const Real z = x * x;
  Real p = -443861162.0f / 1856156927625.0f;
  p = p * z + 6404582.0f / 10854718875.0f;
  p = p * z + -929569.0f / 638512875.0f;
  p = p * z + 21844.0f / 6081075.0f;
  p = p * z + -1382.0f / 155925.0f;
  p = p * z + 62.0f / 2835.0f;
  p = p * z + -17.0f / 315.0f;
  p = p * z + 2.0f / 15.0f;
  p = p * z + -1.0f / 3.0f;
  return x + x * (z * p);
}

// tanh |x| from e = e^(-2|x|).
template <class Real>
SYMBREAK_HD inline Real tanh_from_exp(Real e) {
  return (1.0f - e) / (1.0f + e);
}

// tanh x. |x| < 0.55: tanh_small; up to 9: (1 - e) / (1 + e) with e = e^(-2|x|) <= 1/3, so no
// cancellation (measured: 1.5 ulp; carrying e as a pair would reach 0.8 ulp at twice the cost, and
// tanh runs for every hidden neuron and sample; a single formula m / (m + 2) with m = e^(2|x|) - 1
// loses an ulp in m + 2 for small x); beyond 9, +-1 (tanh 9 rounds to 1 in float).
SYMBREAK_HD inline float tanh_f(float x) {
  const float a = abs_f(x);
  float t;
  if (a < 0.000244140625f) return x;  // below 2^-12 tanh x rounds to x (and -0 stays -0)
  if (a < 0.55f) return tanh_small(x);
  if (a > 9.0f) {
    t = 1.0f;
  } else {
    t = tanh_from_exp(exp_f(-2.0f * a));  // NaN stays NaN here
  }
  return float_bits(x) >> 31 ? -t : t;
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
