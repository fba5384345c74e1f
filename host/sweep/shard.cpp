// Shard boundaries by cumulative work: shard i starts at the first configuration whose work before
// it reaches i/N of the total, so every process computes the same boundaries from the plan alone.
#include "host/sweep/shard.hpp"

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

ConfigRange shard_configs(const SweepPlan& plan, const Shard& shard) {
  const auto configs = static_cast<std::int64_t>(plan.configs.size());
  if (shard.count == 1) return ConfigRange{0, configs};
  double total = 0.0;
  for (const Config& c : plan.configs)
    total += config_work(plan, c);
  // Boundary b(i): the first configuration c with work(0 .. c-1) * N >= i * total.
  const auto boundary = [&](std::int64_t i) {
    if (i <= 0) return std::int64_t{0};
    if (i >= shard.count) return configs;
    const double target = total * static_cast<double>(i);
    double before = 0.0;
    for (std::int64_t c = 0; c < configs; ++c) {
      if (before * static_cast<double>(shard.count) >= target) return c;
      before += config_work(plan, plan.configs[c]);
    }
    return configs;
  };
  return ConfigRange{boundary(shard.index), boundary(shard.index + 1)};
}

}  // namespace symbreak
