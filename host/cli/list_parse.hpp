// Comma-separated option values ("4,8,16") split and checked item by item, so that every error
// names the option, the offending item and what is accepted.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/config/usage_error.hpp"

namespace symbreak::cli {

// Splits on commas, dropping spaces around items ("4, 8"); throws UsageError for an empty list or
// an empty item ("4,,8").
std::vector<std::string> split_list(std::string_view option, std::string_view text);

// The values of a range item, or nothing when `item` is no range (has no ".."):
//   A..B:N     N values evenly spaced from A to B        0..0.9:4   -> 0, 0.3, 0.6, 0.9
//   A..B:logN  N values log-spaced from A to B (A > 0)   1e-3..1:log4 -> 0.001, 0.01, 0.1, 1
//   A..B:xF    A, A*F, A*F*F, ... while <= B (F > 1)      4..64:x2   -> 4, 8, 16, 32, 64
//   A..B       A, A+1, ..., B (integers only)
// Throws UsageError naming the option and the item for a malformed range, or one giving
// non-integers when `integers`.
std::optional<std::vector<double>> expand_range(std::string_view option, std::string_view item,
                                                bool integers);

// Integers in [min, max], or ranges of them; `accepted` describes the range for messages, e.g.
// "integers >= 1".
std::vector<int> parse_int_list(std::string_view option, std::string_view text, long long min,
                                long long max, std::string_view accepted);

// Finite doubles satisfying `valid`, or ranges of them; `accepted` describes them, e.g. "numbers >
// 0".
std::vector<double> parse_double_list(std::string_view option, std::string_view text,
                                      const std::function<bool(double)>& valid,
                                      std::string_view accepted);

// Applies `parse` to every item, prefixing its UsageError with the option name.
template <class T, class Parse>
std::vector<T> parse_named_list(std::string_view option, std::string_view text, Parse parse) {
  std::vector<T> values;
  for (const std::string& item : split_list(option, text)) {
    try {
      values.push_back(parse(item));
    } catch (const UsageError& e) {
      throw UsageError(std::string(option) + ": " + e.what());
    }
  }
  return values;
}

}  // namespace symbreak::cli
