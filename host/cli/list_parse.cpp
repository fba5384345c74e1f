// Splitting and number checks for list-valued options.
#include "host/cli/list_parse.hpp"

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak::cli {

std::vector<std::string> split_list(std::string_view option, std::string_view text) {
  if (text.empty())
    throw UsageError(std::string(option) + ": empty value; expected a comma-separated list");
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? comma : comma - start);
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
