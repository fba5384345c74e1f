// A value of --width (docs/method.md §2): one size H for every hidden layer, the depth coming from
// --depth, or the hidden layers' own sizes H1xH2x...xHL, which fix the depth to L.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace symbreak {

struct WidthChoice {
  int width = 4;            // every hidden layer's size; with listed sizes the widest of them
  std::vector<int> layers;  // H_1 ... H_L (two or more) when listed; empty for a uniform width

  WidthChoice() = default;
  WidthChoice(int uniform) : width(uniform) {}  // NOLINT(google-explicit-constructor): --width 4
  explicit WidthChoice(std::vector<int> sizes);

  bool listed() const { return !layers.empty(); }
  bool operator==(const WidthChoice&) const = default;
};

// How a width is written in tables and CSV files: "4", or "10x5" for listed sizes.
std::string width_text(int width, const std::vector<int>& layers);

// "H1xH2x...xHL" with 2 ... kMaxListedLayers sizes, each in [1, max_width]; nothing when `item`
// holds no 'x' (a plain width). Throws UsageError naming `option` and the item when malformed.
std::optional<WidthChoice> parse_listed_widths(std::string_view option, std::string_view item,
                                               int max_width);

}  // namespace symbreak
