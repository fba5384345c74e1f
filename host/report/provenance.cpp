// The meta files: written through OutputFile (temporary file + rename), so a reader or a resumed
// run always finds a complete JSON document, the one of the last checkpoint.
#include "host/report/provenance.hpp"

#include <unistd.h>

#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include "host/config/config_columns.hpp"
#include "host/config/usage_error.hpp"
#include "host/engines/cuda_devices.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/output_file.hpp"

namespace symbreak {
namespace {

constexpr const char* kFormat = "symbreak sweep meta 1";

// FNV-1a, 64 bits: a fingerprint of the configuration list, not a security measure.
void hash_into(std::uint64_t& h, std::string_view text) {
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  h ^= 0xff;  // separator, so that "ab","c" and "a","bc" differ
  h *= 0x100000001b3ULL;
}

std::string hex(std::uint64_t value) {
  std::ostringstream text;
  text << std::hex << value;
  return text.str();
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

}  // namespace

nlohmann::json sweep_identity(const SweepPlan& plan, std::string_view engine,
                              const std::vector<std::string>& outputs) {
  nlohmann::json grid = nlohmann::json::object();
  std::uint64_t fingerprint = 0xcbf29ce484222325ULL;
  std::vector<std::set<std::string>> seen(config_columns().size());
  for (const Config& c : plan.configs) {
    for (std::size_t k = 0; k < config_columns().size(); ++k) {
      const ConfigColumn& column = config_columns()[k];
      std::string value = column.value(plan, c);
      hash_into(fingerprint, value);
      if (seen[k].insert(value).second) grid[std::string(column.name)].push_back(std::move(value));
    }
  }
  nlohmann::json identity;
  identity["grid"] = grid;
  identity["configurations"] = plan.configs.size();
  identity["configuration_fingerprint"] = hex(fingerprint);
  identity["seeds"] = plan.run.seeds;
  identity["seed"] = plan.run.seed;
  identity["epochs"] = plan.run.epochs;
  identity["tol"] = format_number(plan.run.tol);
  identity["trace_every"] = plan.run.trace_every;
  // The data tasks' samples depend on it. Only when not 0, so that files written before it was
  // recorded (all with data seed 0) keep the identity they had.
  if (plan.run.data_seed != 0) identity["data_seed"] = plan.run.data_seed;
  // Only with --params, so that the files of sweeps without it keep the identity they had.
  if (plan.run.params_replicates > 0) identity["params_replicates"] = plan.run.params_replicates;
  identity["engine"] = engine;
  identity["outputs"] = outputs;
  return identity;
}

nlohmann::json meta_document(const RunRecord& run, std::string_view option, std::string_view state,
                             const Checkpoint& checkpoint, const std::string& ended) {
  nlohmann::json doc;
  doc["format"] = kFormat;
  doc["file"] = option;
  doc["state"] = state;
  doc["symbreak"] = {{"version", run.version}, {"commit", run.commit}};
  doc["command"] = run.command;
  doc["sweep"] = run.sweep;
  doc["shard"] = {{"index", run.shard.index},
                  {"count", run.shard.count},
                  {"first_configuration", run.shard_first_config},
                  {"end_configuration", run.shard_end_config},
                  {"first_item", run.shard_first_item},
                  {"end_item", run.shard_end_item}};
  doc["ranks"] = run.ranks;
  doc["engine"] = run.engine;
  doc["kernels"] = run.kernels;
  doc["machine"] = run.machine;
  doc["started"] = run.started;
  doc["ended"] = ended.empty() ? nlohmann::json() : nlohmann::json(ended);
  doc["checkpoint"] = {{"configurations", checkpoint.configurations},
                       {"items", checkpoint.items},
                       {"bytes", checkpoint.bytes}};
  return doc;
}

std::string pieces_key(const std::string& option) {
  return option + " pieces";
}

std::string pieces_path(const std::string& output_path) {
  return output_path + ".pieces";
}

std::string meta_path(const std::string& output_path) {
  return output_path + ".meta.json";
}

std::string write_meta(const std::string& output_path, const nlohmann::json& document) {
  const std::string path = meta_path(output_path);
  try {
    OutputFile file("meta", path, resolve_output("meta", path));
    file.write(document.dump(2) + "\n");
    return file.commit();
  } catch (const UsageError& e) {
    return e.what();
  }
}

nlohmann::json read_meta(const std::string& option, const std::string& output_path) {
  const std::string path = meta_path(output_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(option + " '" + output_path + "': no checkpoint: its meta file '" + path +
                     "' is missing (a file symbreak sweep did not write, or a part not given)");
  }
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kFormat ||
      !doc.contains("checkpoint") || !doc.contains("sweep")) {
    throw UsageError(option + " '" + output_path + "': '" + path +
                     "' is not a symbreak meta file (damaged or written by something else)");
  }
  return doc;
}

std::string identity_difference(const nlohmann::json& there, const nlohmann::json& here) {
  if (there == here) return "";
  if (there.is_object() && here.is_object()) {
    for (const auto& [key, value] : here.items()) {
      if (!there.contains(key)) return key + ": absent there";
      if (there[key] != value) {
        std::string inner = identity_difference(there[key], value);
        if (there[key].is_object() && value.is_object()) return key + "." + inner;
        return key + ": " + there[key].dump() + " there, " + value.dump() + " here";
      }
    }
    for (const auto& [key, value] : there.items()) {
      if (!here.contains(key)) return key + ": absent here";
    }
  }
  std::string shown = there.dump() + " there, " + here.dump() + " here";
  return shown.size() > 200 ? "different values" : shown;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

nlohmann::json machine_description() {
  nlohmann::json machine;
  char host[256] = "";
  if (gethostname(host, sizeof host - 1) == 0) machine["host"] = host;
  machine["cpu"] = cpu_model();
  machine["cpu_threads"] = sysconf(_SC_NPROCESSORS_ONLN);
  const CudaStatus cuda = query_cuda_devices();
  nlohmann::json devices = nlohmann::json::array();
  for (const CudaDevice& d : cuda.devices) {
    devices.push_back(
        {{"index", d.index},
         {"name", d.name},
         {"compute_capability", std::to_string(d.major) + "." + std::to_string(d.minor)}});
  }
  machine["cuda_devices"] = devices;
  return machine;
}

}  // namespace symbreak
