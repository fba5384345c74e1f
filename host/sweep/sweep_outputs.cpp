// Streaming and checkpointing of the sweep's outputs (sweep_outputs.hpp).
#include "host/sweep/sweep_outputs.hpp"

#include <string_view>
#include <utility>

#include "host/report/csv_writer.hpp"

namespace symbreak {
namespace {

// Often enough that an interruption loses little, rarely enough that fsync costs nothing.
constexpr std::chrono::milliseconds kCheckpointEvery(250);

}  // namespace

SweepOutputs::SweepOutputs(const SweepPlan& plan, const Engine& engine,
                           const std::vector<OutputSpec>& specs, RunRecord record,
                           const Checkpoint& from)
    : plan_(plan),
      engine_(engine),
      engine_name_(engine.name()),
      record_(std::move(record)),
      checkpoint_(from),
      last_checkpoint_(std::chrono::steady_clock::now()) {
  const bool fresh = from.bytes.empty();
  for (const OutputSpec& spec : specs)
    outputs_.push_back(Output{spec, nullptr});
  // A new sweep first replaces the old checkpoints, which would no longer describe the files, by
  // its own empty one (nothing done: --resume starts again), and only then truncates the files.
  if (fresh) write_metas("running");
  outputs_.clear();
  for (const OutputSpec& spec : specs) {
    const auto kept = from.bytes.find(spec.option);
    const std::int64_t keep = kept == from.bytes.end() ? 0 : kept->second;
    outputs_.push_back(Output{spec, OutputFile::stream(spec.option, spec.path, spec.target, keep)});
  }
  out_ = find("--out");
  networks_ = find("--networks");
  trace_ = find("--trace");
  params_ = find("--params");
  if (fresh) {
    if (out_) out_->write(config_csv_header());
    if (networks_) networks_->write(network_csv_header(trace_ != nullptr));
    if (trace_) trace_->write(trace_csv_header());
    if (params_) params_->write(params_csv_header());
  }
  for (const Output& o : outputs_) {
    checkpoint_.bytes[o.spec.option] = o.file->bytes();
    o.file->flush_to_disk();
  }
  write_metas("running");
}

OutputFile* SweepOutputs::find(const char* option) const {
  for (const Output& o : outputs_) {
    if (o.spec.option == option) return o.file.get();
  }
  return nullptr;
}

bool SweepOutputs::writes_standard_output() const {
  for (const Output& o : outputs_) {
    if (o.file->writes_standard_output()) return true;
  }
  return false;
}

void SweepOutputs::network_done(std::int64_t item, const NetworkResult& r) {
  if (networks_) {
    networks_->write(network_csv_row(plan_, plan_.item(item), r, engine_name_, trace_ != nullptr));
  }
  // Only the first params_replicates replicates of a configuration carry their parameters.
  if (params_ && plan_.run.keeps_parameters(plan_.item(item).replicate)) {
    params_->write(params_csv_row(plan_, plan_.item(item), r, engine_name_));
  }
}

void SweepOutputs::config_done(std::int64_t config, const ConfigSummary& s,
                               const std::vector<TraceRow>& rows) {
  const Config& c = plan_.configs[config];
  kernels_.push_back(engine_.kernel_for(plan_, c));
  outcomes_.push_back(ConfigOutcome{config, s});
  if (out_) out_->write(config_csv_row(plan_, c, s, engine_name_, kernels_.back()));
  if (trace_) {
    for (const TraceRow& row : rows)
      trace_->write(trace_csv_row(plan_, c, row, engine_name_));
  }
  // The networks of this configuration were reported before it completed, those of the next
  // one not yet: every file ends at this configuration's last row.
  checkpoint_.configurations = config + 1 - record_.shard_first_config;
  for (const Output& o : outputs_)
    checkpoint_.bytes[o.spec.option] = o.file->bytes();
}

void SweepOutputs::chunk_done() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_checkpoint_ < kCheckpointEvery) return;
  last_checkpoint_ = now;
  // The data first: a checkpoint must never name bytes that are not on disk.
  for (const Output& o : outputs_)
    o.file->flush_to_disk();
  write_metas("running");
}

void SweepOutputs::write_metas(const char* state) {
  const bool running = std::string_view(state) == "running";
  const std::string ended = running ? std::string() : utc_now();
  for (const Output& o : outputs_) {
    if (o.spec.target.kind != OutputTarget::Kind::replace) continue;  // no file beside a device
    const std::string error =
        write_meta(o.spec.path, meta_document(record_, o.spec.option, state, checkpoint_, ended));
    if (!error.empty() && meta_errors_.empty()) meta_errors_.push_back(error);
  }
}

std::vector<std::string> SweepOutputs::finish(bool interrupted) {
  std::vector<std::string> errors;
  for (const Output& o : outputs_) {
    if (std::string error = o.file->commit(); !error.empty()) errors.push_back(std::move(error));
  }
  write_metas(!errors.empty() ? "failed" : interrupted ? "interrupted" : "complete");
  errors.insert(errors.end(), meta_errors_.begin(), meta_errors_.end());
  return errors;
}

}  // namespace symbreak
