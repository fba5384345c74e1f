// Plain-text tables for the terminal: every column as wide as its widest cell, the first
// `left_columns` aligned left (names), the rest right (numbers).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace symbreak {

std::string format_text_table(const std::vector<std::vector<std::string>>& rows,
                              std::size_t left_columns);

}  // namespace symbreak
