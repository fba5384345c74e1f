// `symbreak data NAME --out FILE.csv [--test FILE.csv]`: writes a task's training (and test) set
// as CSV, so that other tools can train on exactly the samples symbreak trains on.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace symbreak::cli {

struct DataOptions {
  std::string task;
  std::optional<std::string> out, test, data_seed;
};

CLI::App* setup_data(CLI::App& parent, DataOptions& options);

// Returns 0, or 1 when a file could not be written. Throws UsageError on bad input.
int run_data_command(const DataOptions& options);

}  // namespace symbreak::cli
