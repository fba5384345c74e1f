// The engines symbreak knows and how to make them. One line per engine in kRegistry.
#include <array>
#include <stdexcept>
#include <string>

#include "host/config/name_suggestion.hpp"
#include "host/config/usage_error.hpp"
#include "host/engines/cpu_engine.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/engines/cuda_engine.hpp"
#include "host/engines/engine.hpp"
#include "host/sweep/sweep_runner.hpp"

namespace symbreak {
namespace {

struct Registration {
  const char* name;
  const char* description;
  // Empty when the engine can run here, else why not.
  std::string (*unavailable)();
  std::unique_ptr<Engine> (*make)(int threads);
};

std::string always_available() {
  return {};
}

// Slowest first: "auto" takes the last one that can run.
const std::array<Registration, 4> kRegistry = {{
    {"cpu-ref", "CPU, double precision, all cores: the reference every engine is checked against",
     always_available,
     [](int threads) -> std::unique_ptr<Engine> {
       return std::make_unique<CpuReferenceEngine>(threads);
     }},
    {"cpu", "CPU, float, all cores: the CUDA kernels' own code compiled for the host",
     always_available, make_cpu_engine},
    {"cublas", "NVIDIA GPU, float: the layered algorithm with cuBLAS products (the baseline)",
     cuda_unavailable_reason, make_cublas_engine},
    {"cuda", "NVIDIA GPU, float: custom kernels, fused per thread or per warp, layered beyond",
     cuda_unavailable_reason, make_cuda_engine},
}};

std::string known_names() {
  std::string names = "auto";
  for (const Registration& r : kRegistry)
    names += std::string(", ") + r.name;
  return names;
}

}  // namespace

std::int64_t Engine::preferred_chunk_items(const SweepPlan& plan) const {
  return default_chunk_items(plan);
}

std::vector<EngineInfo> list_engines() {
  std::vector<EngineInfo> infos;
  for (const Registration& r : kRegistry) {
    const std::string why = r.unavailable();
    infos.push_back(EngineInfo{r.name, r.description, why.empty(), why});
  }
  return infos;
}

std::unique_ptr<Engine> make_engine(std::string_view name, int threads) {
  if (name == "auto") {
    for (auto it = kRegistry.rbegin(); it != kRegistry.rend(); ++it) {
      if (it->unavailable().empty()) return it->make(threads);
    }
  }
  for (const Registration& r : kRegistry) {
    if (r.name != name) continue;
    const std::string why = r.unavailable();
    if (!why.empty())
      throw std::runtime_error("engine '" + std::string(name) + "' cannot run here: " + why);
    return r.make(threads);
  }
  check_engine_name(name);
  throw UsageError("unknown engine '" + std::string(name) + "'");  // not reached
}

void check_engine_name(std::string_view name) {
  if (name == "auto") return;
  for (const Registration& r : kRegistry) {
    if (r.name == name) return;
  }
  std::vector<std::string> names = {"auto"};
  for (const Registration& r : kRegistry)
    names.emplace_back(r.name);
  throw UsageError("unknown engine '" + std::string(name) + "'" + did_you_mean(name, names) +
                   "; accepted: " + known_names());
}

}  // namespace symbreak
