// Text of each configuration column; numbers use the shortest exact form.
#include "host/config/config_columns.hpp"

#include <set>

#include "host/config/activation_loss_names.hpp"
#include "host/report/csv_writer.hpp"

namespace symbreak {

const std::vector<ConfigColumn>& config_columns() {
  static const std::vector<ConfigColumn> columns = {
      {"task", [](const SweepPlan& p, const Config& c) { return p.task_of(c).name; }},
      {"depth", [](const SweepPlan&, const Config& c) { return std::to_string(c.depth); }},
      {"width", [](const SweepPlan&, const Config& c) { return width_text(c); }},
      {"activation", [](const SweepPlan&,
                        const Config& c) { return std::string(activation_name(c.activation)); }},
      {"init", [](const SweepPlan&, const Config& c) { return c.init.text; }},
      {"bias_init", [](const SweepPlan&, const Config& c) { return c.bias.text; }},
      {"loss", [](const SweepPlan&, const Config& c) { return std::string(loss_name(c.loss)); }},
      {"lr", [](const SweepPlan&, const Config& c) { return format_number(c.lr); }},
      {"momentum", [](const SweepPlan&, const Config& c) { return format_number(c.momentum); }},
      {"batch", [](const SweepPlan&, const Config& c) { return std::to_string(c.batch); }},
      {"epochs", [](const SweepPlan& p, const Config&) { return std::to_string(p.run.epochs); }},
  };
  return columns;
}

std::vector<ConfigColumn> varying_columns(const SweepPlan& plan) {
  std::vector<ConfigColumn> varying;
  for (const ConfigColumn& column : config_columns()) {
    std::set<std::string> values;
    for (const Config& c : plan.configs)
      values.insert(column.value(plan, c));
    if (values.size() > 1) varying.push_back(column);
  }
  return varying;
}

}  // namespace symbreak
