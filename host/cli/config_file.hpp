// `--config FILE`: the options of a subcommand read from a TOML file, after the command line,
// so that options given there win.
#pragma once

#include <CLI/CLI.hpp>

#include <istream>
#include <string>
#include <vector>

namespace symbreak::cli {

// Gives every option the file sets, and the command line did not, its value, and returns their
// keys. Throws CLI::FileError for an unreadable file, a TOML error, an unknown option or a value
// that does not convert (naming the file, line and key: config_errors.hpp).
std::vector<std::string> apply_config_file(CLI::App& app, const std::string& path);

// The same for a file's text already open as `text` (the fuzz target's entry point); `path` only
// names it in messages.
std::vector<std::string> apply_config_text(CLI::App& app, const std::string& path,
                                           std::istream& text);

}  // namespace symbreak::cli
