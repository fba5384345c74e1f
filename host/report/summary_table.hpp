// The table `symbreak sweep` prints on stdout: one line per configuration with the columns that
// vary, and the settings they share in a heading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/report/stats.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

struct ConfigOutcome {
  std::int64_t config = 0;  // index into plan.configs
  ConfigSummary summary;
};

// `kernels[i]`: the kernel that trained rows[i] (empty or "reference" for cpu-ref: not shown).
std::string format_summary_table(const SweepPlan& plan, const std::vector<ConfigOutcome>& rows,
                                 std::string_view engine, const std::vector<std::string>& kernels);

// "97.3%" style percentage with one decimal.
std::string percent(double fraction);

}  // namespace symbreak
