// Run options shared by `sweep` and `verify`: how long, how many replicates, which seed,
// the tie tolerance, the engine and its threads.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "host/config/config.hpp"

namespace symbreak::cli {

struct RunOptions {
  // --replicates and --seeds are one setting under two names; messages use the name given.
  std::optional<std::string> epochs, replicates, seeds, seed, tol, threads, data_seed;
  std::string engine = "auto";
};

void add_run_options(CLI::App& app, RunOptions& options);

// Throws UsageError naming the option and value. Unset options take the demo's values.
RunSettings build_run_settings(const RunOptions& options);
int thread_count(const RunOptions& options);  // 0 = every core

}  // namespace symbreak::cli
