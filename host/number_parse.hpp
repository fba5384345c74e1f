// Strict parsing of one number from a command-line token: the whole token must be the number.
#pragma once

#include <optional>
#include <string_view>

namespace symbreak {

// A finite double written in full (no trailing characters, no inf/nan), or nothing.
std::optional<double> parse_finite_double(std::string_view text);

// A decimal integer in [min, max] written in full, or nothing.
std::optional<long long> parse_integer(std::string_view text, long long min, long long max);

}  // namespace symbreak
