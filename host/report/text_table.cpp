// Column alignment for the sweep table and the verify report.
#include "host/report/text_table.hpp"

#include <algorithm>

namespace symbreak {

std::string format_text_table(const std::vector<std::vector<std::string>>& rows,
                              std::size_t left_columns) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t k = 0; k < row.size(); ++k)
      widths[k] = std::max(widths[k], row[k].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t k = 0; k < row.size(); ++k) {
      const std::string pad(widths[k] - row[k].size(), ' ');
      line += k < left_columns ? row[k] + pad : pad + row[k];
      if (k + 1 < row.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace symbreak
