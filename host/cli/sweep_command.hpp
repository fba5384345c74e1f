// `symbreak sweep`: train the grid, print a table and a reading, write the CSV files.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "host/cli/grid_options.hpp"
#include "host/cli/run_options.hpp"

namespace symbreak::cli {

struct SweepOptions {
  GridOptions grid;
  RunOptions run;
  std::optional<std::string> out, networks, trace, trace_every;
  std::optional<std::string> params, params_replicates;  // --params FILE --params-replicates K
  bool quiet = false;
  bool resume = false;               // continue the sweep whose checkpoint the outputs carry
  std::optional<std::string> shard;  // "i/N"
  std::optional<std::string> devices;
  std::optional<std::string> max_memory;  // e.g. "4G"  // "all" or "0,1,…"
  // For the meta files: how symbreak was called and which build it is.
  std::vector<std::string> command_line;
  std::string version, commit;
};

// Adds the `sweep` subcommand to `parent`, storing its options in `options`.
CLI::App* setup_sweep(CLI::App& parent, SweepOptions& options);

// Returns the process exit status: 0, or 130 when interrupted. Throws on bad input.
int run_sweep_command(const SweepOptions& options);

}  // namespace symbreak::cli
