// Validates everything (names, ranges, memory, output files, a checkpoint to resume from) before
// training starts, then streams results into the outputs as configurations complete, with a
// checkpoint beside each file (host/sweep/sweep_outputs.hpp); --shard runs one part of the grid.
#include "host/cli/sweep_command.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "host/cli/config_errors.hpp"
#include "host/cli/config_file.hpp"
#include "host/cli/config_selection.hpp"
#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"
#include "host/engines/cuda_devices.hpp"
#include "host/engines/engine.hpp"
#include "host/engines/engine_choice.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/output_file.hpp"
#include "host/report/provenance.hpp"
#include "host/report/reading.hpp"
#include "host/report/summary_table.hpp"
#include "host/sweep/device_pool.hpp"
#include "host/sweep/memory_budget.hpp"
#include "host/sweep/mpi_world.hpp"
#include "host/sweep/parallel_for.hpp"
#include "host/sweep/shard.hpp"
#include "host/sweep/stop_request.hpp"
#include "host/sweep/sweep_outputs.hpp"
#include "host/sweep/sweep_runner.hpp"

namespace symbreak::cli {
namespace {

void check_trace_options(const SweepOptions& o, RunSettings& run) {
  if (o.trace.has_value() != o.trace_every.has_value()) {
    throw UsageError(
        "--trace and --trace-every go together: give both, e.g. --trace-every 10 "
        "--trace trace.csv");
  }
  if (!o.trace_every) return;
  const auto k = parse_integer(*o.trace_every, 1, std::numeric_limits<int>::max());
  if (!k) {
    throw UsageError("--trace-every: '" + *o.trace_every +
                     "' is not accepted; expected an integer >= 1");
  }
  run.trace_every = static_cast<int>(*k);
}

// --params FILE keeps the final parameters of the first K replicates of every configuration
// (--params-replicates K, default 1; all of them when K >= --seeds).
void check_params_options(const SweepOptions& o, RunSettings& run) {
  if (o.params_replicates && !o.params) {
    throw UsageError("--params-replicates needs --params FILE.csv, the file the parameters go to");
  }
  if (!o.params) return;
  run.params_replicates = 1;
  if (!o.params_replicates) return;
  const auto k = parse_integer(*o.params_replicates, 1, std::numeric_limits<std::uint32_t>::max());
  if (!k) {
    throw UsageError("--params-replicates: '" + *o.params_replicates +
                     "' is not accepted; expected an integer from 1 to 4294967295");
  }
  run.params_replicates = static_cast<std::uint32_t>(*k);
}

// The outputs given, resolved to what they point at, in the order --out, --networks, --trace,
// --params.
struct ResolvedOutput {
  const char* option;
  std::string path;
  OutputTarget target;
};

std::vector<ResolvedOutput> resolve_outputs(const SweepOptions& o) {
  std::vector<ResolvedOutput> outputs;
  const std::pair<const char*, const std::optional<std::string>*> given[] = {
      {"--out", &o.out},
      {"--networks", &o.networks},
      {"--trace", &o.trace},
      {"--params", &o.params}};
  for (const auto& [option, path] : given) {
    if (*path) outputs.push_back({option, **path, resolve_output(option, **path)});
  }
  // Two outputs on one file (also through a symlink, or both on standard output) would mix.
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t j = i + 1; j < outputs.size(); ++j) {
      const std::string id = outputs[i].target.identity();
      if (!id.empty() && id == outputs[j].target.identity()) {
        throw UsageError("'" + outputs[j].path + "' is given for two outputs (" +
                         outputs[i].option + " and " + outputs[j].option +
                         "); each of --out, --networks, --trace and --params needs its own file");
      }
    }
  }
  return outputs;
}

// The checks run_sweep_command makes of option values, without side effects; for --config.
void check_values(const SweepOptions& o) {
  build_grid(o.grid);
  sample_configs_count(o.grid);
  RunSettings run = build_run_settings(o.run);
  check_trace_options(o, run);
  check_params_options(o, run);
  thread_count(o.run);
  if (o.shard) parse_shard(*o.shard);
  if (o.devices) parse_devices(*o.devices, 1);
  if (o.max_memory) parse_memory_size(*o.max_memory);
  try {
    check_engine_name(o.run.engine);
  } catch (const UsageError& e) {
    throw UsageError(std::string("--engine: ") + e.what());
  }
}

// Where --resume continues: the checkpoint recorded beside the outputs, after checking that they
// were written by this very sweep (and shard). Every output must be a file with a meta file, or
// none may exist yet. `splits`: the shard splits a configuration, so --out and --trace have
// pieces files whose lengths the checkpoint must hold.
Checkpoint resume_checkpoint(const std::vector<ResolvedOutput>& outputs, const RunRecord& record,
                             std::int64_t seeds, bool splits) {
  if (outputs.empty()) {
    throw UsageError(
        "--resume: give the --out, --networks, --trace and --params files of the sweep to "
        "continue");
  }
  for (const ResolvedOutput& r : outputs) {
    if (r.target.kind != OutputTarget::Kind::replace) {
      throw UsageError(std::string("--resume: ") + r.option + " '" + r.path +
                       "' is not a regular file; --resume continues files on disk");
    }
  }
  // Nothing written yet (a job that starts with --resume every time): a new sweep.
  bool any_exists = false;
  for (const ResolvedOutput& r : outputs)
    any_exists = any_exists || r.target.exists;
  if (!any_exists) return Checkpoint{};
  std::optional<Checkpoint> earliest;
  for (const ResolvedOutput& r : outputs) {
    if (!r.target.exists) {
      throw UsageError(std::string("--resume: ") + r.option + " '" + r.path +
                       "' does not exist, although the sweep's other files do");
    }
    nlohmann::json meta;
    try {
      meta = read_meta(r.option, r.path);
    } catch (const UsageError& e) {
      throw UsageError(std::string("--resume: ") + e.what());
    }
    const std::string mismatch = identity_difference(meta["sweep"], record.sweep);
    if (!mismatch.empty()) {
      throw UsageError(std::string("--resume: ") + r.option + " '" + r.path +
                       "' was written by another sweep (" + mismatch +
                       "); give the same options, or leave out --resume to start again");
    }
    const nlohmann::json& shard = meta["shard"];
    if (shard.value("index", -1) != record.shard.index ||
        shard.value("count", -1) != record.shard.count) {
      throw UsageError(std::string("--resume: ") + r.option + " '" + r.path + "' holds shard " +
                       std::to_string(shard.value("index", -1)) + "/" +
                       std::to_string(shard.value("count", -1)) + ", not " + record.shard.text());
    }
    // Files of a symbreak that cut shards at configurations record no items: theirs follow.
    const std::int64_t first_item =
        shard.value("first_item", shard.value("first_configuration", std::int64_t{-1}) * seeds);
    const std::int64_t end_item =
        shard.value("end_item", shard.value("end_configuration", std::int64_t{-1}) * seeds);
    if (first_item != record.shard_first_item || end_item != record.shard_end_item) {
      throw UsageError(std::string("--resume: ") + r.option + " '" + r.path + "' holds items " +
                       std::to_string(first_item) + " to " + std::to_string(end_item) +
                       " of the sweep, but shard " + record.shard.text() + " is items " +
                       std::to_string(record.shard_first_item) + " to " +
                       std::to_string(record.shard_end_item) +
                       " (written by another version of symbreak); leave out --resume to start "
                       "again");
    }
    Checkpoint c;
    c.configurations = meta["checkpoint"].value("configurations", std::int64_t{-1});
    c.items = meta["checkpoint"].value("items", c.configurations * seeds);
    const nlohmann::json& bytes = meta["checkpoint"]["bytes"];
    std::vector<std::string> keys;
    for (const ResolvedOutput& o : outputs) {
      keys.push_back(o.option);
      if (splits && keeps_pieces(o.option, o.target)) keys.push_back(pieces_key(o.option));
    }
    for (const std::string& key : keys) {
      if (c.items == 0) break;
      if (!bytes.contains(key) || !bytes[key].is_number_integer()) {
        throw UsageError(std::string("--resume: ") + r.option + " '" + r.path +
                         "': its checkpoint has no length for " + key);
      }
      c.bytes[key] = bytes[key].get<std::int64_t>();
    }
    if (!earliest || c.items < earliest->items) earliest = c;
  }
  // Nothing complete (interrupted before the first configuration or piece): a new sweep.
  if (earliest->items == 0) return Checkpoint{};
  return *earliest;
}

RunRecord make_run_record(const SweepOptions& o, const SweepPlan& plan, const Engine& engine,
                          const std::vector<ResolvedOutput>& outputs, const Shard& shard,
                          const ItemRange& items) {
  const ConfigRange range = configs_of(plan, items);
  RunRecord record;
  record.version = o.version;
  record.commit = o.commit;
  record.command = o.command_line;
  std::vector<std::string> given;
  for (const ResolvedOutput& r : outputs)
    given.push_back(r.option);
  record.sweep = sweep_identity(plan, engine.name(), given);
  record.shard = shard;
  record.shard_first_item = items.first;
  record.shard_end_item = items.end;
  record.shard_first_config = range.first;
  record.shard_end_config = range.end;
  record.engine = engine.name();
  // Each configuration counted by the shard that holds its last item (merge adds the counts up).
  std::map<std::string, std::int64_t> kernels;
  for (std::int64_t c = range.first; c < range.end; ++c) {
    if ((c + 1) * plan.run.seeds <= items.end) ++kernels[engine.kernel_for(plan, plan.configs[c])];
  }
  record.kernels = kernels;
  record.machine = machine_description();
  record.started = utc_now();
  return record;
}

// --devices checked against the engine: CUDA device numbers must exist; under mpirun each rank
// uses its own device (use_local_rank_device), so --devices is refused there.
std::vector<int> checked_devices(const std::string& text, const Engine& engine, int ranks) {
  const std::string name(engine.name());
  const bool cuda = name == "cuda" || name == "cublas";
  const int available = cuda ? static_cast<int>(query_cuda_devices().devices.size()) : 1;
  const std::vector<int> devices = parse_devices(text, available);
  if (ranks > 1) {
    throw UsageError("--devices: '" + text +
                     "' is not accepted under mpirun; start one rank per GPU instead");
  }
  for (const int d : devices) {
    if (cuda && d >= available) {
      throw UsageError("--devices: '" + text + "' is not accepted; device " + std::to_string(d) +
                       " does not exist (this machine has " + std::to_string(available) +
                       " CUDA devices, 0 to " + std::to_string(available - 1) + ")");
    }
  }
  return devices;
}

// Under mpirun, one GPU per rank: the cuda engines of the rank with local rank r on a machine with
// D GPUs work on GPU r mod D. Every rank asks for its local rank (a collective call), whatever
// its engine.
void use_local_rank_device(const std::string& engine) {
  if (mpi_size() <= 1) return;
  const int local = mpi_local_rank();
  if (engine != "cuda" && engine != "cublas") return;
  const CudaStatus cuda = query_cuda_devices();
  if (!cuda.devices.empty()) use_cuda_device(local_rank_device(local, cuda));
}

// A rank other than 0 under MPI: trains its chunks (k % ranks == rank) from where rank 0 says,
// and hands each to rank 0; writes nothing, prints nothing.
int run_other_rank(const SweepPlan& plan, Engine& engine, std::int64_t end_item) {
  install_stop_handlers();
  const StartMessage start = mpi_broadcast_start(StartMessage{});
  if (start.status != 0) return static_cast<int>(start.status);  // rank 0 said why
  const int rank = mpi_rank(), ranks = mpi_size();
  std::vector<WorkItem> items;
  std::vector<NetworkResult> results;
  std::int64_t k = 0;
  for (std::int64_t first = start.first_item; first < end_item; first += start.chunk_items, ++k) {
    if (k % ranks != rank) continue;
    if (stop_requested()) {
      mpi_send_chunk(k, true, {});
      return 128 + stop_signal();
    }
    const std::int64_t count = std::min(start.chunk_items, end_item - first);
    items.resize(count);
    results.assign(count, NetworkResult{});
    for (std::int64_t i = 0; i < count; ++i)
      items[i] = plan.item(first + i);
    engine.train(plan, items, results);
    mpi_send_chunk(k, false, results);
  }
  return 0;
}

}  // namespace

CLI::App* setup_sweep(CLI::App& parent, SweepOptions& o) {
  CLI::App& app = *parent.add_subcommand("sweep",
                                         "train a grid of configurations, print a table and a "
                                         "reading, write CSV files");
  add_grid_options(app, o.grid);
  add_run_options(app, o.run);
  const char* group = "Output";
  app.add_option("--out", o.out,
                 "per-configuration CSV (columns: docs/method.md §8.1); - for standard output")
      ->type_name("FILE.csv")
      ->group(group);
  app.add_option("--networks", o.networks, "per-network CSV")->type_name("FILE.csv")->group(group);
  app.add_option("--trace-every", o.trace_every, "trace every K epochs (with --trace)")
      ->type_name("K")
      ->group(group);
  app.add_option("--trace", o.trace, "per-configuration, per-traced-epoch CSV")
      ->type_name("FILE.csv")
      ->group(group);
  app.add_option("--params", o.params,
                 "CSV of the final parameters of the first K replicates of every configuration "
                 "(--params-replicates; columns: docs/method.md §8.4)")
      ->type_name("FILE.csv")
      ->group(group);
  app.add_option("--params-replicates", o.params_replicates,
                 "replicates per configuration whose parameters --params keeps [1]")
      ->type_name("K")
      ->group(group);
  app.add_flag("--quiet", o.quiet, "no table, reading or progress")->group(group);
  app.add_flag("--resume", o.resume,
               "continue the interrupted sweep whose files --out, --networks, --trace and --params "
               "name (same options)")
      ->group(group);
  app.add_option("--max-memory", o.max_memory,
                 "host memory the sweep may use, e.g. 4G; chunks are made small enough "
                 "[half of this machine's memory]")
      ->type_name("SIZE")
      ->group(group);
  app.add_option("--devices", o.devices,
                 "spread the chunks over these GPUs of this machine, one host thread each: all, "
                 "or numbers such as 0,1 (the cpu engines: one engine per number, sharing the "
                 "threads)")
      ->type_name("all|0,1,...")
      ->group(group);
  app.add_option("--shard", o.shard,
                 "run only part i of N of the sweep (0 <= i < N), a contiguous run of its "
                 "(configuration, replicate) networks of about equal work; symbreak merge joins "
                 "the parts")
      ->type_name("i/N")
      ->group(group);
  auto config = std::make_shared<std::string>();
  app.add_option("--config", *config,
                 "read these options from a TOML file (keys as the options: width = [4, 8])")
      ->type_name("FILE")
      ->group(group);
  app.callback([&app, &o, config] {
    if (config->empty()) return;
    // A bad value from the file is reported with the file, line and key that set it.
    check_config_values(*config, apply_config_file(app, *config), [&o] { check_values(o); });
  });
  return &app;
}

int run_sweep_command(const SweepOptions& o) {
  const SweepGrid grid = build_grid(o.grid);
  RunSettings run = build_run_settings(o.run);
  check_trace_options(o, run);
  check_params_options(o, run);
  const std::optional<std::int64_t> sample = sample_configs_count(o.grid);
  const std::vector<ResolvedOutput> outputs = resolve_outputs(o);
  const SelectedPlan selected = select_configurations(grid, run, sample);
  const SweepPlan& plan = selected.plan;
  const int threads = thread_count(o.run);
  check_engine_name(o.run.engine);
  const bool auto_engine = o.run.engine == "auto";
  const std::string chosen_engine = auto_engine ? choose_auto_engine(plan, true) : o.run.engine;
  use_local_rank_device(chosen_engine);
  const std::unique_ptr<Engine> engine = make_engine(chosen_engine, threads);
  if (!o.quiet && mpi_rank() == 0 && !selected.note().empty()) {
    std::fprintf(stderr, "%s\n", selected.note().c_str());
  }
  const double max_memory = o.max_memory ? parse_memory_size(*o.max_memory) : 0.0;
  const std::int64_t preferred = engine->preferred_chunk_items(plan);
  const std::int64_t chunk =
      max_memory > 0.0 ? chunk_items_within(plan, threads, preferred, max_memory) : preferred;
  check_sweep_fits(plan, threads, chunk, max_memory);

  const Shard shard = o.shard ? parse_shard(*o.shard) : Shard{};
  const ItemRange items = shard_items(plan, shard);
  const ConfigRange range = configs_of(plan, items);
  // The configurations whose rows this process writes: all but a split first or last one.
  const bool first_split = range.first < range.end && split_in(plan, items, range.first);
  const bool last_split = range.end - 1 > range.first && split_in(plan, items, range.end - 1);
  const std::int64_t whole_configs =
      range.end - range.first - (first_split ? 1 : 0) - (last_split ? 1 : 0);
  const bool splits = first_split || last_split;
  // A split configuration's row exists only once merge has its networks from every part, so a
  // part that splits one needs its .pieces files, which only a regular --out or --trace file has.
  for (const ResolvedOutput& out : outputs) {
    const std::string_view name = out.option;
    if (splits && (name == "--out" || name == "--trace") && !keeps_pieces(name, out.target)) {
      throw UsageError("--shard " + shard.text() + ": " + out.option + " '" + out.path +
                       "' is not a regular file, but this part shares a configuration with "
                       "other shards, whose networks merge needs in a .pieces file beside it; "
                       "give a file");
    }
  }
  const int ranks = mpi_size();
  const std::vector<int> devices =
      o.devices ? checked_devices(*o.devices, *engine, ranks) : std::vector<int>{};
  if (mpi_rank() != 0) return run_other_rank(plan, *engine, items.end);

  // Rank 0 (or the only process) checks the outputs and opens them; under MPI the other ranks wait
  // for its go-ahead, or for the news that it failed.
  std::optional<SweepOutputs> files;
  Checkpoint from;
  try {
    RunRecord record = make_run_record(o, plan, *engine, outputs, shard, items);
    record.ranks = ranks;
    from = o.resume ? resume_checkpoint(outputs, record, plan.run.seeds, splits) : Checkpoint{};
    // A checkpoint lies at the shard's start or end or at a configuration's first item.
    const std::int64_t at = items.first + from.items;
    if (from.configurations < 0 || from.configurations > whole_configs || from.items < 0 ||
        at > items.end || (at != items.first && at != items.end && at % plan.run.seeds != 0)) {
      throw UsageError("--resume: the checkpoint records " + std::to_string(from.configurations) +
                       " configurations and " + std::to_string(from.items) +
                       " networks complete, which does not fit this sweep's " +
                       std::to_string(items.end - items.first) + " networks");
    }
    // From here on SIGINT and SIGTERM only ask to stop, so the outputs opened next always end
    // with a checkpoint of their state (a second signal still ends the process at once).
    install_stop_handlers();
    // Opening the outputs checks that they are writable before any training starts.
    std::vector<OutputSpec> specs;
    for (const ResolvedOutput& r : outputs)
      specs.push_back(OutputSpec{r.option, r.path, r.target});
    files.emplace(plan, *engine, specs, std::move(record), from);
  } catch (const UsageError&) {
    mpi_broadcast_start(StartMessage{2, 0, 0});
    throw;
  } catch (...) {
    mpi_broadcast_start(StartMessage{1, 0, 0});
    throw;
  }
  // A reader that goes away is an output error like any other, not a reason to lose the rest.
  std::signal(SIGPIPE, SIG_IGN);
  const std::int64_t first_item = items.first + from.items;
  mpi_broadcast_start(StartMessage{0, first_item, chunk});

  const std::string engine_name(engine->name());
  RunnerOptions runner;
  runner.progress = !o.quiet;
  runner.should_stop = stop_requested;
  runner.chunk_items = chunk;
  runner.first_item = first_item;
  runner.end_item = items.end;
  runner.range_first_item = items.first;
  std::optional<DevicePool> pool;
  if (!devices.empty()) {
    const std::string name(engine->name());
    const int per_device =
        std::max(1, resolve_thread_count(threads) / static_cast<int>(devices.size()));
    const bool cuda = name == "cuda" || name == "cublas";
    pool.emplace(
        plan, devices,
        [name, per_device, cuda](int device) {
          if (cuda) use_cuda_device(device);
          return make_engine(name, per_device);
        },
        first_item, items.end, chunk);
    runner.train_chunk = [&pool](std::int64_t k, std::span<const WorkItem>,
                                 std::span<NetworkResult> out) {
      pool->take(k, out);
      return true;
    };
  }
  if (ranks > 1) {
    // Chunk k belongs to rank k % ranks; rank 0 takes the others' results in chunk order.
    runner.train_chunk = [&](std::int64_t k, std::span<const WorkItem> items,
                             std::span<NetworkResult> out) {
      const int owner = static_cast<int>(k % ranks);
      if (owner != 0) return mpi_receive_chunk(owner, k, out);
      engine->train(plan, items, out);
      return true;
    };
  }
  const SweepOutcome outcome = run_sweep(plan, *engine, *files, runner);

  std::vector<std::string> errors = files->finish(outcome.interrupted);
  const bool csv_on_stdout = files->writes_standard_output();
  const std::vector<ConfigOutcome>& outcomes = files->outcomes();
  const std::vector<std::string>& kernels = files->kernels();
  if (!o.quiet) {
    // With a CSV on standard output (`--out -`), the table and the reading go to stderr.
    std::ostream& text = csv_on_stdout ? std::cerr : std::cout;
    if (ranks > 1) text << "Trained by " << ranks << " MPI ranks.\n";
    if (splits) {
      text << "Shard " << shard.text() << " shares " << (first_split && last_split ? 2 : 1)
           << " configuration" << (first_split && last_split ? "s" : "")
           << " with other shards; symbreak merge writes the rows of each from the networks "
              "kept in the .pieces files beside --out and --trace.\n";
    }
    if (from.configurations > 0) {
      text << from.configurations
           << " configurations were completed by the interrupted run; the table and reading "
              "cover those trained now, the files all of them.\n";
    }
    // "engine cpu-ref (auto)": which engine auto chose is part of what the table reports.
    const std::string engine_label = auto_engine ? engine_name + " (auto)" : engine_name;
    text << format_summary_table(plan, outcomes, engine_label, kernels) << "\n"
         << plain_language_reading(plan, outcomes) << std::flush;
  }
  for (const std::string& error : errors)
    std::fprintf(stderr, "symbreak: error: %s\n", error.c_str());
  if (!errors.empty()) return 1;
  if (outcome.interrupted) {
    std::fprintf(stderr,
                 "symbreak: interrupted: %lld of %lld configurations complete and written; the "
                 "same command with --resume continues\n",
                 static_cast<long long>(files->configurations_complete()),
                 static_cast<long long>(whole_configs));
    const int status = 128 + (stop_signal() != 0 ? stop_signal() : SIGINT);
    // Other ranks may be waiting to hand over a chunk that will never be taken.
    if (ranks > 1) mpi_abort(status);
    return status;
  }
  return 0;
}

}  // namespace symbreak::cli
