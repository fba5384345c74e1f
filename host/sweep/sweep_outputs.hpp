// The output files of a running sweep, streamed: rows are appended as configurations complete, in
// the plan's order, and every second or so the files are flushed to disk and their meta files
// record a checkpoint (configurations complete, each file's length then), from which --resume
// continues. Between checkpoints a file may hold more than its checkpoint; --resume cuts it back.
// A shard that splits a configuration (host/sweep/shard.hpp) writes no row of it; its --out and
// --trace files get a pieces file beside them (FILE.pieces, host/report/config_pieces.hpp) with
// that configuration's networks, checkpointed like the file itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host/engines/engine.hpp"
#include "host/report/output_file.hpp"
#include "host/report/provenance.hpp"
#include "host/report/summary_table.hpp"
#include "host/sweep/sweep_runner.hpp"

namespace symbreak {

struct OutputSpec {
  std::string option;  // "--out", "--networks", "--trace" or "--params"
  std::string path;    // as given
  OutputTarget target;
};

// Whether an output gets a pieces file when its shard splits a configuration: --out and --trace
// (whose rows are aggregates), and only as files, since merge needs the meta file beside them.
bool keeps_pieces(std::string_view option, const OutputTarget& target);

class SweepOutputs final : public SweepObserver {
 public:
  // Opens the outputs, keeping `from.bytes[option]` of each (a resumed sweep) or writing their
  // headers (a new one, `from` empty). Throws UsageError when an output cannot be opened. The
  // shard's items are record.shard_first_item ... record.shard_end_item.
  SweepOutputs(const SweepPlan& plan, const Engine& engine, const std::vector<OutputSpec>& specs,
               RunRecord record, const Checkpoint& from);

  void network_done(std::int64_t item, const NetworkResult& result) override;
  void config_done(std::int64_t config, const ConfigSummary& summary,
                   const std::vector<TraceRow>& trace) override;
  void chunk_done() override;

  // Completes the files and records `state` ("complete", "interrupted") in their meta files.
  // Returns the errors, one line each.
  std::vector<std::string> finish(bool interrupted);

  bool writes_standard_output() const;
  // The configurations completed by this run, and the kernel of each.
  const std::vector<ConfigOutcome>& outcomes() const { return outcomes_; }
  const std::vector<std::string>& kernels() const { return kernels_; }
  std::int64_t configurations_complete() const { return checkpoint_.configurations; }

 private:
  struct Output {
    OutputSpec spec;
    std::unique_ptr<OutputFile> file;
    std::unique_ptr<OutputFile> pieces;  // --out, --trace of a shard with a split configuration
  };
  OutputFile* find(const char* option) const;
  void write_metas(const char* state);
  void record_checkpoint(std::int64_t items_done);
  bool split(std::int64_t config) const;

  const SweepPlan& plan_;
  const Engine& engine_;
  std::string engine_name_;
  RunRecord record_;
  std::vector<Output> outputs_;
  OutputFile *out_ = nullptr, *networks_ = nullptr, *trace_ = nullptr, *params_ = nullptr;
  Checkpoint checkpoint_;  // at the last configuration completed
  std::vector<ConfigOutcome> outcomes_;
  std::vector<std::string> kernels_;
  std::vector<std::string> meta_errors_;
  std::chrono::steady_clock::time_point last_checkpoint_;
};

}  // namespace symbreak
