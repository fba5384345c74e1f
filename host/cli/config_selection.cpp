// Duplicate removal by a key of resolved settings, and Floyd's sampling of distinct indices.
#include "host/cli/config_selection.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "host/sweep/memory_budget.hpp"

namespace symbreak::cli {
namespace {

// What defines the networks a configuration trains, once resolved: parsed values, not text, so
// that "xavier-uniform" and "xavier-uniform:1" (and batches 0 and 100 on 4 samples) are one.
using ResolvedKey = std::tuple<std::string, int, int, int, int, int, double, int, double, int,
                               double, double, int, int, double, double, double>;

ResolvedKey resolved_key(const SweepPlan& plan, const Config& c) {
  return {plan.task_of(c).name,
          c.depth,
          c.width,
          static_cast<int>(c.activation),
          static_cast<int>(c.init.weights.scheme),
          static_cast<int>(c.init.weights.sharing),
          c.init.weights.param,
          static_cast<int>(c.bias.bias.scheme),
          c.bias.bias.param,
          static_cast<int>(c.loss),
          c.lr,
          c.momentum,
          effective_batch(c.batch, plan.task_of(c).samples),
          static_cast<int>(c.optimizer),
          c.weight_decay,
          c.dropout,
          c.grad_noise};
}

// splitmix64 (Steele, Lea and Flood 2014): fixed arithmetic, so the sample is the same on every
// platform and standard library (std::uniform_int_distribution is not).
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A uniform integer in [0, bound) by Lemire's multiply-shift (bias below 2^-40 for any grid here).
std::uint64_t below(std::uint64_t& state, std::uint64_t bound) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next_random(state)) * bound) >>
                                    64);
}

}  // namespace

std::string SelectedPlan::note() const {
  if (duplicates == 0) return {};
  return "symbreak: note: " + std::to_string(duplicates) + " of " + std::to_string(grid_size) +
         " configurations repeat an earlier one once resolved (a value listed twice, a batch "
         "of 0 and one >= the task's samples, both the full batch, or a momentum with adam or "
         "rmsprop, which use none) and are trained once";
}

SelectedPlan select_configurations(const SweepGrid& grid, const RunSettings& run,
                                   std::optional<std::int64_t> sample_configs) {
  SelectedPlan selected;
  selected.grid_size = configuration_count(grid);
  // The whole grid is expanded (and deduplicated) before sampling, so it must fit as a list.
  check_grid_fits(selected.grid_size, sample_configs ? 1 : run.seeds);
  SweepPlan plan = make_plan(grid, run);
  std::set<ResolvedKey> seen;
  std::vector<Config> unique;
  unique.reserve(plan.configs.size());
  for (const Config& c : plan.configs) {
    if (seen.insert(resolved_key(plan, c)).second) unique.push_back(c);
  }
  selected.duplicates = static_cast<std::int64_t>(plan.configs.size() - unique.size());
  if (sample_configs && *sample_configs < static_cast<std::int64_t>(unique.size())) {
    // Floyd's algorithm: N distinct indices of M, each N-subset equally likely.
    const std::uint64_t m = unique.size(), n = static_cast<std::uint64_t>(*sample_configs);
    std::uint64_t state = 0x73796d627265616bULL ^ run.seed;  // "symbreak" ^ --seed
    std::set<std::uint64_t> chosen;
    for (std::uint64_t j = m - n; j < m; ++j) {
      const std::uint64_t t = below(state, j + 1);
      chosen.insert(chosen.contains(t) ? j : t);
    }
    std::vector<Config> sample;
    sample.reserve(n);
    for (const std::uint64_t i : chosen)
      sample.push_back(unique[i]);
    unique = std::move(sample);
  }
  if (sample_configs) check_grid_fits(static_cast<std::int64_t>(unique.size()), run.seeds);
  plan.configs = std::move(unique);
  selected.plan = std::move(plan);
  return selected;
}

}  // namespace symbreak::cli
