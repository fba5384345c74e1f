// Generation of circles, moons and spiral, and reading of csv:TRAIN[:TEST] (docs/method.md §1.1).
#include "host/config/data_tasks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/config/memory_limit.hpp"
#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"
#include "kernels/philox_draws.cuh"

namespace symbreak {
namespace {

enum class Shape { circles, moons, spiral };

struct SyntheticSpec {
  Shape shape = Shape::circles;
  int samples = 300;
  double noise = 0.05;
  double factor = 0.8;  // circles only
};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

[[noreturn]] void reject_synthetic(std::string_view name, std::string_view why) {
  throw UsageError("task '" + std::string(name) + "': " + std::string(why));
}

SyntheticSpec parse_synthetic(std::string_view name) {
  const std::vector<std::string_view> parts = split(name, ':');
  SyntheticSpec spec;
  std::size_t max_parts = 3;
  if (parts[0] == "circles") {
    max_parts = 4;
  } else if (parts[0] == "moons") {
    spec.shape = Shape::moons;
    spec.noise = 0.1;
  } else {
    spec.shape = Shape::spiral;
  }
  const std::string form = parts[0] == "circles" ? "circles[:n[:noise[:factor]]]"
                                                 : std::string(parts[0]) + "[:n[:noise]]";
  if (parts.size() > max_parts) reject_synthetic(name, "too many parameters; accepted: " + form);
  if (parts.size() > 1) {
    const auto n = parse_integer(parts[1], 2, kMaxDataSamples);
    if (!n) {
      reject_synthetic(name, "n '" + std::string(parts[1]) +
                                 "' is not accepted; expected an "
                                 "integer from 2 to " +
                                 std::to_string(kMaxDataSamples) + " (" + form + ")");
    }
    spec.samples = static_cast<int>(*n);
  }
  if (parts.size() > 2) {
    const auto noise = parse_finite_double(parts[2]);
    if (!noise || *noise < 0.0 || *noise > 1e6) {
      reject_synthetic(name, "noise '" + std::string(parts[2]) +
                                 "' is not accepted; expected a number from 0 to 1e6 (" + form +
                                 ")");
    }
    spec.noise = *noise;
  }
  if (parts.size() > 3) {
    const auto factor = parse_finite_double(parts[3]);
    if (!factor || !(*factor > 0.0 && *factor < 1.0)) {
      reject_synthetic(name, "factor '" + std::string(parts[3]) +
                                 "' is not accepted; expected a number with 0 < factor < 1 (" +
                                 form + ")");
    }
    spec.factor = *factor;
  }
  return spec;
}

// Point k (0-based) of m of class `label` before noise, in the geometry of scikit-learn's
// make_circles / make_moons, and of two point-symmetric spiral arms of one and a half turns.
std::pair<double, double> clean_point(const SyntheticSpec& spec, int label, int k, int m) {
  constexpr double pi = std::numbers::pi;
  switch (spec.shape) {
    case Shape::circles: {
      const double angle = 2.0 * pi * k / m;
      const double radius = label == 0 ? 1.0 : spec.factor;
      return {radius * std::cos(angle), radius * std::sin(angle)};
    }
    case Shape::moons: {
      const double angle = m > 1 ? pi * k / (m - 1) : 0.0;  // numpy's linspace(0, pi, m)
      if (label == 0) return {std::cos(angle), std::sin(angle)};
      return {1.0 - std::cos(angle), 1.0 - std::sin(angle) - 0.5};
    }
    case Shape::spiral: {
      const double t = (k + 0.5) / m;  // radius, from near the centre outwards
      const double angle = 3.0 * pi * t + (label == 0 ? 0.0 : pi);
      return {t * std::cos(angle), t * std::sin(angle)};
    }
  }
  return {0.0, 0.0};
}

// One set of `n` samples ordered 0, 1, 0, 1, ...: n / 2 of label 0 and the rest of label 1 (the
// last sample of an odd n is a 1). `set` 0 is the training set, 1 the test set: their noise comes
// from different Philox counters.
void generate_set(const SyntheticSpec& spec, int n, std::uint32_t data_seed, std::uint32_t set,
                  std::vector<double>& x, std::vector<double>& target) {
  const int count[2] = {n / 2, n - n / 2};
  x.assign(2 * static_cast<std::size_t>(n), 0.0);
  target.assign(n, 0.0);
  int s = 0;
  for (int k = 0; s < n; ++k) {
    for (int label = 0; label < 2; ++label) {
      if (k >= count[label]) continue;
      const auto [px, py] = clean_point(spec, label, k, count[label]);
      // Layer 0 of the initialisation draws (docs/method.md §5.3) is never used by a network, so
      // the data's numbers are independent of every initial parameter.
      const DrawKey key{data_seed, 0};
      const auto noise = [&](std::uint32_t coordinate) {
        return standard_normal(key, DrawSite{0, static_cast<DrawStream>(set),
                                             2 * static_cast<std::uint32_t>(s) + coordinate});
      };
      x[2 * static_cast<std::size_t>(s)] = px + spec.noise * noise(0);
      x[2 * static_cast<std::size_t>(s) + 1] = py + spec.noise * noise(1);
      target[s] = label;
      ++s;
    }
  }
}

Task make_synthetic(std::string_view name, std::uint32_t data_seed) {
  const SyntheticSpec spec = parse_synthetic(name);
  Task task;
  task.name = std::string(name);
  task.inputs = 2;
  task.samples = spec.samples;
  generate_set(spec, spec.samples, data_seed, 0, task.x, task.target);
  task.test_samples = (spec.samples + 2) / 3;
  generate_set(spec, task.test_samples, data_seed, 1, task.test_x, task.test_target);
  return task;
}

// csv:TRAIN[:TEST]
std::pair<std::string, std::optional<std::string>> csv_paths(std::string_view name) {
  const std::string_view rest = name.substr(4);
  const std::vector<std::string_view> parts = split(rest, ':');
  if (parts.size() > 2 || parts[0].empty() || (parts.size() == 2 && parts[1].empty())) {
    throw UsageError("task '" + std::string(name) +
                     "' is not accepted; expected csv:TRAIN.csv or csv:TRAIN.csv:TEST.csv (file "
                     "names without ':' or ',')");
  }
  if (parts.size() == 1) return {std::string(parts[0]), std::nullopt};
  return {std::string(parts[0]), std::string(parts[1])};
}

// Samples read from one CSV file.
struct CsvData {
  int columns = 0;  // features + 1 (the label)
  int rows = 0;
  std::vector<double> x, target;
};

class CsvReader {
 public:
  CsvReader(std::string path, std::string_view role) : path_(std::move(path)), role_(role) {}

  // `expected_columns` > 0: the TEST file must have as many columns as TRAIN.
  CsvData read(int expected_columns, double bytes_before) {
    std::error_code error;
    if (std::filesystem::is_directory(path_, error)) fail(0, 0, "is a directory, not a CSV file");
    std::ifstream in(path_, std::ios::binary);
    if (!in) fail(0, 0, "cannot be read (missing or not readable)");
    CsvData data;
    std::string line;
    int line_number = 0;
    bool header_seen = false;
    const double limit = memory_limit_bytes();
    while (std::getline(in, line)) {
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::vector<std::string_view> fields = split(line, ',');
      if (!header_seen) {
        header_seen = true;
        if (line.empty()) fail(line_number, 0, "the header row is empty");
        data.columns = static_cast<int>(fields.size());
        if (data.columns < 2) {
          fail(line_number, 0,
               "the header has 1 column; expected at least 2 (inputs, then the label 0 or 1)");
        }
        if (data.columns - 1 > kMaxDataInputs) {
          fail(line_number, 0,
               "the header has " + std::to_string(data.columns) + " columns; at most " +
                   std::to_string(kMaxDataInputs) + " inputs and a label are accepted");
        }
        if (expected_columns > 0 && data.columns != expected_columns) {
          fail(line_number, 0,
               "the header has " + std::to_string(data.columns) +
                   " columns, but the training file has " + std::to_string(expected_columns) +
                   "; a test file needs the same columns");
        }
        continue;
      }
      if (line.empty() && in.peek() == std::char_traits<char>::eof()) break;  // trailing blank
      if (static_cast<int>(fields.size()) != data.columns) {
        const int column = static_cast<int>(std::min<std::size_t>(fields.size(), data.columns)) + 1;
        fail(line_number, column,
             "this row has " + std::to_string(fields.size()) + " column" +
                 (fields.size() == 1 ? "" : "s") + " but the header has " +
                 std::to_string(data.columns) + " (a ragged row)");
      }
      if (data.rows == kMaxDataSamples) {
        fail(line_number, 0,
             "more than " + std::to_string(kMaxDataSamples) + " rows; at most " +
                 std::to_string(kMaxDataSamples) + " samples are accepted");
      }
      // Each value is held as a double (the task) and a float (the float engines' copy).
      const double bytes = bytes_before + 12.0 * static_cast<double>(data.rows + 1) * data.columns;
      if (bytes > limit) {
        fail(line_number, 0,
             "the data needs more than " + memory_text(bytes) + " of memory, more than the " +
                 memory_text(limit) +
                 " symbreak may use (half of this machine's memory, or SYMBREAK_MEMORY_LIMIT)");
      }
      for (int c = 0; c < data.columns; ++c) {
        const double value = parse_value(fields[c], line_number, c + 1, c + 1 == data.columns);
        (c + 1 == data.columns ? data.target : data.x).push_back(value);
      }
      ++data.rows;
    }
    if (!header_seen) fail(0, 0, "is empty; expected a header row and at least one data row");
    if (data.rows == 0) fail(line_number, 0, "has a header but no data rows");
    return data;
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& why) const {
    std::string where = std::string(role_) + " '" + path_ + "'";
    if (line > 0) where += ", line " + std::to_string(line);
    if (column > 0) where += ", column " + std::to_string(column);
    throw UsageError(where + (line > 0 ? ": " : " ") + why);
  }

  double parse_value(std::string_view field, int line, int column, bool label) const {
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t'))
      field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t'))
      field.remove_suffix(1);
    if (field.empty()) fail(line, column, "missing value");
    std::string_view digits = field;
    if (digits.size() > 1 && digits.front() == '+' && digits[1] != '-') digits.remove_prefix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    // (Built by appending: g++ 12 warns wrongly about "'" + std::string(...).)
    std::string quoted(1, '\'');
    quoted.append(field.substr(0, 40)).push_back('\'');
    if (end != digits.data() + digits.size() ||
        (ec != std::errc() && ec != std::errc::result_out_of_range)) {
      fail(line, column, quoted + " is not a number");
    }
    if (ec == std::errc::result_out_of_range || !std::isfinite(value) || !fits_float(value)) {
      fail(line, column,
           quoted + " is not a finite number within float's range (" + std::string(kFloatRange) +
               ")");
    }
    if (label && value != 0.0 && value != 1.0) {
      fail(line, column, "label " + quoted + " is not accepted; the last column must be 0 or 1");
    }
    return value;
  }

  std::string path_;
  std::string_view role_;
};

Task make_csv(std::string_view name) {
  const auto [train_path, test_path] = csv_paths(name);
  Task task;
  task.name = std::string(name);
  CsvData train = CsvReader(train_path, "training file").read(0, 0.0);
  task.inputs = train.columns - 1;
  task.samples = train.rows;
  task.x = std::move(train.x);
  task.target = std::move(train.target);
  if (test_path) {
    const double used = 12.0 * static_cast<double>(task.samples) * (task.inputs + 1);
    CsvData test = CsvReader(*test_path, "test file").read(train.columns, used);
    task.test_samples = test.rows;
    task.test_x = std::move(test.x);
    task.test_target = std::move(test.target);
  }
  return task;
}

bool starts_with_name(std::string_view name, std::string_view kind) {
  return name == kind || (name.starts_with(kind) && name[kind.size()] == ':');
}

}  // namespace

bool is_data_task_name(std::string_view name) {
  return starts_with_name(name, "circles") || starts_with_name(name, "moons") ||
         starts_with_name(name, "spiral") || name.starts_with("csv:");
}

void check_data_task_name(std::string_view name) {
  if (name.starts_with("csv:")) {
    csv_paths(name);
  } else {
    parse_synthetic(name);
  }
}

Task make_data_task(std::string_view name, std::uint32_t data_seed) {
  if (name.starts_with("csv:")) return make_csv(name);
  return make_synthetic(name, data_seed);
}

}  // namespace symbreak
