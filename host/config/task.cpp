// Builds the input and target tables of the built-in tasks.
#include "host/config/task.hpp"

#include <charconv>
#include <string>

#include "host/config/data_tasks.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

int popcount_bits(int s) {
  int ones = 0;
  for (; s != 0; s &= s - 1)
    ++ones;
  return ones;
}

double target_of(std::string_view kind, int s) {
  const int x1 = s & 1;
  const int x2 = (s >> 1) & 1;
  if (kind == "xor") return x1 ^ x2;
  if (kind == "and") return x1 & x2;
  if (kind == "or") return x1 | x2;
  return popcount_bits(s) % 2;  // parity
}

[[noreturn]] void reject(std::string_view name) {
  throw UsageError(
      "unknown task '" + std::string(name) +
      "'; accepted: xor, and, or, parity:N with 1 <= N <= " + std::to_string(kMaxParityBits) +
      ", circles[:n[:noise[:factor]]], moons[:n[:noise]], spiral[:n[:noise]], csv:TRAIN[:TEST]");
}

}  // namespace

void check_task_name(std::string_view name) {
  if (is_data_task_name(name)) {
    check_data_task_name(name);
  } else {
    make_task(name);
  }
}

Task make_task(std::string_view name, std::uint32_t data_seed) {
  if (is_data_task_name(name)) return make_data_task(name, data_seed);
  int inputs = 2;
  std::string_view kind = name;
  if (name.starts_with("parity:")) {
    const std::string_view digits = name.substr(7);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inputs);
    if (ec != std::errc() || end != digits.data() + digits.size() || inputs < 1 ||
        inputs > kMaxParityBits) {
      reject(name);
    }
    kind = "parity";
  } else if (name != "xor" && name != "and" && name != "or") {
    reject(name);
  }
  Task task;
  task.name = std::string(name);
  task.inputs = inputs;
  task.samples = 1 << inputs;
  task.x.resize(static_cast<std::size_t>(task.samples) * inputs);
  task.target.resize(task.samples);
  for (int s = 0; s < task.samples; ++s) {
    for (int j = 0; j < inputs; ++j)
      task.x[static_cast<std::size_t>(s) * inputs + j] = (s >> j) & 1;
    task.target[s] = target_of(kind, s);
  }
  return task;
}

}  // namespace symbreak
