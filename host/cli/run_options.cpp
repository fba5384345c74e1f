// Registration and range checks of the run options.
#include "host/cli/run_options.hpp"

#include <limits>

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"
#include "host/sweep/sweep_grid.hpp"

namespace symbreak::cli {
namespace {

long long integer_option(const char* option, const std::optional<std::string>& text,
                         long long fallback, long long min, long long max, const char* accepted) {
  if (!text) return fallback;
  const auto value = parse_integer(*text, min, max);
  if (!value) {
    throw UsageError(std::string(option) + ": '" + *text + "' is not accepted; expected " +
                     accepted);
  }
  return *value;
}

}  // namespace

void add_run_options(CLI::App& app, RunOptions& o) {
  const char* group = "Run";
  app.add_option("--epochs", o.epochs, "epochs per network, >= 0 [1000]")
      ->type_name("E")
      ->group(group);
  // --replicates is the documented name: --seeds is one letter from --seed. Both are accepted.
  app.add_option("--replicates", o.replicates,
                 "networks per configuration (replicates 0 ... N-1), >= 1 [300]")
      ->type_name("N")
      ->group(group);
  app.add_option("--seeds", o.seeds, "the same as --replicates")->type_name("N")->group(group);
  app.add_option("--seed", o.seed, "global seed of every initialisation, 0 ... 4294967295 [0]")
      ->type_name("S")
      ->group(group);
  app.add_option("--data-seed", o.data_seed,
                 "seed of the noise of circles, moons and spiral, 0 ... 4294967295 [0]")
      ->type_name("S")
      ->group(group);
  app.add_option("--tol", o.tol, "tie tolerance of the distinct-neuron count, > 0 [1e-6]")
      ->type_name("TAU")
      ->group(group);
  app.add_option("--engine", o.engine,
                 "auto, cpu-ref, ... (symbreak devices lists them); auto takes a GPU engine "
                 "where one runs, else cpu or cpu-ref, whichever measured faster for the "
                 "sweep's shapes [auto]")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--threads", o.threads, "CPU threads for the CPU engines, 0 = all cores [0]")
      ->type_name("T")
      ->group(group);
}

RunSettings build_run_settings(const RunOptions& o) {
  RunSettings run;
  run.epochs = static_cast<int>(integer_option(
      "--epochs", o.epochs, 1000, 0, std::numeric_limits<int>::max() - 1, "an integer >= 0"));
  if (o.replicates && o.seeds) {
    throw UsageError("--replicates and --seeds are one option under two names; give one of them");
  }
  const char* replicates_name = o.seeds ? "--seeds" : "--replicates";
  run.seeds =
      integer_option(replicates_name, o.seeds ? o.seeds : o.replicates, kDemoSeeds, 1,
                     std::numeric_limits<std::uint32_t>::max(), "an integer from 1 to 4294967295");
  run.seed = static_cast<std::uint32_t>(integer_option("--seed", o.seed, 0, 0,
                                                       std::numeric_limits<std::uint32_t>::max(),
                                                       "an integer from 0 to 4294967295"));
  run.data_seed = static_cast<std::uint32_t>(
      integer_option("--data-seed", o.data_seed, 0, 0, std::numeric_limits<std::uint32_t>::max(),
                     "an integer from 0 to 4294967295"));
  if (o.tol) {
    const auto tol = parse_finite_double(*o.tol);
    if (!tol || !(*tol > 0.0)) {
      throw UsageError("--tol: '" + *o.tol + "' is not accepted; expected a finite number > 0");
    }
    run.tol = *tol;
  }
  return run;
}

int thread_count(const RunOptions& o) {
  return static_cast<int>(
      integer_option("--threads", o.threads, 0, 0, 4096, "an integer from 0 (all cores) to 4096"));
}

}  // namespace symbreak::cli
