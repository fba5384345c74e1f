// The columns that identify a configuration (task ... epochs, then optimizer ... grad_noise), as
// text, for the CSV files, the table and the reading: one definition of how a configuration is
// named.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

struct ConfigColumn {
  std::string_view name;                                  // CSV column name
  std::string (*value)(const SweepPlan&, const Config&);  // as written on the command line
};

// task, depth, width, activation, init, bias_init, loss, lr, momentum, batch, epochs, then
// optimizer, weight_decay, dropout, grad_noise (docs/method.md §4.1).
const std::vector<ConfigColumn>& config_columns();

// The first 11 lead every CSV row; the breakers' 4 came later and are appended at the end of each
// row (docs/method.md §8.1: later columns never go between earlier ones).
inline constexpr std::size_t kLeadingConfigColumns = 11;

// The columns whose value differs between configurations of the plan.
std::vector<ConfigColumn> varying_columns(const SweepPlan& plan);

}  // namespace symbreak
