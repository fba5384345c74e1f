// The CSV files of docs/method.md §8: one row per configuration (--out), per network (--networks),
// per configuration and traced epoch (--trace) and per kept network's final parameters
// (--params). Column names are a stable interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/engines/network_result.hpp"
#include "host/report/stats.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

// The stable columns of docs/method.md §8.1, in their order, followed by symbreak's extra columns.
const std::vector<std::string_view>& config_csv_columns();
std::string config_csv_header();
// `kernel`: which kernel of the engine trained the configuration (Engine::kernel_for).
std::string config_csv_row(const SweepPlan& plan, const Config& config,
                           const ConfigSummary& summary, std::string_view engine,
                           std::string_view kernel = {});

// What a configuration's --out and --trace rows say besides its aggregates, already formatted:
// built from the plan by the sweep, and kept in a part's pieces file for `merge`, which has no plan
// (host/report/config_pieces.hpp), so that both format a row with the same code.
struct ConfigRowKey {
  std::string leading;   // the leading configuration columns, joined by commas
  std::string trailing;  // the breakers' columns (docs/method.md §4.1), joined by commas
  std::string engine, kernel, seed, tol;  // as CSV fields
};
ConfigRowKey config_row_key(const SweepPlan& plan, const Config& config, std::string_view engine,
                            std::string_view kernel);
std::string config_csv_row(const ConfigRowKey& key, const ConfigSummary& summary);

std::string network_csv_header(bool traced);
std::string network_csv_row(const SweepPlan& plan, WorkItem item, const NetworkResult& result,
                            std::string_view engine, bool traced);

// --params (docs/method.md §8.4): one row per network that kept its final parameters.
std::string params_csv_header();
std::string params_csv_row(const SweepPlan& plan, WorkItem item, const NetworkResult& result,
                           std::string_view engine);

std::string trace_csv_header();
std::string trace_csv_row(const SweepPlan& plan, const Config& config, const TraceRow& row,
                          std::string_view engine);
std::string trace_csv_row(const ConfigRowKey& key, const TraceRow& row);

// Shortest text that reads back as the same double (std::to_chars); empty for nullopt.
std::string format_number(double value);
std::string format_number(std::optional<double> value);

}  // namespace symbreak
