// Data tasks of docs/method.md §1.1: real-valued inputs with a training and a test set, either
// generated (circles, moons, spiral after scikit-learn's geometry, noise from Philox keyed by the
// data seed) or read from the user's CSV files.
#pragma once

#include <cstdint>
#include <string_view>

#include "host/config/task.hpp"

namespace symbreak {

// The largest training set and input count a data task may have.
inline constexpr int kMaxDataSamples = 1'000'000;
inline constexpr int kMaxDataInputs = 1024;

// True for names of the form circles..., moons..., spiral... or csv:... (valid or not).
bool is_data_task_name(std::string_view name);

// Checks a data task's name and parameters without reading any file. Throws UsageError naming the
// value and what is accepted.
void check_data_task_name(std::string_view name);

// Builds the task: generates its sets from `data_seed`, or reads its CSV files. Throws UsageError
// for a bad name, and for a bad file with the file, line and column.
Task make_data_task(std::string_view name, std::uint32_t data_seed);

}  // namespace symbreak
