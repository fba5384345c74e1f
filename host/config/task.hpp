// Tasks of docs/method.md §1: the built-in Boolean tasks xor, and, or, parity:N (sample s has
// input j = (s >> j) & 1), and the data tasks of §1.1 (data_tasks.hpp), which add a test set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace symbreak {

struct Task {
  std::string name;            // as written on the command line, e.g. "parity:3"
  int inputs = 0;              // d
  int samples = 0;             // n, the training set
  std::vector<double> x;       // [sample][input], row-major
  std::vector<double> target;  // [sample], 0.0 or 1.0
  // The held-out test set of a data task (docs/method.md §1.1); test_samples = 0 when none.
  int test_samples = 0;
  std::vector<double> test_x;       // [sample][input], row-major
  std::vector<double> test_target;  // [sample]

  bool has_test_set() const { return test_samples > 0; }
};

// Throws UsageError naming the value and the accepted names; a bad data file is named with its
// line and column. `data_seed` keys the noise of the generated data tasks.
Task make_task(std::string_view name, std::uint32_t data_seed = 0);

// Checks a task name (and a data task's parameters) without reading any file.
void check_task_name(std::string_view name);

inline constexpr int kMaxParityBits = 12;

}  // namespace symbreak
