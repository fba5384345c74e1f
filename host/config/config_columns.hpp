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

// True for a breaker column (optimizer ... grad_noise) holding its default, plain SGD's value:
// what a summary leaves unsaid.
bool is_plain_default(const ConfigColumn& column, const std::string& value);

// The optimiser and regularisers of a configuration as a person names them: "Adam",
// "dropout 0.5", "RMSprop with weight decay 0.01 and gradient noise 0.1", or "plain SGD".
std::string breaker_name(const Config& config);

// The columns whose value differs between configurations of the plan.
std::vector<ConfigColumn> varying_columns(const SweepPlan& plan);

}  // namespace symbreak
