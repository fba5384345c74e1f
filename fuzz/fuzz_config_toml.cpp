// libFuzzer target: the TOML reader of `sweep --config FILE` (CLI11's ConfigTOML and the mapping of
// its items onto the sweep's options), then the checks of the options it set. The input is the
// file's text. A bad file must end as a CLI11 parse error or a UsageError, as in main().
#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include "host/cli/config_file.hpp"
#include "host/cli/grid_options.hpp"
#include "host/cli/run_options.hpp"
#include "host/config/usage_error.hpp"

namespace {

// The options of `symbreak sweep` (setup_sweep in host/cli/sweep_command.cpp, which this build
// leaves out with the engines it calls): the grid and run options, and the outputs by name.
// Built once and cleared before every input: building CLI11's options took most of the time.
struct SweepApp {
  CLI::App app;
  symbreak::cli::GridOptions grid;
  symbreak::cli::RunOptions run;
  std::optional<std::string> out, networks, trace, trace_every;
  bool quiet = false;
  std::string config;

  SweepApp() {
    symbreak::cli::add_grid_options(app, grid);
    symbreak::cli::add_run_options(app, run);
    app.add_option("--out", out);
    app.add_option("--networks", networks);
    app.add_option("--trace-every", trace_every);
    app.add_option("--trace", trace);
    app.add_flag("--quiet", quiet);
    app.add_option("--config", config);
  }

  void clear() {
    app.clear();  // the options' results
    grid = {};
    run = {};
    out.reset();
    networks.reset();
    trace.reset();
    trace_every.reset();
    quiet = false;
    config.clear();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static SweepApp sweep;
  sweep.clear();
  std::istringstream text(std::string(reinterpret_cast<const char*>(data), size));
  try {
    symbreak::cli::apply_config_text(sweep.app, "fuzz.toml", text);
  } catch (const CLI::ParseError&) {
    return 0;  // main() prints these on one line, status 2
  }
  // A value reaching the options holds no NUL byte, so a message quoting it is whole.
  const SweepApp& set = sweep;
  const symbreak::cli::GridOptions& g = set.grid;
  const symbreak::cli::RunOptions& r = set.run;
  for (const std::optional<std::string>* value :
       {&g.task,       &g.depth,   &g.width,        &g.activation, &g.init,           &g.bias_init,
        &g.loss,       &g.lr,      &g.momentum,     &g.batch,      &g.sample_configs, &r.epochs,
        &r.replicates, &r.seeds,   &r.seed,         &r.tol,        &r.threads,        &set.out,
        &set.networks, &set.trace, &set.trace_every}) {
    if (*value && (*value)->find('\0') != std::string::npos) std::abort();
  }
  try {
    (void)symbreak::cli::build_grid(sweep.grid);
    (void)symbreak::cli::build_run_settings(sweep.run);
    (void)symbreak::cli::thread_count(sweep.run);
  } catch (const symbreak::UsageError&) {
  }
  return 0;
}
