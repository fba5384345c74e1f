// Validates everything (names, ranges, memory, output files) before training starts, then streams
// results into temporary files that replace the targets only at the end.
#include "sweep_command.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>

#include "../atomic_file.hpp"
#include "../csv_writer.hpp"
#include "../engine.hpp"
#include "../memory_budget.hpp"
#include "../number_parse.hpp"
#include "../reading.hpp"
#include "../stop_request.hpp"
#include "../summary_table.hpp"
#include "../sweep_runner.hpp"
#include "../usage_error.hpp"
#include "config_file.hpp"

namespace symbreak::cli {
namespace {

// Writes per-network and trace rows as they arrive and keeps the per-configuration summaries.
class OutputObserver final : public SweepObserver {
 public:
  OutputObserver(const SweepPlan& plan, std::string engine, AtomicFile* networks, AtomicFile* trace)
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
  AtomicFile* networks_;
  AtomicFile* trace_;
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

void check_distinct_paths(const SweepOptions& o) {
  const std::optional<std::string>* paths[] = {&o.out, &o.networks, &o.trace};
  for (int i = 0; i < 3; ++i) {
    for (int j = i + 1; j < 3; ++j) {
      if (*paths[i] && *paths[j] && **paths[i] == **paths[j]) {
        throw UsageError("'" + **paths[i] +
                         "' is given for two outputs; each of --out, "
                         "--networks and --trace needs its own file");
      }
    }
  }
}

std::unique_ptr<AtomicFile> open_output(const char* option,
                                        const std::optional<std::string>& path) {
  return path ? std::make_unique<AtomicFile>(option, *path) : nullptr;
}

}  // namespace

CLI::App* setup_sweep(CLI::App& parent, SweepOptions& o) {
  CLI::App& app = *parent.add_subcommand("sweep",
                                         "train a grid of configurations, print a table and a "
                                         "reading, write CSV files");
  add_grid_options(app, o.grid);
  add_run_options(app, o.run);
  const char* group = "Output";
  app.add_option("--out", o.out, "per-configuration CSV (SPEC columns)")
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
  app.add_option("--config", *config, "read these options from a TOML/INI file")
      ->type_name("FILE")
      ->group(group);
  app.callback([&app, config] {
    if (!config->empty()) apply_config_file(app, *config);
  });
  return &app;
}

int run_sweep_command(const SweepOptions& o) {
  const SweepGrid grid = build_grid(o.grid);
  RunSettings run = build_run_settings(o.run);
  check_trace_options(o, run);
  check_distinct_paths(o);
  check_grid_fits(configuration_count(grid), run.seeds);
  const SweepPlan plan = make_plan(grid, run);
  const int threads = thread_count(o.run);
  const std::unique_ptr<Engine> engine = make_engine(o.run.engine, threads);
  const std::int64_t chunk = engine->preferred_chunk_items(plan);
  check_sweep_fits(plan, threads, chunk);

  // Opening the outputs checks that they are writable before any training starts.
  const auto out = open_output("--out", o.out);
  const auto networks = open_output("--networks", o.networks);
  const auto trace = open_output("--trace", o.trace);
  if (networks) networks->write(network_csv_header(trace != nullptr));
  if (trace) trace->write(trace_csv_header());

  const std::string engine_name(engine->name());
  OutputObserver observer(plan, engine_name, networks.get(), trace.get());
  install_stop_handlers();
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
  for (AtomicFile* file : {out.get(), networks.get(), trace.get()}) {
    if (file) file->commit();
  }
  if (!o.quiet) {
    std::cout << format_summary_table(plan, observer.outcomes, engine_name, kernels) << "\n"
              << plain_language_reading(plan, observer.outcomes);
  }
  if (outcome.interrupted) {
    std::fprintf(stderr,
                 "symbreak: interrupted: %lld of %zu configurations complete; their results were "
                 "written, nothing partial was kept in --out\n",
                 static_cast<long long>(outcome.configs_done), plan.configs.size());
    return 130;
  }
  return 0;
}

}  // namespace symbreak::cli
