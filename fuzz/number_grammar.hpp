// The number grammar the options accept, written independently of host/number_parse.cpp so that
// the fuzz targets can check every number the parsers accept against it: an optional sign, digits
// with at most one '.', an optional exponent (decimal numbers); an optional sign and digits
// (integers).
#pragma once

#include <cctype>
#include <string_view>

namespace symbreak::fuzz {

inline bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

inline std::string_view skip_sign(std::string_view s) {
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  return s;
}

inline bool is_integer_text(std::string_view s) {
  s = skip_sign(s);
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// A --width item: an integer, or per-layer sizes joined by 'x' (or 'X') such as 10x5.
inline bool is_width_text(std::string_view s) {
  while (true) {
    const std::size_t x = s.find_first_of("xX");
    if (!is_integer_text(s.substr(0, x))) return false;
    if (x == std::string_view::npos) return true;
    s.remove_prefix(x + 1);
  }
}

inline bool is_decimal_text(std::string_view s) {
  s = skip_sign(s);
  std::size_t i = 0;
  std::size_t digits = 0;
  for (; i < s.size() && is_digit(s[i]); ++i)
    ++digits;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && is_digit(s[i]); ++i)
      ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::string_view exponent = s.substr(i + 1);
    return is_integer_text(exponent);
  }
  return i == s.size();
}

}  // namespace symbreak::fuzz
