// Parsing and writing of per-layer widths ("10x5").
#include "host/config/width_choice.hpp"

#include <algorithm>

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"
#include "kernels/network_shape.cuh"

namespace symbreak {

WidthChoice::WidthChoice(std::vector<int> sizes)
    : width(*std::max_element(sizes.begin(), sizes.end())), layers(std::move(sizes)) {}

std::string width_text(int width, const std::vector<int>& layers) {
  if (layers.empty()) return std::to_string(width);
  std::string text;
  for (const int h : layers)
    text.append(text.empty() ? "" : "x").append(std::to_string(h));
  return text;
}

std::optional<WidthChoice> parse_listed_widths(std::string_view option, std::string_view item,
                                               int max_width) {
  if (item.find_first_of("xX") == std::string_view::npos) return std::nullopt;
  const auto refuse = [&](const std::string& why) {
    throw UsageError(std::string(option) + ": '" + std::string(item) + "' is not accepted: " + why +
                     "; expected per-layer sizes H1xH2x...xHL (e.g. 10x5: 2 to " +
                     std::to_string(kMaxListedLayers) + " hidden layers, each 1 to " +
                     std::to_string(max_width) + " neurons)");
  };
  std::vector<int> sizes;
  std::size_t start = 0;
  while (true) {
    const std::size_t x = item.find_first_of("xX", start);
    const std::string_view part = item.substr(start, x == std::string_view::npos ? x : x - start);
    const auto size = parse_integer(part, 1, max_width);
    if (!size) {
      std::string why = "'";
      why.append(part).append("' is not a layer size");  // append: GCC 12 warns on + here
      refuse(why);
    }
    if (static_cast<int>(sizes.size()) == kMaxListedLayers) {
      refuse("it lists more than " + std::to_string(kMaxListedLayers) + " layers");
    }
    sizes.push_back(static_cast<int>(*size));
    if (x == std::string_view::npos) break;
    start = x + 1;
  }
  return WidthChoice(std::move(sizes));
}

}  // namespace symbreak
