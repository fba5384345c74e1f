// Streaming and checkpointing of the sweep's outputs (sweep_outputs.hpp).
#include "host/sweep/sweep_outputs.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "host/report/config_pieces.hpp"
#include "host/report/csv_writer.hpp"
#include "host/sweep/shard.hpp"

namespace symbreak {
namespace {

// Often enough that an interruption loses little, rarely enough that fsync costs nothing.
constexpr std::chrono::milliseconds kCheckpointEvery(250);

}  // namespace

bool keeps_pieces(std::string_view option, const OutputTarget& target) {
  return (option == "--out" || option == "--trace") && target.kind == OutputTarget::Kind::replace;
}

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
    outputs_.push_back(Output{spec, nullptr, nullptr});
  // A new sweep first replaces the old checkpoints, which would no longer describe the files, by
  // its own empty one (nothing done: --resume starts again), and only then truncates the files.
  if (fresh) write_metas("running");
  outputs_.clear();
  const auto kept_bytes = [&from](const std::string& key) {
    const auto kept = from.bytes.find(key);
    return kept == from.bytes.end() ? std::int64_t{0} : kept->second;
  };
  const ConfigRange configs =
      configs_of(plan_, ItemRange{record_.shard_first_item, record_.shard_end_item});
  const bool splits =
      configs.first < configs.end && (split(configs.first) || split(configs.end - 1));
  for (const OutputSpec& spec : specs) {
    Output o{spec, OutputFile::stream(spec.option, spec.path, spec.target, kept_bytes(spec.option)),
             nullptr};
    if (splits && keeps_pieces(spec.option, spec.target)) {
      const std::string key = pieces_key(spec.option), path = pieces_path(spec.path);
      o.pieces = OutputFile::stream(key, path, resolve_output(key, path), kept_bytes(key));
      if (fresh) o.pieces->write(pieces_file_header());
    }
    outputs_.push_back(std::move(o));
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
    if (o.pieces) {
      checkpoint_.bytes[pieces_key(o.spec.option)] = o.pieces->bytes();
      o.pieces->flush_to_disk();
    }
  }
  write_metas("running");
}

bool SweepOutputs::split(std::int64_t config) const {
  return split_in(plan_, ItemRange{record_.shard_first_item, record_.shard_end_item}, config);
}

void SweepOutputs::record_checkpoint(std::int64_t items_done) {
  checkpoint_.items = items_done - record_.shard_first_item;
  for (const Output& o : outputs_) {
    checkpoint_.bytes[o.spec.option] = o.file->bytes();
    if (o.pieces) checkpoint_.bytes[pieces_key(o.spec.option)] = o.pieces->bytes();
  }
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
  const std::int64_t config = plan_.item(item).config;
  if (!split(config)) return;
  // A piece: this configuration's items in the shard, [piece_first, piece_end).
  const std::int64_t seeds = plan_.run.seeds;
  const std::int64_t piece_first = std::max(config * seeds, record_.shard_first_item);
  const std::int64_t piece_end = std::min((config + 1) * seeds, record_.shard_end_item);
  std::string header;
  const Config& c = plan_.configs[config];
  if (item == piece_first) {
    header = piece_line(
        ConfigPiece{config, piece_first - config * seeds, piece_end - config * seeds,
                    config_row_key(plan_, c, engine_name_, engine_.kernel_for(plan_, c))});
  }
  const std::string line =
      piece_network_line(r, r.diverged ? 0.0 : distinct_fraction(r.distinct, plan_.shape_of(c)));
  for (const Output& o : outputs_) {
    if (!o.pieces) continue;
    o.pieces->write(header);
    o.pieces->write(line);
  }
  // The piece is complete: every file ends where it does.
  if (item + 1 == piece_end) record_checkpoint(item + 1);
}

void SweepOutputs::config_done(std::int64_t config, const ConfigSummary& s,
                               const std::vector<TraceRow>& rows) {
  const Config& c = plan_.configs[config];
  kernels_.push_back(engine_.kernel_for(plan_, c));
  outcomes_.push_back(ConfigOutcome{config, s});
  // The configuration's columns formatted once for its row and every traced epoch's, as merge
  // formats a split configuration's rows from its pieces.
  const ConfigRowKey key = config_row_key(plan_, c, engine_name_, kernels_.back());
  if (out_) out_->write(config_csv_row(key, s));
  if (trace_) {
    for (const TraceRow& row : rows)
      trace_->write(trace_csv_row(key, row));
  }
  // The networks of this configuration were reported before it completed, those of the next
  // one not yet: every file ends at this configuration's last row.
  ++checkpoint_.configurations;
  record_checkpoint((config + 1) * plan_.run.seeds);
}

void SweepOutputs::chunk_done() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_checkpoint_ < kCheckpointEvery) return;
  last_checkpoint_ = now;
  // The data first: a checkpoint must never name bytes that are not on disk.
  for (const Output& o : outputs_) {
    o.file->flush_to_disk();
    if (o.pieces) o.pieces->flush_to_disk();
  }
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
    if (!o.pieces) continue;
    if (std::string error = o.pieces->commit(); !error.empty()) errors.push_back(std::move(error));
  }
  write_metas(!errors.empty() ? "failed" : interrupted ? "interrupted" : "complete");
  errors.insert(errors.end(), meta_errors_.begin(), meta_errors_.end());
  return errors;
}

}  // namespace symbreak
