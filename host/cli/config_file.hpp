// `--config FILE`: the options of a subcommand read from a TOML file, after the command line,
// so that options given there win.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace symbreak::cli {

// Gives every option the file sets, and the command line did not, its value. Throws
// CLI::FileError for an unreadable file, a TOML error or an unknown option.
void apply_config_file(CLI::App& app, const std::string& path);

}  // namespace symbreak::cli
