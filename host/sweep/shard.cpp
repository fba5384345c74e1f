// Shard boundaries by cumulative work: shard i starts at the first work item whose work before it
// reaches i/N of the total, so every process computes the same boundaries from the plan alone.
// Items are config-major, so the search walks configurations and solves within one.
#include "host/sweep/shard.hpp"

#include <algorithm>
#include <cmath>

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak {

Shard parse_shard(const std::string& text) {
  constexpr long long kMaxShards = 1000000;
  const std::size_t slash = text.find('/');
  if (slash != std::string::npos) {
    const auto count = parse_integer(text.substr(slash + 1), 1, kMaxShards);
    const auto index = parse_integer(text.substr(0, slash), 0, kMaxShards - 1);
    if (count && index && *index < *count) return Shard{*index, *count};
  }
  throw UsageError("--shard: '" + text +
                   "' is not accepted; expected i/N with 0 <= i < N <= 1000000, e.g. 0/4");
}

double config_work(const SweepPlan& plan, const Config& config) {
  return (plan.run.epochs + 1.0) * plan.task_of(config).samples *
         static_cast<double>(plan.shape_of(config).parameter_count());
}

ItemRange shard_items(const SweepPlan& plan, const Shard& shard) {
  const std::int64_t items = plan.item_count(), seeds = plan.run.seeds;
  if (shard.count == 1) return ItemRange{0, items};
  double total = 0.0;
  for (const Config& c : plan.configs)
    total += static_cast<double>(seeds) * config_work(plan, c);
  const auto n = static_cast<double>(shard.count);
  // Boundary b(i): the first item k with work(items 0 .. k-1) * N >= i * total. Within
  // configuration c (items c*seeds + r, each of work w) that is the least r >= 0 with
  // (before + r * w) * N >= target, found by a division and corrected by the same comparison,
  // so that b is monotone in i whatever the rounding.
  const auto boundary = [&](std::int64_t i) {
    if (i <= 0) return std::int64_t{0};
    if (i >= shard.count) return items;
    const double target = total * static_cast<double>(i);
    double before = 0.0;
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(plan.configs.size()); ++c) {
      const double w = config_work(plan, plan.configs[c]);
      const double after = before + static_cast<double>(seeds) * w;
      if (after * n >= target) {
        const auto reaches = [&](std::int64_t r) {
          return (before + static_cast<double>(r) * w) * n >= target;
        };
        auto r = std::clamp<std::int64_t>(
            static_cast<std::int64_t>(std::ceil((target / n - before) / w)), 0, seeds);
        while (r > 0 && reaches(r - 1))
          --r;
        while (r < seeds && !reaches(r))
          ++r;
        return c * seeds + r;
      }
      before = after;
    }
    return items;
  };
  return ItemRange{boundary(shard.index), boundary(shard.index + 1)};
}

ConfigRange configs_of(const SweepPlan& plan, const ItemRange& items) {
  const std::int64_t seeds = plan.run.seeds;
  if (items.first >= items.end) return ConfigRange{items.first / seeds, items.first / seeds};
  return ConfigRange{items.first / seeds, (items.end + seeds - 1) / seeds};
}

bool split_in(const SweepPlan& plan, const ItemRange& items, std::int64_t config) {
  const std::int64_t seeds = plan.run.seeds, first = config * seeds, end = first + seeds;
  const std::int64_t inside = std::min(end, items.end) - std::max(first, items.first);
  return inside > 0 && inside < seeds;
}

}  // namespace symbreak
