// `symbreak --version` and `symbreak version`: the version, git commit, build type, CUDA runtime
// and the GPU architectures the kernels were compiled for.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "host/build_info.hpp"

namespace symbreak::cli {

// The text both forms print; its first line is "symbreak VERSION" (what help2man reads).
std::string version_text(const BuildInfo& info);

// Adds the --version flag and the `version` subcommand to `app`; returns the subcommand.
CLI::App* setup_version(CLI::App& app, const BuildInfo& info);

}  // namespace symbreak::cli
