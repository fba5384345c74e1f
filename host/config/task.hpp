// Built-in tasks of docs/method.md §1: xor, and, or, parity:N. Sample s has input j = (s >> j) & 1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace symbreak {

struct Task {
  std::string name;            // as written on the command line, e.g. "parity:3"
  int inputs = 0;              // d
  int samples = 0;             // n
  std::vector<double> x;       // [sample][input], row-major, values 0.0 or 1.0
  std::vector<double> target;  // [sample], 0.0 or 1.0
};

// Throws UsageError naming the value and the accepted names.
Task make_task(std::string_view name);

inline constexpr int kMaxParityBits = 12;

}  // namespace symbreak
