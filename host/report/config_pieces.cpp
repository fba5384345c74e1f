// Writing and reading pieces files (config_pieces.hpp); hexadecimal doubles read back bit for bit.
#include "host/report/config_pieces.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <sstream>
#include <vector>

#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

constexpr const char* kHeader = "symbreak pieces 1";

void put_double(std::string& line, double value) {
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::hex);
  line += ' ';
  line.append(buffer, ec == std::errc() ? end : buffer);
}

void put_integer(std::string& line, long long value) {
  line += ' ';
  line += std::to_string(value);
}

// The fields of one line, split at spaces.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; in >> field;)
    fields.push_back(field);
  return fields;
}

}  // namespace

std::string pieces_file_header() {
  return std::string(kHeader) + "\n";
}

std::string piece_line(const ConfigPiece& p) {
  const nlohmann::json key = {{"leading", p.key.leading}, {"trailing", p.key.trailing},
                              {"engine", p.key.engine},   {"kernel", p.key.kernel},
                              {"seed", p.key.seed},       {"tol", p.key.tol}};
  return "piece " + std::to_string(p.config) + " " + std::to_string(p.first_replicate) + " " +
         std::to_string(p.end_replicate) + " " + key.dump() + "\n";
}

std::string piece_network_line(const NetworkResult& r, double distinct_fraction) {
  std::string line = "n";
  for (const bool b : {r.solved, r.broken, r.collapsed, r.frozen, r.diverged})
    put_integer(line, b);
  put_integer(line, r.epoch_solved);
  put_double(line, r.accuracy);
  if (r.test_accuracy) {
    put_double(line, *r.test_accuracy);
  } else {
    line += " -";
  }
  if (r.single_class) {
    put_integer(line, *r.single_class);
  } else {
    line += " -";
  }
  put_double(line, r.final_loss);
  put_double(line, distinct_fraction);
  put_integer(line, static_cast<long long>(r.trace.size()));
  for (const TracePoint& p : r.trace) {
    put_integer(line, p.epoch);
    put_double(line, p.loss);
    put_integer(line, p.solved);
    put_double(line, p.distinct_fraction);
    put_integer(line, p.broken);
    put_integer(line, p.collapsed);
    put_integer(line, p.diverged);
  }
  return line + "\n";
}

PiecesReader::PiecesReader(std::string label, std::string path)
    : label_(std::move(label)), path_(std::move(path)), in_(path_, std::ios::binary) {
  if (!in_) throw UsageError(label_ + "'" + path_ + "' cannot be read");
  std::string line;
  std::getline(in_, line);
  ++line_number_;
  if (line != kHeader) malformed("it is not a pieces file of symbreak");
}

void PiecesReader::malformed(const std::string& what) const {
  throw UsageError(label_ + "'" + path_ + "', line " + std::to_string(line_number_) + ": " + what);
}

std::optional<ConfigPiece> PiecesReader::next_piece() {
  std::string line;
  if (!std::getline(in_, line)) return std::nullopt;
  ++line_number_;
  std::istringstream in(line);
  std::string word;
  ConfigPiece p;
  in >> word >> p.config >> p.first_replicate >> p.end_replicate;
  std::string rest;
  std::getline(in, rest);
  if (!in || word != "piece" || p.first_replicate < 0 || p.end_replicate <= p.first_replicate) {
    malformed("expected a piece line");
  }
  try {
    const nlohmann::json key = nlohmann::json::parse(rest);
    p.key = ConfigRowKey{key.at("leading"), key.at("trailing"), key.at("engine"),
                         key.at("kernel"),  key.at("seed"),     key.at("tol")};
  } catch (const nlohmann::json::exception&) {
    malformed("the piece line's columns are not readable");
  }
  return p;
}

void PiecesReader::add_network(ConfigAccumulator& acc) {
  std::string line;
  if (!std::getline(in_, line)) {
    ++line_number_;
    malformed("the file ends inside a piece");
  }
  ++line_number_;
  const std::vector<std::string> f = fields_of(line);
  std::size_t next = 1;
  const auto need = [&](std::size_t count) {
    if (f.empty() || f[0] != "n" || next + count > f.size()) malformed("expected a network line");
  };
  const auto integer = [&]() {
    need(1);
    long long value = 0;
    const std::string& s = f[next++];
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) malformed("'" + s + "' is not an integer");
    return value;
  };
  const auto real = [&]() {
    need(1);
    double value = 0.0;
    const std::string& s = f[next++];
    const auto [end, ec] =
        std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::hex);
    if (ec != std::errc() || end != s.data() + s.size()) malformed("'" + s + "' is not a number");
    return value;
  };
  const auto absent = [&]() {
    need(1);
    if (f[next] != "-") return false;
    ++next;
    return true;
  };
  NetworkResult r;
  r.solved = integer() != 0;
  r.broken = integer() != 0;
  r.collapsed = integer() != 0;
  r.frozen = integer() != 0;
  r.diverged = integer() != 0;
  r.epoch_solved = static_cast<int>(integer());
  r.accuracy = real();
  if (!absent()) r.test_accuracy = real();
  if (!absent()) r.single_class = integer() != 0;
  r.final_loss = real();
  const double distinct_fraction = real();
  const long long points = integer();
  if (points < 0 || static_cast<std::size_t>(points) * 7 != f.size() - next) {
    malformed("expected a network line");
  }
  r.trace.resize(static_cast<std::size_t>(points));
  for (TracePoint& p : r.trace) {
    p.epoch = static_cast<int>(integer());
    p.loss = real();
    p.solved = integer() != 0;
    p.distinct_fraction = real();
    p.broken = integer() != 0;
    p.collapsed = integer() != 0;
    p.diverged = integer() != 0;
  }
  acc.add(r, distinct_fraction);
}

}  // namespace symbreak
