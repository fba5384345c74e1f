// `symbreak verify`: train a sweep with an engine, retrain the same networks with cpu-ref from the
// same initial parameters, and check the agreement of docs/method.md §9.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "host/cli/grid_options.hpp"
#include "host/cli/run_options.hpp"

namespace symbreak::cli {

struct VerifyOptions {
  GridOptions grid;
  RunOptions run;
  std::optional<std::string> sample, out;
  bool exact = false;  // against the cpu engine, bit for bit, instead of cpu-ref statistically
  bool quiet = false;
};

CLI::App* setup_verify(CLI::App& parent, VerifyOptions& options);

// 0 when every requirement holds, 1 when one does not, 128 + the signal when interrupted.
int run_verify_command(const VerifyOptions& options);

}  // namespace symbreak::cli
