// A deliberately rough model: it counts the arrays that grow with the sweep and ignores constant
// overheads, which is enough to tell a large sweep from an impossible one.
#include "host/sweep/memory_budget.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "host/config/usage_error.hpp"
#include "host/engines/network_result.hpp"
#include "host/sweep/parallel_for.hpp"

namespace symbreak {
namespace {

std::string gib(double bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return buffer;
}

int traced_epochs(const RunSettings& run) {
  return run.trace_every > 0 ? run.epochs / run.trace_every + 2 : 0;
}

}  // namespace

MemoryEstimate estimate_sweep_memory(const SweepPlan& plan, int threads, std::int64_t chunk_items) {
  double per_network_work = 0.0;  // one network in training: parameters, state, activations
  int max_depth = 1;
  double max_params = 0.0;
  for (const Config& c : plan.configs) {
    const NetworkShape shape = plan.shape_of(c);
    const double params = static_cast<double>(shape.parameter_count());
    const double units = static_cast<double>(shape.hidden_units()) + shape.inputs + 1;
    // The widest layer's width squared: orthogonal initialisation's scratch. The layered kernels
    // keep z, a and delta of a whole batch (data tasks: up to 10^6 samples).
    const double batch = effective_batch(c.batch, plan.task_of(c).samples);
    per_network_work =
        std::max(per_network_work, 8.0 * (5.0 * params + 3.0 * units) +
                                       (8.0 * shape.width * shape.width) + 12.0 * units * batch);
    max_depth = std::max(max_depth, c.depth);
    max_params = std::max(max_params, params);
  }
  const double per_result = sizeof(NetworkResult) + 4.0 * max_depth +
                            sizeof(TracePoint) * static_cast<double>(traced_epochs(plan.run));
  // A configuration keeps two numbers per replicate until it is complete.
  const double per_open_config = 32.0 * static_cast<double>(plan.run.seeds);
  const double configs = static_cast<double>(plan.configs.size());
  // The tasks' samples, as doubles and as the float engines' copy.
  double task_bytes = 0.0;
  for (const Task& t : plan.tasks)
    task_bytes += 12.0 * (static_cast<double>(t.samples) + t.test_samples) * (t.inputs + 1);
  // --params: the kept networks of a chunk (at most K per configuration it touches) hold their
  // final parameters as doubles, and as text in their CSV row (about 40 bytes per parameter).
  const double chunk = static_cast<double>(chunk_items);
  const double seeds = static_cast<double>(plan.run.seeds);
  const double kept = std::min(chunk, (std::ceil(chunk / seeds) + 1.0) *
                                          std::min<double>(plan.run.params_replicates, seeds));
  MemoryEstimate e;
  // threads = 0 means every core (resolve_thread_count), not "no network in training".
  e.bytes = resolve_thread_count(threads) * per_network_work +
            static_cast<double>(chunk_items) * per_result + 2.0 * per_open_config +
            configs * (sizeof(Config) + 128.0) + task_bytes + kept * 40.0 * max_params;
  e.limit_bytes = memory_limit_bytes();
  return e;
}

void check_grid_fits(std::int64_t configurations, std::int64_t seeds) {
  const double limit = memory_limit_bytes();
  const double bytes = static_cast<double>(configurations) * (sizeof(Config) + 128.0);
  if (bytes > limit || configurations > std::numeric_limits<std::int64_t>::max() / seeds) {
    throw UsageError("sweep too large: the grid has " + std::to_string(configurations) +
                     " configurations x " + std::to_string(seeds) +
                     " seeds, more than fits in the " + gib(limit) +
                     " of memory it may use; shorten the option lists or --seeds");
  }
}

void check_sweep_fits(const SweepPlan& plan, int threads, std::int64_t chunk_items,
                      double limit_bytes) {
  MemoryEstimate e = estimate_sweep_memory(plan, threads, chunk_items);
  const bool given = limit_bytes > 0.0;
  if (given) e.limit_bytes = limit_bytes;
  if (e.bytes <= e.limit_bytes) return;
  throw UsageError(
      "sweep too large: " + std::to_string(plan.configs.size()) + " configurations x " +
      std::to_string(plan.run.seeds) + " seeds needs about " + gib(e.bytes) +
      " of memory, more than the " + gib(e.limit_bytes) + " it may use" +
      (given ? " (--max-memory)" : " (half of this machine's memory, or SYMBREAK_MEMORY_LIMIT)") +
      "; reduce --seeds, --width, --depth or the number of list values");
}

std::int64_t chunk_items_within(const SweepPlan& plan, int threads, std::int64_t chunk_items,
                                double limit_bytes) {
  std::int64_t chunk = chunk_items;
  while (chunk > 1 && estimate_sweep_memory(plan, threads, chunk).bytes > limit_bytes)
    chunk /= 2;
  return std::max<std::int64_t>(chunk, 1);
}

double parse_memory_size(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  std::string unit = text.substr(digits);
  double scale = 1.0;
  if (!unit.empty()) {
    const std::string prefixes = "KMGT";
    const std::size_t p = prefixes.find(static_cast<char>(std::toupper(unit[0])));
    const std::string rest = unit.substr(1);
    if (p != std::string::npos && (rest.empty() || rest == "B" || rest == "iB")) {
      scale = std::pow(1024.0, static_cast<double>(p + 1));
      unit.clear();
    }
  }
  char* end = nullptr;
  const std::string number = text.substr(0, digits);
  const double value = number.empty() ? 0.0 : std::strtod(number.c_str(), &end);
  if (!unit.empty() || number.empty() || end != number.c_str() + number.size() ||
      !(value * scale >= 1024.0 * 1024.0) || !std::isfinite(value * scale)) {
    throw UsageError("--max-memory: '" + text +
                     "' is not accepted; expected a size of at least 1M, such as 512M, 4G or 1T");
  }
  return value * scale;
}

}  // namespace symbreak
