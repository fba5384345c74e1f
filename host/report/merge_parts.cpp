// Checks every part against its meta file and the others, then copies the parts' rows through one
// buffer, so memory stays flat whatever the size of the parts.
#include "host/report/merge_parts.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "host/config/usage_error.hpp"
#include "host/report/output_file.hpp"
#include "host/report/provenance.hpp"

namespace symbreak {
namespace {

struct Part {
  std::string path;
  nlohmann::json meta;
  std::int64_t index = 0, count = 0;
  std::string option;
};

[[noreturn]] void refuse(const std::string& message) {
  throw UsageError("merge: " + message);
}

std::string quoted(const std::string& path) {
  return "'" + path + "'";
}

Part read_part(const std::string& path) {
  Part part;
  part.path = path;
  part.meta = read_meta("merge", path);
  const nlohmann::json& shard = part.meta["shard"];
  part.index = shard.value("index", std::int64_t{-1});
  part.count = shard.value("count", std::int64_t{-1});
  part.option = part.meta.value("file", "");
  const std::string state = part.meta.value("state", "");
  if (state != "complete") {
    refuse(quoted(path) + " is not complete (its sweep is " + state +
           "); finish it with sweep --resume first");
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) refuse("cannot read " + quoted(path));
  const std::int64_t recorded =
      part.meta["checkpoint"]["bytes"].value(part.option, std::int64_t{-1});
  if (st.st_size != recorded) {
    refuse(quoted(path) + " holds " + std::to_string(st.st_size) + " bytes, but its meta file " +
           "records " + std::to_string(recorded) + "; it was changed after its sweep wrote it");
  }
  return part;
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
      refuse(quoted(out) + " is also given as a part; write the merged file elsewhere");
    parts.push_back(read_part(path));
  }
  const Part& first = parts.front();
  std::map<std::int64_t, const Part*> by_index;
  for (const Part& p : parts) {
    const std::string difference = identity_difference(first.meta["sweep"], p.meta["sweep"]);
    if (!difference.empty()) {
      refuse(quoted(p.path) + " is from another sweep than " + quoted(first.path) + " (" +
             difference + ")");
    }
    if (p.option != first.option) {
      refuse(quoted(p.path) + " is a " + p.option + " file, " + quoted(first.path) + " a " +
             first.option + " file");
    }
    if (p.count != first.count) {
      refuse(quoted(p.path) + " is shard " + std::to_string(p.index) + "/" +
             std::to_string(p.count) + ", " + quoted(first.path) + " one of " +
             std::to_string(first.count));
    }
    const auto [where, inserted] = by_index.emplace(p.index, &p);
    if (!inserted) {
      refuse(quoted(where->second->path) + " and " + quoted(p.path) + " are both shard " +
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
    if (header_of(p.path) != header) refuse(quoted(p.path) + " has another header");
  }

  OutputFile file("merge", out, target);
  file.write(header);
  std::int64_t configurations = 0;
  nlohmann::json kernels = nlohmann::json::object();
  std::vector<char> buffer(1 << 20);
  for (const auto& [index, part] : by_index) {
    std::ifstream in(part->path, std::ios::binary);
    std::string skipped;
    std::getline(in, skipped);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      file.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    configurations += part->meta["checkpoint"].value("configurations", std::int64_t{0});
    for (const auto& [kernel, count] : part->meta["kernels"].items()) {
      kernels[kernel] = kernels.value(kernel, std::int64_t{0}) + count.get<std::int64_t>();
    }
  }
  const std::int64_t bytes = file.bytes();
  if (std::string error = file.commit(); !error.empty()) throw std::runtime_error(error);

  // The merged file's meta: the sweep of its parts, as one process would have recorded it.
  nlohmann::json meta = first.meta;
  meta["state"] = "complete";
  meta["command"] = command_line;
  meta["shard"] = {{"index", 0},
                   {"count", 1},
                   {"first_configuration", 0},
                   {"end_configuration", configurations}};
  meta["kernels"] = kernels;
  meta["checkpoint"] = {{"configurations", configurations}, {"bytes", {{first.option, bytes}}}};
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
