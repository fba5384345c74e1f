// Comma-separated option values ("4,8,16") split and checked item by item, so that every error
// names the option, the offending item and what is accepted.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/config/usage_error.hpp"

namespace symbreak::cli {

// Splits on commas; throws UsageError for an empty list or an empty item ("4,,8").
std::vector<std::string> split_list(std::string_view option, std::string_view text);

// Integers in [min, max]; `accepted` describes the range for messages, e.g. "integers >= 1".
std::vector<int> parse_int_list(std::string_view option, std::string_view text, long long min,
                                long long max, std::string_view accepted);

// Finite doubles satisfying `valid`; `accepted` describes them, e.g. "numbers > 0".
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
