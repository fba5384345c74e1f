// Tests host/report/config_pieces: networks written to a pieces file and read back into an
// accumulator give bit for bit the aggregates and trace rows of adding them directly (the rows
// merge writes for a split configuration), also for values such as 0.1, 1e-300, the largest
// double, infinity and NaN; a damaged pieces file is refused with one line naming it.
#include "host/report/config_pieces.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

const NetworkShape kShape{2, 4, 1};

std::string temp_path(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Varied networks: every field set, awkward values among them, some traced points diverged.
std::vector<NetworkResult> networks(int count) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double awkward[] = {0.1,
                            1e-300,
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::quiet_NaN(),
                            -0.0};
  std::vector<NetworkResult> all;
  for (int k = 0; k < count; ++k) {
    NetworkResult r;
    r.solved = k % 3 == 0;
    r.epoch_solved = r.solved ? k * 7 : -1;
    r.diverged = k % 11 == 5;
    r.distinct = {1 + k % 4};
    r.broken = !r.diverged && r.distinct[0] == 4;
    r.collapsed = !r.diverged && r.distinct[0] == 1;
    r.frozen = k % 5 == 1;
    r.final_loss = k < 6 ? awkward[k] : unit(random);
    r.accuracy = unit(random);
    if (k % 2 == 0) r.test_accuracy = unit(random);
    if (k % 4 != 3) r.single_class = k % 4 == 0;
    for (int t = 0; t < 3; ++t) {
      r.trace.push_back(TracePoint{t * 10, unit(random) * 3.0, t == 2 && r.solved, unit(random),
                                   t == 2, t == 0, t == 1 && r.diverged});
    }
    all.push_back(r);
  }
  return all;
}

void expect_same_bits(std::optional<double> a, std::optional<double> b, const char* what) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what;
  if (!a) return;
  if (std::isnan(*a)) {
    EXPECT_TRUE(std::isnan(*b)) << what;
  } else {
    EXPECT_EQ(std::signbit(*a), std::signbit(*b)) << what;
    EXPECT_EQ(*a, *b) << what;
  }
}

TEST(ConfigPieces, ReadBackNetworksAggregateBitForBit) {
  const std::vector<NetworkResult> all = networks(40);
  ConfigAccumulator direct;
  for (const NetworkResult& r : all)
    direct.add(r, kShape);
  // Two pieces, replicates 0..17 and 17..40, as two shards would write them.
  const ConfigRowKey key{"xor,1,4", "sgd,0,0,0", "cpu", "\"a,b\"", "0", "1e-06"};
  std::string text = pieces_file_header();
  for (const auto& [first, end] : {std::pair{0, 17}, std::pair{17, 40}}) {
    text += piece_line(ConfigPiece{3, first, end, key});
    for (int k = first; k < end; ++k) {
      const NetworkResult& r = all[k];
      text += piece_network_line(r, r.diverged ? 0.0 : distinct_fraction(r.distinct, kShape));
    }
  }
  const std::string path = temp_path("read_back.pieces");
  write(path, text);
  PiecesReader reader("merge: ", path);
  ConfigAccumulator merged;
  for (int piece = 0; piece < 2; ++piece) {
    const std::optional<ConfigPiece> p = reader.next_piece();
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->config, 3);
    EXPECT_EQ(p->key.kernel, key.kernel);
    EXPECT_EQ(p->key.leading, key.leading);
    for (std::int64_t r = p->first_replicate; r < p->end_replicate; ++r)
      reader.add_network(merged);
  }
  EXPECT_FALSE(reader.next_piece().has_value());

  const ConfigSummary a = direct.summary(), b = merged.summary();
  EXPECT_EQ(a.n, b.n);
  EXPECT_EQ(a.solved.rate, b.solved.rate);
  EXPECT_EQ(a.broken.ci.lo, b.broken.ci.lo);
  EXPECT_EQ(a.diverged.rate, b.diverged.rate);
  expect_same_bits(a.eff_width, b.eff_width, "eff_width");
  expect_same_bits(a.mean_final_loss, b.mean_final_loss, "mean_final_loss");
  expect_same_bits(a.median_final_loss, b.median_final_loss, "median_final_loss");
  expect_same_bits(a.median_epoch_solved, b.median_epoch_solved, "median_epoch_solved");
  expect_same_bits(a.mean_accuracy, b.mean_accuracy, "mean_accuracy");
  expect_same_bits(a.median_test_accuracy, b.median_test_accuracy, "median_test_accuracy");
  ASSERT_TRUE(b.single_class.has_value());
  EXPECT_EQ(a.single_class->rate, b.single_class->rate);
  // The formatted rows, as merge writes them, equal the sweep's.
  EXPECT_EQ(config_csv_row(key, a), config_csv_row(key, b));
  const std::vector<TraceRow> ta = direct.trace_rows(), tb = merged.trace_rows();
  ASSERT_EQ(ta.size(), tb.size());
  for (std::size_t t = 0; t < ta.size(); ++t)
    EXPECT_EQ(trace_csv_row(key, ta[t]), trace_csv_row(key, tb[t])) << t;
}

TEST(ConfigPieces, RefusesDamagedFilesWithOneLine) {
  const NetworkResult r = networks(1)[0];
  const std::string good = pieces_file_header() + piece_line(ConfigPiece{0, 0, 2, ConfigRowKey{}}) +
                           piece_network_line(r, 0.5);
  // Appended, not added: GCC 12 warns falsely about chains of operator+ on strings.
  const auto plus = [](std::string text, const char* more) { return text.append(more); };
  const std::pair<std::string, std::string> cases[] = {
      {"not pieces\n", "not a pieces file"},
      {good, "ends inside a piece"},  // 2 replicates announced, 1 given
      {plus(good, "n 1 0\n"), "expected a network line"},
      {plus(good, "n y\n"), "is not an integer"},
      {plus(pieces_file_header(), "piece 0 2 1 {}\n"), "expected a piece line"},
      {plus(pieces_file_header(), "piece 0 0 1 {\"leading\": 1}\n"), "not readable"},
  };
  const std::string path = temp_path("damaged.pieces");
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(message);
    write(path, text);
    try {
      PiecesReader reader("merge: ", path);
      ConfigAccumulator acc;
      while (const std::optional<ConfigPiece> p = reader.next_piece()) {
        for (std::int64_t k = p->first_replicate; k < p->end_replicate; ++k)
          reader.add_network(acc);
      }
      ADD_FAILURE() << "not refused";
    } catch (const UsageError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(message), std::string::npos) << what;
      EXPECT_NE(what.find(path), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace symbreak
