// A short plain-language reading of a sweep's table: for each init scheme, whether symmetry
// broke, whether weights froze and how often the task was learned. Every sentence is derived from
// the measured rates; nothing is assumed.
#pragma once

#include <string>
#include <vector>

#include "host/report/summary_table.hpp"

namespace symbreak {

std::string plain_language_reading(const SweepPlan& plan, const std::vector<ConfigOutcome>& rows);

}  // namespace symbreak
