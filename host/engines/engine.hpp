// The interface every engine implements, and the registry that names them (docs/method.md §9).
// Adding an engine means one class and one line in engine_registry.cpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/engines/network_result.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  // Trains the networks of `items` from their initial parameters; out[i] belongs to items[i].
  virtual void train(const SweepPlan& plan, std::span<const WorkItem> items,
                     std::span<NetworkResult> out) = 0;
  // Which kernel trains this configuration, for the output ("reference" for cpu-ref).
  virtual std::string kernel_for(const SweepPlan& plan, const Config& config) const = 0;
  // Work items per chunk: the sweep runner reports progress and checks for Ctrl-C between chunks.
  virtual std::int64_t preferred_chunk_items(const SweepPlan& plan) const;
};

struct EngineInfo {
  std::string name;
  std::string description;
  bool available = false;
  std::string unavailable_reason;  // set when !available
};

// Every engine symbreak knows, with whether it can run here.
std::vector<EngineInfo> list_engines();

// "auto" picks the fastest available engine. Throws UsageError for an unknown name and
// std::runtime_error for a known engine that cannot run here. `threads` = 0 uses every core.
std::unique_ptr<Engine> make_engine(std::string_view name, int threads);
// Throws make_engine's UsageError for an unknown name, without asking whether the engine can run.
void check_engine_name(std::string_view name);

}  // namespace symbreak
