// Plain-text table layout: columns sized to their widest cell.
#include "host/report/summary_table.hpp"

#include <algorithm>
#include <cstdio>

#include "host/config/config_columns.hpp"
#include "host/report/text_table.hpp"

namespace symbreak {
namespace {

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string rate_with_interval(const Rate& r) {
  return percent(r.rate) + " [" + fixed(100.0 * r.ci.lo, 1) + "," + fixed(100.0 * r.ci.hi, 1) + "]";
}

std::string short_number(double value);

std::string shared_settings(const SweepPlan& plan, const std::vector<ConfigColumn>& varying,
                            std::string_view engine) {
  std::string line;
  for (const ConfigColumn& column : config_columns()) {
    const bool varies = std::any_of(varying.begin(), varying.end(),
                                    [&](const ConfigColumn& v) { return v.name == column.name; });
    if (varies || plan.configs.empty()) continue;
    const std::string value = column.value(plan, plan.configs.front());
    if (is_plain_default(column, value)) continue;  // plain SGD goes without saying
    line += std::string(column.name) + " " + value + ", ";
  }
  // Replicates, global seed and tolerance: what it takes to reproduce a saved table.
  return line + "replicates " + std::to_string(plan.run.seeds) + ", seed " +
         std::to_string(plan.run.seed) + ", tol " + short_number(plan.run.tol) + ", engine " +
         std::string(engine);
}

// 1e-6 rather than 1e-06.
std::string short_number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  std::string text = buffer;
  for (const char* sign : {"e-0", "e+0"}) {
    if (const std::size_t at = text.find(sign); at != std::string::npos) text.erase(at + 2, 1);
  }
  return text;
}

// The effective width fraction with two decimals, or two significant digits below 0.01 (1/256 is
// 0.0039, not 0.00).
std::string width_fraction(double value) {
  if (value == 0.0 || value >= 0.01) return fixed(value, 2);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2g", value);
  return buffer;
}

}  // namespace

std::string percent(double fraction) {
  return fixed(100.0 * fraction, 1) + "%";
}

std::string format_summary_table(const SweepPlan& plan, const std::vector<ConfigOutcome>& rows,
                                 std::string_view engine, const std::vector<std::string>& kernels) {
  if (rows.empty()) return "No configuration was completed.\n";
  std::vector<ConfigColumn> varying = varying_columns(plan);
  // The kernel is shown where the engine has several; one kernel for all goes in the heading.
  const bool show_kernel = !kernels.empty() && kernels.front() != "reference" &&
                           std::any_of(kernels.begin(), kernels.end(),
                                       [&](const std::string& k) { return k != kernels.front(); });
  std::string heading = shared_settings(plan, varying, engine);
  if (!kernels.empty() && !show_kernel && kernels.front() != "reference") {
    heading += ", kernel " + kernels.front();
  }
  const bool any_diverged = std::any_of(rows.begin(), rows.end(), [](const ConfigOutcome& r) {
    return r.summary.diverged.rate > 0.0;
  });
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  for (const ConfigColumn& column : varying)
    header.emplace_back(column.name);
  if (show_kernel) header.emplace_back("kernel");
  for (const char* name : {"solved [95% CI]", "broken [95% CI]", "collapsed", "frozen"}) {
    header.emplace_back(name);
  }
  if (any_diverged) header.emplace_back("diverged");
  for (const char* name : {"eff_width", "median_epoch", "mean_loss"})
    header.emplace_back(name);
  // Data tasks: how well the networks classify their training and their test samples.
  const bool data_tasks = std::any_of(plan.tasks.begin(), plan.tasks.end(),
                                      [](const Task& t) { return t.has_test_set(); });
  if (data_tasks) {
    header.emplace_back("train_acc");
    header.emplace_back("test_acc");
    header.emplace_back("one_class");
  }
  cells.push_back(header);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Config& c = plan.configs[rows[r].config];
    const ConfigSummary& s = rows[r].summary;
    std::vector<std::string> line;
    for (const ConfigColumn& column : varying)
      line.push_back(column.value(plan, c));
    if (show_kernel) line.push_back(kernels[r]);
    line.push_back(rate_with_interval(s.solved));
    line.push_back(rate_with_interval(s.broken));
    line.push_back(percent(s.collapsed.rate));
    line.push_back(percent(s.frozen.rate));
    if (any_diverged) line.push_back(percent(s.diverged.rate));
    line.push_back(s.eff_width ? width_fraction(*s.eff_width) : "-");
    line.push_back(s.median_epoch_solved ? fixed(*s.median_epoch_solved, 0) : "-");
    line.push_back(s.mean_final_loss ? fixed(*s.mean_final_loss, 4) : "-");
    if (data_tasks) {
      line.push_back(s.mean_accuracy ? percent(*s.mean_accuracy) : "-");
      line.push_back(s.mean_test_accuracy ? percent(*s.mean_test_accuracy) : "-");
      line.push_back(s.single_class ? percent(s.single_class->rate) : "-");
    }
    cells.push_back(line);
  }
  return heading + "\n\n" + format_text_table(cells, varying.size() + (show_kernel ? 1 : 0));
}

}  // namespace symbreak
