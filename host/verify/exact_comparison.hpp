// verify --exact: a float engine against the cpu engine, network by network, bit for bit — the
// final parameters (through their fingerprint), loss, accuracy, epoch_solved, every D_l and every
// verdict. The GPU kernels and the cpu engine run the same code with the same float arithmetic
// (docs/method.md §13), so any difference is a defect, not noise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/engines/network_result.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

struct ExactMismatch {
  std::int64_t item = 0;  // index into the compared items
  std::string what;       // the first field that differs, with both values
};

struct ExactReport {
  std::int64_t n = 0;
  std::int64_t mismatch_count = 0;
  std::vector<ExactMismatch> first;  // the first few mismatches, for the message
  bool passed() const { return n > 0 && mismatch_count == 0; }
};

// The first field in which a and b differ, or "" when they are identical.
std::string first_difference(const NetworkResult& a, const NetworkResult& b);

ExactReport compare_exactly(const std::vector<NetworkResult>& engine,
                            const std::vector<NetworkResult>& cpu);

std::string format_exact_comparison(const SweepPlan& plan, const std::vector<WorkItem>& items,
                                    const ExactReport& report, std::string_view engine);

}  // namespace symbreak
