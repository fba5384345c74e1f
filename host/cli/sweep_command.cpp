// Validates everything (names, ranges, memory, output files) before training starts, then streams
// results into the outputs: regular files are replaced only at the end, devices, FIFOs and
// standard output are written as results arrive (output_file.hpp).
#include "host/cli/sweep_command.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "host/cli/config_errors.hpp"
#include "host/cli/config_file.hpp"
#include "host/cli/config_selection.hpp"
#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"
#include "host/engines/engine.hpp"
#include "host/engines/engine_choice.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/output_file.hpp"
#include "host/report/reading.hpp"
#include "host/report/summary_table.hpp"
#include "host/sweep/memory_budget.hpp"
#include "host/sweep/stop_request.hpp"
#include "host/sweep/sweep_runner.hpp"

namespace symbreak::cli {
namespace {

// Writes per-network and trace rows as they arrive and keeps the per-configuration summaries.
class OutputObserver final : public SweepObserver {
 public:
  OutputObserver(const SweepPlan& plan, std::string engine, OutputFile* networks, OutputFile* trace)
      : plan_(plan), engine_(std::move(engine)), networks_(networks), trace_(trace) {}

  void network_done(std::int64_t item, const NetworkResult& r) override {
    if (networks_) {
      networks_->write(network_csv_row(plan_, plan_.item(item), r, engine_, trace_ != nullptr));
    }
  }

  void config_done(std::int64_t config, const ConfigSummary& s,
                   const std::vector<TraceRow>& rows) override {
    outcomes.push_back(ConfigOutcome{config, s});
    if (!trace_) return;
    for (const TraceRow& row : rows) {
      trace_->write(trace_csv_row(plan_, plan_.configs[config], row, engine_));
    }
  }

  std::vector<ConfigOutcome> outcomes;

 private:
  const SweepPlan& plan_;
  std::string engine_;
  OutputFile* networks_;
  OutputFile* trace_;
};

void check_trace_options(const SweepOptions& o, RunSettings& run) {
  if (o.trace.has_value() != o.trace_every.has_value()) {
    throw UsageError(
        "--trace and --trace-every go together: give both, e.g. --trace-every 10 "
        "--trace trace.csv");
  }
  if (!o.trace_every) return;
  const auto k = parse_integer(*o.trace_every, 1, std::numeric_limits<int>::max());
  if (!k) {
    throw UsageError("--trace-every: '" + *o.trace_every +
                     "' is not accepted; expected an integer >= 1");
  }
  run.trace_every = static_cast<int>(*k);
}

// The outputs given, resolved to what they point at, in the order --out, --networks, --trace.
struct ResolvedOutput {
  const char* option;
  std::string path;
  OutputTarget target;
};

std::vector<ResolvedOutput> resolve_outputs(const SweepOptions& o) {
  std::vector<ResolvedOutput> outputs;
  const std::pair<const char*, const std::optional<std::string>*> given[] = {
      {"--out", &o.out}, {"--networks", &o.networks}, {"--trace", &o.trace}};
  for (const auto& [option, path] : given) {
    if (*path) outputs.push_back({option, **path, resolve_output(option, **path)});
  }
  // Two outputs on one file (also through a symlink, or both on standard output) would mix.
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t j = i + 1; j < outputs.size(); ++j) {
      const std::string id = outputs[i].target.identity();
      if (!id.empty() && id == outputs[j].target.identity()) {
        throw UsageError("'" + outputs[j].path + "' is given for two outputs (" +
                         outputs[i].option + " and " + outputs[j].option +
                         "); each of --out, --networks and --trace needs its own file");
      }
    }
  }
  return outputs;
}

// The checks run_sweep_command makes of option values, without side effects; for --config.
void check_values(const SweepOptions& o) {
  build_grid(o.grid);
  sample_configs_count(o.grid);
  RunSettings run = build_run_settings(o.run);
  check_trace_options(o, run);
  thread_count(o.run);
  try {
    check_engine_name(o.run.engine);
  } catch (const UsageError& e) {
    throw UsageError(std::string("--engine: ") + e.what());
  }
}

std::unique_ptr<OutputFile> open_output(const std::vector<ResolvedOutput>& outputs,
                                        const char* option) {
  for (const ResolvedOutput& r : outputs) {
    if (std::string_view(r.option) == option) {
      return std::make_unique<OutputFile>(r.option, r.path, r.target);
    }
  }
  return nullptr;
}

}  // namespace

CLI::App* setup_sweep(CLI::App& parent, SweepOptions& o) {
  CLI::App& app = *parent.add_subcommand("sweep",
                                         "train a grid of configurations, print a table and a "
                                         "reading, write CSV files");
  add_grid_options(app, o.grid);
  add_run_options(app, o.run);
  const char* group = "Output";
  app.add_option("--out", o.out,
                 "per-configuration CSV (columns: docs/method.md §8.1); - for standard output")
      ->type_name("FILE.csv")
      ->group(group);
  app.add_option("--networks", o.networks, "per-network CSV")->type_name("FILE.csv")->group(group);
  app.add_option("--trace-every", o.trace_every, "trace every K epochs (with --trace)")
      ->type_name("K")
      ->group(group);
  app.add_option("--trace", o.trace, "per-configuration, per-traced-epoch CSV")
      ->type_name("FILE.csv")
      ->group(group);
  app.add_flag("--quiet", o.quiet, "no table, reading or progress")->group(group);
  auto config = std::make_shared<std::string>();
  app.add_option("--config", *config,
                 "read these options from a TOML file (keys as the options: width = [4, 8])")
      ->type_name("FILE")
      ->group(group);
  app.callback([&app, &o, config] {
    if (config->empty()) return;
    // A bad value from the file is reported with the file, line and key that set it.
    check_config_values(*config, apply_config_file(app, *config), [&o] { check_values(o); });
  });
  return &app;
}

int run_sweep_command(const SweepOptions& o) {
  const SweepGrid grid = build_grid(o.grid);
  RunSettings run = build_run_settings(o.run);
  check_trace_options(o, run);
  const std::optional<std::int64_t> sample = sample_configs_count(o.grid);
  const std::vector<ResolvedOutput> outputs = resolve_outputs(o);
  const SelectedPlan selected = select_configurations(grid, run, sample);
  const SweepPlan& plan = selected.plan;
  const int threads = thread_count(o.run);
  check_engine_name(o.run.engine);
  const bool auto_engine = o.run.engine == "auto";
  const std::unique_ptr<Engine> engine =
      make_engine(auto_engine ? choose_auto_engine(plan, true) : o.run.engine, threads);
  if (!o.quiet && !selected.note().empty()) std::fprintf(stderr, "%s\n", selected.note().c_str());
  const std::int64_t chunk = engine->preferred_chunk_items(plan);
  check_sweep_fits(plan, threads, chunk);

  // From here on SIGINT and SIGTERM only ask to stop, so the temporary files opened next are
  // always renamed or removed (a second signal still ends the process at once).
  install_stop_handlers();
  // Opening the outputs checks that they are writable before any training starts.
  const auto out = open_output(outputs, "--out");
  const auto networks = open_output(outputs, "--networks");
  const auto trace = open_output(outputs, "--trace");
  if (networks) networks->write(network_csv_header(trace != nullptr));
  if (trace) trace->write(trace_csv_header());
  // A reader that goes away is an output error like any other, not a reason to lose the rest.
  std::signal(SIGPIPE, SIG_IGN);

  const std::string engine_name(engine->name());
  OutputObserver observer(plan, engine_name, networks.get(), trace.get());
  RunnerOptions runner;
  runner.progress = !o.quiet;
  runner.should_stop = stop_requested;
  runner.chunk_items = chunk;
  const SweepOutcome outcome = run_sweep(plan, *engine, observer, runner);

  std::vector<std::string> kernels;
  for (const ConfigOutcome& row : observer.outcomes) {
    kernels.push_back(engine->kernel_for(plan, plan.configs[row.config]));
  }
  if (out) {
    out->write(config_csv_header());
    for (std::size_t r = 0; r < observer.outcomes.size(); ++r) {
      const ConfigOutcome& row = observer.outcomes[r];
      out->write(
          config_csv_row(plan, plan.configs[row.config], row.summary, engine_name, kernels[r]));
    }
  }
  std::vector<std::string> errors;
  bool csv_on_stdout = false;
  for (OutputFile* file : {out.get(), networks.get(), trace.get()}) {
    if (!file) continue;
    csv_on_stdout = csv_on_stdout || file->writes_standard_output();
    if (std::string error = file->commit(); !error.empty()) errors.push_back(std::move(error));
  }
  if (!o.quiet) {
    // With a CSV on standard output (`--out -`), the table and the reading go to stderr.
    std::ostream& text = csv_on_stdout ? std::cerr : std::cout;
    // "engine cpu-ref (auto)": which engine auto chose is part of what the table reports.
    const std::string engine_label = auto_engine ? engine_name + " (auto)" : engine_name;
    text << format_summary_table(plan, observer.outcomes, engine_label, kernels) << "\n"
         << plain_language_reading(plan, observer.outcomes) << std::flush;
  }
  for (const std::string& error : errors)
    std::fprintf(stderr, "symbreak: error: %s\n", error.c_str());
  if (!errors.empty()) return 1;
  if (outcome.interrupted) {
    std::fprintf(stderr,
                 "symbreak: interrupted: %lld of %zu configurations complete; their results were "
                 "written, nothing partial was kept in --out\n",
                 static_cast<long long>(outcome.configs_done), plan.configs.size());
    return 128 + stop_signal();
  }
  return 0;
}

}  // namespace symbreak::cli
