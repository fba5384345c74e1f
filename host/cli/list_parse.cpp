// Splitting, ranges and number checks for list-valued options.
#include "host/cli/list_parse.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak::cli {
namespace {

// More values than anyone sweeps over in one option; a typo such as 1..1e9 stops here.
constexpr long long kMaxRangeValues = 100000;

std::string_view trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// `value` to 15 significant digits: log and linear spacing land within an ulp of the decimal a
// person expects (0.01, not 0.009999999999999998), and tables and CSV files show that decimal.
double round_decimal(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.15g", value);
  return std::strtod(text, nullptr);
}

std::string shown(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

[[noreturn]] void bad_range(std::string_view option, std::string_view item, const char* why) {
  throw UsageError(std::string(option) + ": range '" + std::string(item) + "' is not accepted: " +
                   why + "; expected A..B:N (N values evenly spaced), A..B:logN (N values " +
                   "log-spaced), A..B:xF (A, A*F, A*F*F, ... up to B) or, for integers, A..B");
}

}  // namespace

std::optional<std::vector<double>> expand_range(std::string_view option, std::string_view item,
                                                bool integers) {
  const std::size_t dots = item.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  const std::size_t colon = item.find(':', dots);
  const auto a = parse_finite_double(trimmed(item.substr(0, dots)));
  const auto b = parse_finite_double(
      trimmed(item.substr(dots + 2, colon == std::string_view::npos ? colon : colon - dots - 2)));
  if (!a || !b) bad_range(option, item, "its ends must be numbers");
  if (*b < *a) bad_range(option, item, "its end is below its start");
  std::string_view step =
      colon == std::string_view::npos ? std::string_view() : trimmed(item.substr(colon + 1));
  std::vector<double> values;
  if (step.empty()) {
    if (colon != std::string_view::npos) bad_range(option, item, "nothing follows ':'");
    if (!integers) bad_range(option, item, "a range of real numbers needs :N, :logN or :xF");
    if (*a != std::floor(*a) || *b != std::floor(*b))
      bad_range(option, item, "A..B without a step needs integer ends");
    if (*b - *a >= kMaxRangeValues) bad_range(option, item, "it holds more than 100000 values");
    // Counted, not stepped: at 1e300, v + 1 is v.
    const auto count = static_cast<long long>(*b - *a) + 1;
    for (long long i = 0; i < count; ++i)
      values.push_back(*a + static_cast<double>(i));
  } else if (step.front() == 'x') {
    const auto factor = parse_finite_double(step.substr(1));
    if (!factor || !(*factor > 1.0)) bad_range(option, item, "the factor after x must be > 1");
    if (!(*a > 0.0)) bad_range(option, item, "a range by factor needs a start > 0");
    for (double v = *a; v <= *b * (1.0 + 1e-12); v = round_decimal(v * *factor)) {
      values.push_back(v);
      if (static_cast<long long>(values.size()) > kMaxRangeValues)
        bad_range(option, item, "it holds more than 100000 values");
    }
  } else {
    const bool log = step.starts_with("log");
    if (log) step.remove_prefix(3);
    const auto n = parse_integer(step, 2, kMaxRangeValues);
    if (!n) bad_range(option, item, "the count N must be an integer from 2 to 100000");
    if (log && !(*a > 0.0)) bad_range(option, item, "a log-spaced range needs a start > 0");
    for (long long i = 0; i < *n; ++i) {
      const double t = static_cast<double>(i) / static_cast<double>(*n - 1);
      const double v =
          log ? std::exp(std::log(*a) + t * (std::log(*b) - std::log(*a))) : *a + t * (*b - *a);
      values.push_back(i == 0 ? *a : i + 1 == *n ? *b : round_decimal(v));
    }
  }
  if (integers) {
    for (const double v : values) {
      if (v != std::floor(v)) bad_range(option, item, "it gives values that are not integers");
    }
  }
  return values;
}

std::vector<std::string> split_list(std::string_view option, std::string_view text) {
  if (text.empty())
    throw UsageError(std::string(option) + ": empty value; expected a comma-separated list");
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    // Spaces around an item are not part of it ("4, 8" is 4 and 8).
    const std::string_view item =
        trimmed(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (item.empty()) {
      std::string message(option);
      message.append(": empty item in '")
          .append(text)
          .append(
              "'; expected a comma-separated list "
              "without empty items");
      throw UsageError(message);
    }
    items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<int> parse_int_list(std::string_view option, std::string_view text, long long min,
                                long long max, std::string_view accepted) {
  std::vector<int> values;
  for (const std::string& item : split_list(option, text)) {
    if (const auto range = expand_range(option, item, true)) {
      for (const double v : *range) {
        if (v < static_cast<double>(min) || v > static_cast<double>(max)) {
          throw UsageError(std::string(option) + ": range '" + item + "' gives " + shown(v) +
                           ", not accepted; expected " + std::string(accepted));
        }
        values.push_back(static_cast<int>(v));
      }
      continue;
    }
    const auto value = parse_integer(item, min, max);
    if (!value) {
      throw UsageError(std::string(option) + ": '" + item + "' is not accepted; expected " +
                       std::string(accepted));
    }
    values.push_back(static_cast<int>(*value));
  }
  return values;
}

std::vector<double> parse_double_list(std::string_view option, std::string_view text,
                                      const std::function<bool(double)>& valid,
                                      std::string_view accepted) {
  std::vector<double> values;
  for (const std::string& item : split_list(option, text)) {
    if (const auto range = expand_range(option, item, false)) {
      for (const double v : *range) {
        if (!valid(v)) {
          throw UsageError(std::string(option) + ": range '" + item + "' gives " + shown(v) +
                           ", not accepted; expected " + std::string(accepted));
        }
        values.push_back(v);
      }
      continue;
    }
    const auto value = parse_finite_double(item);
    if (!value || !valid(*value)) {
      throw UsageError(std::string(option) + ": '" + item + "' is not accepted; expected " +
                       std::string(accepted));
    }
    values.push_back(*value);
  }
  return values;
}

}  // namespace symbreak::cli
