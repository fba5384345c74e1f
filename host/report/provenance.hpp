// FILE.meta.json beside every output file: which symbreak, command, options, engine, machine and
// part of the sweep wrote FILE, when, and how far it got. `sweep --resume` and `merge` read it back
// to refuse files of another sweep; a person reads it to reproduce or question a number.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "host/sweep/shard.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

// What decides the content of a sweep's files: the configurations (each grid column's values and
// a fingerprint of the whole list), the run settings, the engine and which outputs are written.
// Two runs with equal identities write the same bytes.
nlohmann::json sweep_identity(const SweepPlan& plan, std::string_view engine,
                              const std::vector<std::string>& outputs);

// How far the outputs got: configurations whose rows are written, work items done (counted from
// the shard's first item) and each output's length at that point. A checkpoint lies at the end of
// a configuration or of a piece of a split one (host/sweep/shard.hpp), never inside either.
struct Checkpoint {
  std::int64_t configurations = 0;
  std::int64_t items = 0;
  // By option: "--out", "--networks", "--trace", "--params", and "--out pieces" and
  // "--trace pieces" for the pieces files of a shard that splits a configuration.
  std::map<std::string, std::int64_t> bytes;
};

// The key of an output's pieces file in Checkpoint::bytes, and its path.
std::string pieces_key(const std::string& option);
std::string pieces_path(const std::string& output_path);

// Everything but the checkpoint and the state, the same for every output of one run.
struct RunRecord {
  std::string version, commit;
  std::vector<std::string> command;
  nlohmann::json sweep;  // sweep_identity
  Shard shard;
  // The shard's work items [first, end) and the configurations with an item among them.
  std::int64_t shard_first_item = 0, shard_end_item = 0;
  std::int64_t shard_first_config = 0, shard_end_config = 0;
  std::int64_t ranks = 1;
  std::string engine;
  // Kernel name -> configurations it trains whose last item is in the shard, so that the parts'
  // counts add up to one process's.
  nlohmann::json kernels;
  nlohmann::json machine;  // CPU model, devices
  std::string started;
};

// state: "running", "interrupted", "failed" or "complete". `ended` empty while running.
nlohmann::json meta_document(const RunRecord& run, std::string_view option, std::string_view state,
                             const Checkpoint& checkpoint, const std::string& ended);

std::string meta_path(const std::string& output_path);
// Writes `document` to meta_path(output_path) atomically; returns "" or a one-line error.
std::string write_meta(const std::string& output_path, const nlohmann::json& document);
// Reads meta_path(output_path); throws UsageError naming `option` and the file when it is missing
// or not a meta file of symbreak.
nlohmann::json read_meta(const std::string& option, const std::string& output_path);

// The first difference between two identities, as "seeds: 20 there, 30 here"; "" when equal.
std::string identity_difference(const nlohmann::json& there, const nlohmann::json& here);

std::string utc_now();  // e.g. 2026-12-04T18:02:11Z
nlohmann::json machine_description();

}  // namespace symbreak
