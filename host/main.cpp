// symbreak's entry point: subcommands, and the one place that turns errors into exit statuses
// (2 for bad input, 1 for failures, 128 + the signal when interrupted: 130 or 143).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "host/cli/data_command.hpp"
#include "host/cli/devices_command.hpp"
#include "host/cli/sweep_command.hpp"
#include "host/cli/verify_command.hpp"
#include "host/cli/version_command.hpp"
#include "host/config/usage_error.hpp"

namespace {

// CLI11 messages can span lines; the contract is one line.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

int fail(int status, const std::string& message) {
  std::fprintf(stderr, "symbreak: error: %s\n", one_line(message).c_str());
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "symbreak: why initialising weights with zeros (or any constant) is dangerous, "
      "measured over large sweeps of small networks"};
  app.require_subcommand(1);
  // --help-all prints every subcommand's options too; the man page is generated from it.
  app.set_help_all_flag("--help-all", "print help for every subcommand and exit");
  symbreak::cli::SweepOptions sweep_options;
  CLI::App* sweep = symbreak::cli::setup_sweep(app, sweep_options);
  symbreak::cli::VerifyOptions verify_options;
  CLI::App* verify = symbreak::cli::setup_verify(app, verify_options);
  CLI::App* devices = symbreak::cli::setup_devices(app);
  symbreak::cli::DataOptions data_options;
  CLI::App* data = symbreak::cli::setup_data(app, data_options);
  const symbreak::BuildInfo build = symbreak::build_info();
  CLI::App* version = symbreak::cli::setup_version(app, build);

  // CLI11 reports a misspelt subcommand only as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      names.append(names.empty() ? "" : ", ").append(sub->get_name());
      known = known || sub->get_name() == argv[1];
    }
    if (!known)
      return fail(2, std::string("unknown subcommand '") + argv[1] + "'; accepted: " + names);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    return fail(2, std::string(e.what()) + " (see symbreak --help)");
  }

  try {
    if (*sweep) return symbreak::cli::run_sweep_command(sweep_options);
    if (*verify) return symbreak::cli::run_verify_command(verify_options);
    if (*devices) return symbreak::cli::run_devices_command();
    if (*data) return symbreak::cli::run_data_command(data_options);
    if (*version) {
      std::cout << symbreak::cli::version_text(build);
      return 0;
    }
  } catch (const symbreak::UsageError& e) {
    return fail(2, e.what());
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
  return 0;
}
