// `symbreak devices`: the CPU and CUDA devices found, and which engines can run here.
#pragma once

#include <CLI/CLI.hpp>

namespace symbreak::cli {

// Adds the `devices` subcommand to `parent`.
CLI::App* setup_devices(CLI::App& parent);
int run_devices_command();

}  // namespace symbreak::cli
