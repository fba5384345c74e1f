// Registration of `merge`; the work is in host/report/merge_parts.cpp.
#include "host/cli/merge_command.hpp"

#include "host/report/merge_parts.hpp"

namespace symbreak::cli {

CLI::App* setup_merge(CLI::App& parent, MergeOptions& o) {
  CLI::App& app = *parent.add_subcommand(
      "merge",
      "join the files of the shards of one sweep (sweep --shard i/N) into the file one process "
      "writes, byte for byte; works for --out, --networks, --trace and --params files (a "
      "configuration split between shards is aggregated from the FILE.csv.pieces beside its "
      "--out and --trace parts)");
  app.add_option("out", o.out, "the merged file to write")->type_name("OUT.csv")->required();
  app.add_option("parts", o.parts, "every shard's file, in any order")
      ->type_name("PART.csv...")
      ->required()
      ->expected(1, -1);
  return &app;
}

int run_merge_command(const MergeOptions& o) {
  merge_parts(o.out, o.parts, o.command_line);
  return 0;
}

}  // namespace symbreak::cli
