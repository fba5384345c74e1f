// Reads a TOML config file into a subcommand's options with CLI11's ConfigTOML.
#include "host/cli/config_file.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "host/cli/config_errors.hpp"

namespace symbreak::cli {

namespace {

std::string config_what(const std::string& path) {
  std::string what = "--config: ";
  what.append("'").append(path).append("'");
  return what;
}

// A message quoting a value with a NUL byte would end there (what() is a C string); such a file is
// not UTF-8 TOML (UTF-16 holds one in every ASCII character).
bool holds_nul(const CLI::ConfigItem& item) {
  const auto nul = [](const std::string& text) { return text.find('\0') != std::string::npos; };
  return nul(item.name) || std::any_of(item.parents.begin(), item.parents.end(), nul) ||
         std::any_of(item.inputs.begin(), item.inputs.end(), nul);
}

std::vector<std::string> apply_config_items(CLI::App& app, const std::string& path,
                                            const std::string& what,
                                            const std::vector<CLI::ConfigItem>& items) {
  std::vector<std::string> applied;
  for (const CLI::ConfigItem& item : items) {
    if (holds_nul(item)) {
      throw CLI::FileError(what + ": holds a NUL byte; expected a UTF-8 TOML text file");
    }
    if (item.name == "++" || item.name == "--") continue;  // CLI11's section start and end marks
    // trace_every = 10 as well as trace-every = 10: TOML users write both.
    const std::string key = config_key_name(item.name);
    CLI::Option* option = app.get_option_no_throw("--" + key);
    const bool in_section =
        item.parents.empty() || item.parents == std::vector<std::string>{app.get_name()};
    if (option == nullptr || key == "config" || !in_section) {
      throw CLI::FileError(
          "--config: " +
          config_key_error(path, item.name, "not an option of symbreak " + app.get_name()));
    }
    if (option->count() > 0) continue;
    // --replicates and --seeds name one setting: either on the command line wins over both here.
    if (key == "seeds" || key == "replicates") {
      const CLI::Option* other =
          app.get_option_no_throw(key == "seeds" ? "--replicates" : "--seeds");
      if (other != nullptr && other->count() > 0) continue;
    }
    applied.push_back(key);
    // An array (task = ["xor", "and"]) is the comma-separated list of the command line.
    std::string value;
    for (const std::string& input : item.inputs)
      value.append(value.empty() ? "" : ",").append(input);
    option->add_result(value);
    try {
      option->run_callback();  // converts the value (a flag's true/false)
    } catch (const CLI::ParseError& e) {
      throw CLI::FileError("--config: " + config_key_error(path, item.name, e.what()));
    }
  }
  return applied;
}

}  // namespace

// CLI11 2.1 reads set_config() files only for the top-level app, never for a subcommand, so
// `sweep --config FILE` reads the file here, after the command line: options given there win.
// Errors are CLI11 parse errors, the kind main() expects from parsing.
std::vector<std::string> apply_config_file(CLI::App& app, const std::string& path) {
  const std::string what = config_what(path);
  if (!std::filesystem::is_regular_file(path)) {
    throw CLI::FileError(what + ": no such readable file");
  }
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::ParseError& e) {
    throw CLI::FileError(what + ": " + e.what());
  }
  return apply_config_items(app, path, what, items);
}

std::vector<std::string> apply_config_text(CLI::App& app, const std::string& path,
                                           std::istream& text) {
  const std::string what = config_what(path);
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(text);
  } catch (const CLI::ParseError& e) {
    throw CLI::FileError(what + ": " + e.what());
  }
  return apply_config_items(app, path, what, items);
}

}  // namespace symbreak::cli
