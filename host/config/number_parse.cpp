// Strict number parsing with std::from_chars: locale-free and exact about what it accepts.
#include "host/config/number_parse.hpp"

#include <charconv>
#include <cmath>

namespace symbreak {
namespace {

// from_chars reads a leading '-' but not '+': drop one '+', but not the '+' of "+-1" (false).
bool drop_plus(std::string_view& text) {
  if (text.empty() || text.front() != '+') return true;
  text.remove_prefix(1);
  return text.empty() || text.front() != '-';
}

}  // namespace

std::optional<double> parse_finite_double(std::string_view text) {
  if (!drop_plus(text)) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<long long> parse_integer(std::string_view text, long long min, long long max) {
  if (!drop_plus(text)) return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace symbreak
