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
      {"width", [](const SweepPlan&, const Config& c) { return std::to_string(c.width); }},
      {"activation", [](const SweepPlan&,
                        const Config& c) { return std::string(activation_name(c.activation)); }},
      {"init", [](const SweepPlan&, const Config& c) { return c.init.text; }},
      {"bias_init", [](const SweepPlan&, const Config& c) { return c.bias.text; }},
      {"loss", [](const SweepPlan&, const Config& c) { return std::string(loss_name(c.loss)); }},
      {"lr", [](const SweepPlan&, const Config& c) { return format_number(c.lr); }},
      {"momentum", [](const SweepPlan&, const Config& c) { return format_number(c.momentum); }},
      {"batch", [](const SweepPlan&, const Config& c) { return std::to_string(c.batch); }},
      {"epochs", [](const SweepPlan& p, const Config&) { return std::to_string(p.run.epochs); }},
      {"optimizer",
       [](const SweepPlan&, const Config& c) { return std::string(optimizer_name(c.optimizer)); }},
      {"weight_decay",
       [](const SweepPlan&, const Config& c) { return format_number(c.weight_decay); }},
      {"dropout", [](const SweepPlan&, const Config& c) { return format_number(c.dropout); }},
      {"grad_noise", [](const SweepPlan&, const Config& c) { return format_number(c.grad_noise); }},
  };
  return columns;
}

bool is_plain_default(const ConfigColumn& column, const std::string& value) {
  const auto& all = config_columns();
  for (std::size_t k = kLeadingConfigColumns; k < all.size(); ++k) {
    if (all[k].name == column.name) return value == "sgd" || value == "0";
  }
  return false;
}

std::string breaker_name(const Config& c) {
  std::vector<std::string> parts;
  if (c.optimizer == Optimizer::adam) parts.push_back("Adam");
  if (c.optimizer == Optimizer::rmsprop) parts.push_back("RMSprop");
  if (c.weight_decay != 0.0) parts.push_back("weight decay " + format_number(c.weight_decay));
  if (c.dropout != 0.0) parts.push_back("dropout " + format_number(c.dropout));
  if (c.grad_noise != 0.0) parts.push_back("gradient noise " + format_number(c.grad_noise));
  if (parts.empty()) return c.momentum != 0.0 ? "SGD with momentum" : "plain SGD";
  std::string name = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i)
    name += (i == 1 ? " with " : (i + 1 == parts.size() ? " and " : ", ")) + parts[i];
  return name;
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
