// `symbreak merge OUT PART...`: the shards of one sweep joined into the file one process writes.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace symbreak::cli {

struct MergeOptions {
  std::string out;
  std::vector<std::string> parts;
  std::vector<std::string> command_line;  // for the merged file's meta file
};

CLI::App* setup_merge(CLI::App& parent, MergeOptions& options);
int run_merge_command(const MergeOptions& options);

}  // namespace symbreak::cli
