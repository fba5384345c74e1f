// symbreak's entry point: subcommands, and the one place that turns errors into exit statuses
// (2 for bad input, 1 for failures, 128 + the signal when interrupted: 130 or 143).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "host/cli/data_command.hpp"
#include "host/cli/devices_command.hpp"
#include "host/cli/merge_command.hpp"
#include "host/cli/sweep_command.hpp"
#include "host/cli/verify_command.hpp"
#include "host/cli/version_command.hpp"
#include "host/config/name_suggestion.hpp"
#include "host/config/usage_error.hpp"
#include "host/sweep/mpi_world.hpp"

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
  // Under MPI every rank finds the same bad input; rank 0 says it once.
  if (symbreak::mpi_rank() != 0) return status;
  std::fprintf(stderr, "symbreak: error: %s\n", one_line(message).c_str());
  return status;
}

CLI::App* find_subcommand(CLI::App& app, std::string_view name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

// "unknown option '--wdith' (did you mean '--width'?); see symbreak sweep --help" for CLI11's
// "The following argument was not expected: --wdith": the first such argument as the user wrote
// it, the nearest option of the subcommand, and where the options are listed.
std::string extras_message(CLI::App& app, const CLI::ExtrasError& e, int argc, char** argv) {
  const std::string what = e.what();
  const std::size_t colon = what.find(": ");
  if (colon == std::string::npos) return what;
  std::vector<std::string> extras;
  for (std::size_t at = colon + 2; at < what.size();) {
    const std::size_t space = std::min(what.find(' ', at), what.size());
    extras.push_back(what.substr(at, space - at));
    at = space + 1;
  }
  // CLI11 lists them last first; name the first on the command line.
  std::string first = extras.empty() ? std::string() : extras.front();
  for (int i = argc - 1; i >= 1; --i) {
    for (const std::string& extra : extras) {
      if (extra == argv[i]) first = extra;
    }
  }
  CLI::App* sub = argc > 1 ? find_subcommand(app, argv[1]) : nullptr;
  const std::string help =
      sub ? "see symbreak " + sub->get_name() + " --help" : std::string("see symbreak --help");
  if (!first.starts_with("-")) return "unexpected argument '" + first + "'; " + help;
  std::vector<std::string> options;
  if (sub) {
    for (const CLI::Option* option : sub->get_options()) {
      for (const std::string& name : option->get_lnames())
        options.push_back("--" + name);
    }
  }
  const std::string name = first.substr(0, first.find('='));
  return "unknown option '" + name + "'" + symbreak::did_you_mean(name, options) + "; " + help;
}

}  // namespace

int main(int argc, char** argv) {
  const symbreak::MpiSession mpi(&argc, &argv);  // a world of one without mpirun
  CLI::App app{
      "symbreak: why initialising weights with zeros (or any constant) is dangerous, "
      "measured over large sweeps of small networks"};
  app.require_subcommand(1);
  // An option given twice takes its last value, as GNU tools do (a command line edited by
  // appending "--epochs 50" means 50).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // --help-all prints every subcommand's options too; the man page is generated from it.
  app.set_help_all_flag("--help-all", "print help for every subcommand and exit");
  symbreak::cli::SweepOptions sweep_options;
  CLI::App* sweep = symbreak::cli::setup_sweep(app, sweep_options);
  symbreak::cli::VerifyOptions verify_options;
  CLI::App* verify = symbreak::cli::setup_verify(app, verify_options);
  symbreak::cli::MergeOptions merge_options;
  CLI::App* merge = symbreak::cli::setup_merge(app, merge_options);
  merge_options.command_line.assign(argv, argv + argc);
  CLI::App* devices = symbreak::cli::setup_devices(app);
  symbreak::cli::DataOptions data_options;
  CLI::App* data = symbreak::cli::setup_data(app, data_options);
  const symbreak::BuildInfo build = symbreak::build_info();
  sweep_options.command_line.assign(argv, argv + argc);
  sweep_options.version = build.version;
  sweep_options.commit = build.commit;
  CLI::App* version = symbreak::cli::setup_version(app, build);

  // `symbreak help [SUBCOMMAND]` is --help, as in git and cargo.
  if (argc > 1 && std::string_view(argv[1]) == "help") {
    app.name("symbreak");
    if (argc == 2) {
      std::cout << app.help();
      return 0;
    }
    if (CLI::App* sub = find_subcommand(app, argv[2])) {
      std::cout << sub->help();
      return 0;
    }
  }
  // An unknown option before any subcommand is named too, not "A subcommand is required".
  if (argc > 1 && argv[1][0] == '-') {
    std::vector<std::string> options;
    for (const CLI::Option* option : app.get_options()) {
      for (const std::string& name : option->get_lnames())
        options.push_back("--" + name);
      for (const std::string& name : option->get_snames())
        options.push_back("-" + name);
    }
    const std::string given = std::string(argv[1]).substr(0, std::string(argv[1]).find('='));
    if (std::find(options.begin(), options.end(), given) == options.end()) {
      return fail(2, "unknown option '" + given + "'" + symbreak::did_you_mean(given, options) +
                         "; see symbreak --help");
    }
  }
  // CLI11 reports a misspelt subcommand only as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::vector<std::string> subs = subcommand_names(app);
    const char* given = argc > 2 && std::string_view(argv[1]) == "help" ? argv[2] : argv[1];
    if (given != argv[1] || std::find(subs.begin(), subs.end(), given) == subs.end()) {
      std::string names;
      for (const std::string& name : subs)
        names.append(names.empty() ? "" : ", ").append(name);
      return fail(2, std::string("unknown subcommand '") + given + "'" +
                         symbreak::did_you_mean(given, subs) + "; accepted: " + names + ", help");
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    return fail(2, extras_message(app, e, argc, argv));
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    return fail(2, std::string(e.what()) + " (see symbreak --help)");
  }

  try {
    if (*sweep) return symbreak::cli::run_sweep_command(sweep_options);
    if (*merge) return symbreak::cli::run_merge_command(merge_options);
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
