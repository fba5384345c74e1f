// Checks every part (and its pieces file) against its meta file and the others, and the pieces'
// order across the parts, before anything is written; then streams the parts' rows through one
// buffer and recomputes each split configuration's rows from its pieces, so memory stays that of
// one split configuration's networks whatever the size of the parts.
#include "host/report/merge_parts.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "host/config/usage_error.hpp"
#include "host/report/config_pieces.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/output_file.hpp"
#include "host/report/provenance.hpp"
#include "host/report/stats.hpp"

namespace symbreak {
namespace {

struct Part {
  std::string path;
  nlohmann::json meta;
  std::int64_t index = 0, count = 0;
  std::string option;
  std::int64_t first_item = 0, end_item = 0;
  std::string pieces;  // the pieces file's path; empty when the part has none
};

[[noreturn]] void refuse(const std::string& message) {
  throw UsageError("merge: " + message);
}

std::string in_quotes(const std::string& path) {
  return "'" + path + "'";
}

// Refuses `path` unless it holds exactly the `key` bytes its meta file `part` records.
void check_length(const std::string& path, const Part& part, const std::string& key) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    refuse("cannot read " + in_quotes(path) +
           (path == part.path ? "" : ", the pieces file of " + in_quotes(part.path)));
  }
  const std::int64_t recorded = part.meta["checkpoint"]["bytes"].value(key, std::int64_t{-1});
  if (st.st_size != recorded) {
    refuse(in_quotes(path) + " holds " + std::to_string(st.st_size) + " bytes, but its meta file " +
           "records " + std::to_string(recorded) + "; it was changed after its sweep wrote it");
  }
}

Part read_part(const std::string& path) {
  Part part;
  part.path = path;
  part.meta = read_meta("merge", path);
  const nlohmann::json& shard = part.meta["shard"];
  part.index = shard.value("index", std::int64_t{-1});
  part.count = shard.value("count", std::int64_t{-1});
  part.option = part.meta.value("file", "");
  // Parts of a symbreak that cut shards at configurations record no items.
  const std::int64_t seeds = part.meta["sweep"].value("seeds", std::int64_t{0});
  part.first_item =
      shard.value("first_item", shard.value("first_configuration", std::int64_t{0}) * seeds);
  part.end_item =
      shard.value("end_item", shard.value("end_configuration", std::int64_t{0}) * seeds);
  const std::string state = part.meta.value("state", "");
  if (state != "complete") {
    refuse(in_quotes(path) + " is not complete (its sweep is " + state +
           "); finish it with sweep --resume first");
  }
  check_length(path, part, part.option);
  const bool aggregates = part.option == "--out" || part.option == "--trace";
  if (aggregates && part.meta["checkpoint"]["bytes"].contains(pieces_key(part.option))) {
    part.pieces = pieces_path(path);
    check_length(part.pieces, part, pieces_key(part.option));
  }
  return part;
}

// A configuration split between shards, while its pieces are being added.
struct OpenConfig {
  std::int64_t config = -1;
  ConfigRowKey key;
  ConfigAccumulator networks;
  std::string source;  // the pieces file that opened it, for messages
};

// Walks the parts' pieces in shard order: adds each piece's networks to the configuration it
// belongs to and hands a configuration to `complete` when its last replicate is added; refuses
// pieces that do not follow one another as the shards of one sweep write them. `rows(part)` is
// called between a part's pieces that continue a configuration and the one that starts one, where
// the part's own rows belong.
template <typename Complete, typename Rows>
void walk_pieces(const std::vector<const Part*>& parts, std::int64_t seeds, Complete complete,
                 Rows rows) {
  std::optional<OpenConfig> open;
  for (const Part* part : parts) {
    std::optional<PiecesReader> reader;
    std::optional<ConfigPiece> piece;
    if (!part->pieces.empty()) {
      reader.emplace("merge: ", part->pieces);
      piece = reader->next_piece();
    }
    const auto add = [&](const ConfigPiece& p) {
      if (p.end_replicate > seeds) {
        refuse(in_quotes(part->pieces) + " holds replicates up to " +
               std::to_string(p.end_replicate) + " of a sweep of " + std::to_string(seeds));
      }
      for (std::int64_t r = p.first_replicate; r < p.end_replicate; ++r)
        reader->add_network(open->networks);
      if (p.end_replicate == seeds) {
        complete(*open);
        open.reset();
      }
    };
    // Pieces that continue a configuration of earlier shards, in replicate order.
    while (piece && piece->first_replicate > 0) {
      if (!open || open->config != piece->config ||
          open->networks.count() != piece->first_replicate) {
        refuse(in_quotes(part->pieces) + " continues configuration " +
               std::to_string(piece->config) + " at replicate " +
               std::to_string(piece->first_replicate) + ", which the earlier shards do not end at");
      }
      add(*piece);
      piece = reader->next_piece();
    }
    // Still open: the part lies inside that configuration, so it can hold nothing else.
    const std::int64_t whole = part->meta["checkpoint"].value("configurations", std::int64_t{0});
    if (open && (piece || whole > 0)) {
      refuse(in_quotes(part->path) + " does not finish configuration " +
             std::to_string(open->config) + ", which " + in_quotes(open->source) + " began");
    }
    rows(*part);
    if (piece) {
      if (open) {
        refuse(in_quotes(part->pieces) + " begins configuration " + std::to_string(piece->config) +
               " before " + std::to_string(open->config) + " is complete");
      }
      open.emplace();
      open->config = piece->config;
      open->key = piece->key;
      open->source = part->pieces;
      add(*piece);
      if (reader->next_piece())
        refuse(in_quotes(part->pieces) + " holds more pieces than a shard writes");
    }
  }
  if (open) {
    refuse("configuration " + std::to_string(open->config) + " is incomplete: the pieces of " +
           in_quotes(open->source) + " and later parts end at replicate " +
           std::to_string(open->networks.count()) + " of " + std::to_string(seeds));
  }
}

// The first line of `path`, with its newline.
std::string header_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  return line + "\n";
}

}  // namespace

void merge_parts(const std::string& out, const std::vector<std::string>& paths,
                 const std::vector<std::string>& command_line) {
  if (paths.empty()) refuse("give the output file and the parts to merge");
  const OutputTarget target = resolve_output("merge", out);
  std::vector<Part> parts;
  for (const std::string& path : paths) {
    if (!target.identity().empty() && target.identity() == resolve_output("merge", path).identity())
      refuse(in_quotes(out) + " is also given as a part; write the merged file elsewhere");
    parts.push_back(read_part(path));
  }
  const Part& first = parts.front();
  std::map<std::int64_t, const Part*> by_index;
  for (const Part& p : parts) {
    const std::string difference = identity_difference(first.meta["sweep"], p.meta["sweep"]);
    if (!difference.empty()) {
      refuse(in_quotes(p.path) + " is from another sweep than " + in_quotes(first.path) + " (" +
             difference + ")");
    }
    if (p.option != first.option) {
      refuse(in_quotes(p.path) + " is a " + p.option + " file, " + in_quotes(first.path) + " a " +
             first.option + " file");
    }
    if (p.count != first.count) {
      refuse(in_quotes(p.path) + " is shard " + std::to_string(p.index) + "/" +
             std::to_string(p.count) + ", " + in_quotes(first.path) + " one of " +
             std::to_string(first.count));
    }
    const auto [where, inserted] = by_index.emplace(p.index, &p);
    if (!inserted) {
      refuse(in_quotes(where->second->path) + " and " + in_quotes(p.path) + " are both shard " +
             std::to_string(p.index) + "/" + std::to_string(p.count));
    }
  }
  for (std::int64_t i = 0; i < first.count; ++i) {
    if (!by_index.count(i)) {
      refuse("shard " + std::to_string(i) + "/" + std::to_string(first.count) +
             " is missing; give all " + std::to_string(first.count) + " parts");
    }
  }
  const std::string header = header_of(first.path);
  for (const Part& p : parts) {
    if (header_of(p.path) != header) refuse(in_quotes(p.path) + " has another header");
  }
  std::vector<const Part*> ordered;
  for (const auto& [index, part] : by_index)
    ordered.push_back(part);
  const std::int64_t seeds = first.meta["sweep"].value("seeds", std::int64_t{0});
  const std::int64_t configurations = first.meta["sweep"].value("configurations", std::int64_t{0});
  std::int64_t next_item = 0;
  for (const Part* p : ordered) {
    if (p->first_item != next_item) {
      refuse(in_quotes(p->path) + " holds items from " + std::to_string(p->first_item) +
             ", but the shards before it end at item " + std::to_string(next_item));
    }
    next_item = p->end_item;
  }
  if (next_item != configurations * seeds) {
    refuse("the parts end at item " + std::to_string(next_item) + " of the sweep's " +
           std::to_string(configurations * seeds));
  }
  // Every piece read and checked before the merged file is created.
  walk_pieces(
      ordered, seeds, [](const OpenConfig&) {}, [](const Part&) {});

  OutputFile file("merge", out, target);
  file.write(header);
  nlohmann::json kernels = nlohmann::json::object();
  std::vector<char> buffer(1 << 20);
  // A split configuration's rows, from all its networks, by the sweep's own formatting.
  const auto complete = [&](const OpenConfig& c) {
    if (first.option == "--out") {
      file.write(config_csv_row(c.key, c.networks.summary()));
    } else {
      for (const TraceRow& row : c.networks.trace_rows())
        file.write(trace_csv_row(c.key, row));
    }
  };
  const auto rows = [&](const Part& part) {
    std::ifstream in(part.path, std::ios::binary);
    std::string skipped;
    std::getline(in, skipped);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      file.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    for (const auto& [kernel, count] : part.meta["kernels"].items()) {
      kernels[kernel] = kernels.value(kernel, std::int64_t{0}) + count.get<std::int64_t>();
    }
  };
  walk_pieces(ordered, seeds, complete, rows);
  const std::int64_t bytes = file.bytes();
  if (std::string error = file.commit(); !error.empty()) throw std::runtime_error(error);

  // The merged file's meta: the sweep of its parts, as one process would have recorded it.
  nlohmann::json meta = first.meta;
  meta["state"] = "complete";
  meta["command"] = command_line;
  meta["shard"] = {{"index", 0},
                   {"count", 1},
                   {"first_configuration", 0},
                   {"end_configuration", configurations},
                   {"first_item", 0},
                   {"end_item", configurations * seeds}};
  meta["kernels"] = kernels;
  meta["checkpoint"] = {{"configurations", configurations},
                        {"items", configurations * seeds},
                        {"bytes", {{first.option, bytes}}}};
  meta["merged_from"] = nlohmann::json::array();
  for (const auto& [index, part] : by_index) {
    meta["merged_from"].push_back({{"path", part->path},
                                   {"shard", index},
                                   {"machine", part->meta["machine"]},
                                   {"started", part->meta["started"]},
                                   {"ended", part->meta["ended"]}});
  }
  meta["ended"] = utc_now();
  if (std::string error = write_meta(out, meta); !error.empty()) throw std::runtime_error(error);
}

}  // namespace symbreak
