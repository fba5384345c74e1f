// The pieces file beside a shard's --out and --trace files (FILE.csv.pieces): of each configuration
// the shard trains only in part (split between shards, host/sweep/shard.hpp), the per-network
// inputs of its aggregates (ConfigAccumulator), exactly, in replicate order, with the formatted
// columns of its rows. `merge` re-adds the pieces of all shards in shard (= replicate) order into
// one accumulator and so writes the very rows one process writes: means summed in the same order,
// medians of the same values, no rate ever averaged.
//
// Text, one line each:
//   symbreak pieces 1
//   piece CONFIG FIRST_REPLICATE END_REPLICATE {"leading": ..., ...}   (ConfigRowKey as JSON)
//   END_REPLICATE - FIRST_REPLICATE network lines, in replicate order: space-separated fields
//     solved broken collapsed frozen diverged epoch_solved accuracy test_accuracy single_class
//     final_loss distinct_fraction T, then T trace points of 7 fields
//     (epoch loss solved distinct_fraction broken collapsed diverged);
//   doubles as hexadecimal floating point (exact), `-` for a value a task does not have.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

#include "host/engines/network_result.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/stats.hpp"

namespace symbreak {

struct ConfigPiece {
  std::int64_t config = 0;
  std::int64_t first_replicate = 0, end_replicate = 0;  // replicates [first, end) follow
  ConfigRowKey key;
};

std::string pieces_file_header();
std::string piece_line(const ConfigPiece& piece);
// `distinct_fraction`: distinct_fraction(r.distinct, shape), 0 for a diverged network.
std::string piece_network_line(const NetworkResult& r, double distinct_fraction);

// Reads a pieces file front to back, one network at a time: memory stays that of one line.
class PiecesReader {
 public:
  // Throws UsageError, naming `label` and the path, when the file cannot be read or is not a
  // pieces file.
  PiecesReader(std::string label, std::string path);
  // The next piece's header line; nullopt at the end of the file. Call add_network once per
  // replicate of the piece before the next call.
  std::optional<ConfigPiece> next_piece();
  // Reads the next network line into `acc`; throws UsageError when it is missing or malformed.
  void add_network(ConfigAccumulator& acc);

 private:
  [[noreturn]] void malformed(const std::string& what) const;
  std::string label_, path_;
  std::ifstream in_;
  std::int64_t line_number_ = 0;
};

}  // namespace symbreak
