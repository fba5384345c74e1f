// Strict parsing of one number from a command-line token: the whole token must be the number.
#pragma once

#include <cmath>
#include <optional>
#include <string_view>

namespace symbreak {

// A finite double written in full (no trailing characters, no inf/nan), or nothing.
std::optional<double> parse_finite_double(std::string_view text);

// A decimal integer in [min, max] written in full, or nothing.
std::optional<long long> parse_integer(std::string_view text, long long min, long long max);

// True when `value` rounds to a finite float: the float engines (cpu, cuda, cublas) store
// parameters and the learning rate as float, so a value beyond float's range (about 3.4e38 in
// magnitude) would become infinite there while cpu-ref computes with it in double.
inline bool fits_float(double value) {
  // FLT_MAX plus half an ulp: from there on, round-to-nearest gives infinity (and converting such
  // a double to float is undefined behaviour in C++).
  constexpr double kFloatOverflow = 0x1.ffffffp+127;
  return std::abs(value) < kFloatOverflow;
}
// Float's range, for messages.
inline constexpr std::string_view kFloatRange = "-3.4e38 ... 3.4e38";

}  // namespace symbreak
