// Builds CSV rows as strings; files are written through OutputFile by the caller.
#include "host/report/csv_writer.hpp"

#include <charconv>

#include "host/config/config_columns.hpp"

namespace symbreak {
namespace {

// Columns that identify a configuration, shared by all three files: the leading ones start a row,
// the breakers' (docs/method.md §4.1) end it.
std::string config_key_header(std::size_t first, std::size_t end) {
  std::string header;
  for (std::size_t k = first; k < end; ++k) {
    if (!header.empty()) header += ',';
    header += config_columns()[k].name;
  }
  return header;
}

std::string leading_key_header() {
  return config_key_header(0, kLeadingConfigColumns);
}

std::string trailing_key_header() {
  std::string header(1, ',');  // appended: GCC 12 warns falsely about "," + std::string
  header.append(config_key_header(kLeadingConfigColumns, config_columns().size()));
  return header;
}

std::string join(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += fields[i];
  }
  return line + '\n';
}

// Scheme and task names never contain commas or quotes (lists are split on commas), but a CSV
// writer should not rely on that.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::vector<std::string> config_key(const SweepPlan& plan, const Config& c, std::size_t first,
                                    std::size_t end) {
  std::vector<std::string> fields;
  for (std::size_t k = first; k < end; ++k)
    fields.push_back(csv_field(config_columns()[k].value(plan, c)));
  return fields;
}

std::vector<std::string> leading_key(const SweepPlan& plan, const Config& c) {
  return config_key(plan, c, 0, kLeadingConfigColumns);
}

void append_trailing_key(std::vector<std::string>& fields, const SweepPlan& plan, const Config& c) {
  for (std::string& field : config_key(plan, c, kLeadingConfigColumns, config_columns().size()))
    fields.push_back(std::move(field));
}

std::string bool_field(bool value) {
  return value ? "1" : "0";
}

}  // namespace

std::string format_number(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}

std::string format_number(std::optional<double> value) {
  return value ? format_number(*value) : std::string();
}

const std::vector<std::string_view>& config_csv_columns() {
  static const std::vector<std::string_view> columns = {
      "task", "depth", "width", "activation", "init", "bias_init", "loss", "lr", "momentum",
      "batch", "epochs", "n", "solved_rate", "solved_lo", "solved_hi", "broken_rate", "broken_lo",
      "broken_hi", "collapsed_rate", "frozen_rate", "diverged_rate", "eff_width",
      "median_epoch_solved", "mean_final_loss", "engine",
      // symbreak's additions, after the 25 stable columns of docs/method.md §8.1:
      "collapsed_lo", "collapsed_hi", "frozen_lo", "frozen_hi", "diverged_lo", "diverged_hi",
      "median_final_loss", "seed", "tol", "kernel",
      // Accuracy aggregates (docs/method.md §7); the test columns are empty without a test set.
      "mean_accuracy", "median_accuracy", "mean_test_accuracy", "median_test_accuracy",
      "single_class_rate",
      // What else might break the symmetry (docs/method.md §4.1), always written.
      "optimizer", "weight_decay", "dropout", "grad_noise"};
  return columns;
}

std::string config_csv_header() {
  std::vector<std::string> names(config_csv_columns().begin(), config_csv_columns().end());
  return join(names);
}

ConfigRowKey config_row_key(const SweepPlan& plan, const Config& config, std::string_view engine,
                            std::string_view kernel) {
  ConfigRowKey key;
  std::vector<std::string> trailing;
  append_trailing_key(trailing, plan, config);
  // join() ends a line; the key keeps the fields without it.
  key.leading = join(leading_key(plan, config));
  key.leading.pop_back();
  key.trailing = join(trailing);
  key.trailing.pop_back();
  key.engine = csv_field(engine);
  key.kernel = csv_field(kernel);
  key.seed = std::to_string(plan.run.seed);
  key.tol = format_number(plan.run.tol);
  return key;
}

std::string config_csv_row(const SweepPlan& plan, const Config& config, const ConfigSummary& s,
                           std::string_view engine, std::string_view kernel) {
  return config_csv_row(config_row_key(plan, config, engine, kernel), s);
}

std::string config_csv_row(const ConfigRowKey& key, const ConfigSummary& s) {
  std::vector<std::string> f = {key.leading};
  const auto rate = [&f](const Rate& r, bool with_interval) {
    f.push_back(format_number(r.rate));
    if (with_interval) {
      f.push_back(format_number(r.ci.lo));
      f.push_back(format_number(r.ci.hi));
    }
  };
  f.push_back(std::to_string(s.n));
  rate(s.solved, true);
  rate(s.broken, true);
  rate(s.collapsed, false);
  rate(s.frozen, false);
  rate(s.diverged, false);
  f.push_back(format_number(s.eff_width));
  f.push_back(format_number(s.median_epoch_solved));
  f.push_back(format_number(s.mean_final_loss));
  f.push_back(key.engine);
  for (const Rate* r : {&s.collapsed, &s.frozen, &s.diverged}) {
    f.push_back(format_number(r->ci.lo));
    f.push_back(format_number(r->ci.hi));
  }
  f.push_back(format_number(s.median_final_loss));
  f.push_back(key.seed);
  f.push_back(key.tol);
  f.push_back(key.kernel);
  for (const std::optional<double>& value :
       {s.mean_accuracy, s.median_accuracy, s.mean_test_accuracy, s.median_test_accuracy}) {
    f.push_back(format_number(value));
  }
  f.push_back(s.single_class ? format_number(s.single_class->rate) : std::string());
  f.push_back(key.trailing);
  return join(f);
}

std::string network_csv_header(bool traced) {
  return leading_key_header() +
         ",replicate,seed,final_loss,accuracy,solved,epoch_solved,distinct,broken,collapsed,frozen,"
         "diverged" +
         (traced ? ",epoch_broken" : "") + ",engine,test_accuracy,test_loss,single_class" +
         trailing_key_header() + "\n";
}

std::string network_csv_row(const SweepPlan& plan, WorkItem item, const NetworkResult& r,
                            std::string_view engine, bool traced) {
  const Config& config = plan.configs[item.config];
  std::vector<std::string> f = leading_key(plan, config);
  std::string distinct;
  for (std::size_t l = 0; l < r.distinct.size(); ++l) {
    if (l > 0) distinct += ';';
    distinct += std::to_string(r.distinct[l]);
  }
  f.insert(f.end(), {std::to_string(item.replicate), std::to_string(plan.run.seed),
                     format_number(r.final_loss), format_number(r.accuracy), bool_field(r.solved),
                     std::to_string(r.epoch_solved), distinct, bool_field(r.broken),
                     bool_field(r.collapsed), bool_field(r.frozen), bool_field(r.diverged)});
  if (traced) f.push_back(std::to_string(r.epoch_broken));
  f.push_back(csv_field(engine));
  f.push_back(format_number(r.test_accuracy));  // empty for tasks without a test set
  f.push_back(format_number(r.test_loss));
  f.push_back(r.single_class ? bool_field(*r.single_class) : std::string());
  append_trailing_key(f, plan, config);
  return join(f);
}

// A file younger than every configuration column: all of them lead its rows, breakers' included.
std::string params_csv_header() {
  return config_key_header(0, config_columns().size()) +
         ",replicate,seed,data_seed,engine,accuracy,test_accuracy,layers,parameters\n";
}

std::string params_csv_row(const SweepPlan& plan, WorkItem item, const NetworkResult& r,
                           std::string_view engine) {
  const Config& c = plan.configs[item.config];
  std::vector<std::string> f = config_key(plan, c, 0, config_columns().size());
  // The layer sizes n_0 ... n_{L+1} say how to cut the flat vector into W_l and b_l.
  const NetworkShape shape = plan.shape_of(c);
  std::string layers;
  for (int l = 0; l <= shape.layers(); ++l) {
    if (l > 0) layers += ';';
    layers += std::to_string(shape.units(l));
  }
  // In the engine's precision: a float engine's values in float's shortest form (read back as
  // float32, they are the engine's bits), cpu-ref's in double's; nan and inf as such.
  std::string values;
  char buffer[64];
  for (std::size_t k = 0; k < r.parameters.size(); ++k) {
    if (k > 0) values += ';';
    const double v = r.parameters[k];
    const auto [end, ec] =
        r.parameters_are_float
            ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(v))
            : std::to_chars(buffer, buffer + sizeof buffer, v);
    values.append(buffer, ec == std::errc() ? end : buffer);
  }
  f.insert(f.end(), {std::to_string(item.replicate), std::to_string(plan.run.seed),
                     std::to_string(plan.run.data_seed), csv_field(engine),
                     format_number(r.accuracy), format_number(r.test_accuracy), layers, values});
  return join(f);
}

std::string trace_csv_header() {
  return leading_key_header() +
         ",epoch,n,mean_loss,solved_fraction,eff_width,broken_fraction,collapsed_fraction,engine" +
         trailing_key_header() + "\n";
}

std::string trace_csv_row(const SweepPlan& plan, const Config& config, const TraceRow& row,
                          std::string_view engine) {
  return trace_csv_row(config_row_key(plan, config, engine, {}), row);
}

std::string trace_csv_row(const ConfigRowKey& key, const TraceRow& row) {
  return join({key.leading, std::to_string(row.epoch), std::to_string(row.n),
               format_number(row.mean_loss), format_number(row.solved_fraction),
               format_number(row.mean_distinct_fraction), format_number(row.broken_fraction),
               format_number(row.collapsed_fraction), key.engine, key.trailing});
}

}  // namespace symbreak
