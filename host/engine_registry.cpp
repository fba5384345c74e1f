// The engines symbreak knows and how to make them. One line per engine in kRegistry.
#include <array>
#include <stdexcept>
#include <string>

#include "cpu_reference.hpp"
#include "engine.hpp"
#include "usage_error.hpp"

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

const std::array<Registration, 1> kRegistry = {{
    {"cpu-ref", "CPU, double precision, all cores: the reference every engine is checked against",
     always_available,
     [](int threads) -> std::unique_ptr<Engine> {
       return std::make_unique<CpuReferenceEngine>(threads);
     }},
}};

std::string known_names() {
  std::string names = "auto";
  for (const Registration& r : kRegistry)
    names += std::string(", ") + r.name;
  return names;
}

}  // namespace

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
    // The registry lists engines slowest first, so the last available one is the fastest.
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
  throw UsageError("unknown engine '" + std::string(name) + "'; accepted: " + known_names());
}

}  // namespace symbreak
