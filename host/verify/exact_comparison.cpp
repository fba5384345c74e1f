// Bit-for-bit comparison of two float engines' per-network results (exact_comparison.hpp).
#include "host/verify/exact_comparison.hpp"

#include <cstring>

#include "host/config/config_columns.hpp"

namespace symbreak {
namespace {

constexpr std::size_t kMismatchesShown = 5;

// A double's bits with every NaN as one pattern: NaN's sign and payload are the hardware's choice
// (kernels/metrics.cuh, fingerprint_bits), not part of the arithmetic two engines must share.
std::uint64_t double_bits(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return x != x ? 0x7ff8000000000000ull : u;
}

// The settings that tell this configuration from the others of the sweep ("init zeros, width 8").
std::string config_label(const SweepPlan& plan, const Config& config) {
  std::string out;
  for (const ConfigColumn& c : varying_columns(plan))
    out.append(out.empty() ? "" : ", ").append(c.name).append(" ").append(c.value(plan, config));
  return out.empty() ? "the configuration" : out;
}

std::string distinct_text(const std::vector<int>& d) {
  std::string out;
  for (const int v : d)
    out.append(out.empty() ? "" : ";").append(std::to_string(v));
  return out;
}

}  // namespace

std::string first_difference(const NetworkResult& a, const NetworkResult& b) {
  const auto differs = [](const char* field, const std::string& x, const std::string& y) {
    return std::string(field) + " " + x + " vs " + y;
  };
  if (a.fingerprint != b.fingerprint) {
    return differs("parameters (fingerprint)", std::to_string(a.fingerprint),
                   std::to_string(b.fingerprint));
  }
  // Bit patterns, so that NaN equals NaN (whatever its payload) and -0 differs from +0.
  if (double_bits(a.final_loss) != double_bits(b.final_loss)) {
    return differs("final_loss", std::to_string(a.final_loss), std::to_string(b.final_loss));
  }
  if (double_bits(a.accuracy) != double_bits(b.accuracy)) {
    return differs("accuracy", std::to_string(a.accuracy), std::to_string(b.accuracy));
  }
  if (a.epoch_solved != b.epoch_solved) {
    return differs("epoch_solved", std::to_string(a.epoch_solved), std::to_string(b.epoch_solved));
  }
  if (a.distinct != b.distinct) {
    return differs("distinct", distinct_text(a.distinct), distinct_text(b.distinct));
  }
  const bool flags_a[] = {a.solved, a.broken, a.collapsed, a.frozen, a.diverged};
  const bool flags_b[] = {b.solved, b.broken, b.collapsed, b.frozen, b.diverged};
  const char* names[] = {"solved", "broken", "collapsed", "frozen", "diverged"};
  for (int i = 0; i < 5; ++i) {
    if (flags_a[i] != flags_b[i]) {
      return differs(names[i], flags_a[i] ? "1" : "0", flags_b[i] ? "1" : "0");
    }
  }
  return "";
}

ExactReport compare_exactly(const std::vector<NetworkResult>& engine,
                            const std::vector<NetworkResult>& cpu) {
  ExactReport report;
  report.n = static_cast<std::int64_t>(engine.size());
  for (std::size_t i = 0; i < engine.size() && i < cpu.size(); ++i) {
    std::string what = first_difference(engine[i], cpu[i]);
    if (what.empty()) continue;
    ++report.mismatch_count;
    if (report.first.size() < kMismatchesShown) {
      report.first.push_back({static_cast<std::int64_t>(i), std::move(what)});
    }
  }
  if (engine.size() != cpu.size()) ++report.mismatch_count;
  return report;
}

std::string format_exact_comparison(const SweepPlan& plan, const std::vector<WorkItem>& items,
                                    const ExactReport& report, std::string_view engine) {
  std::string out = "verify --exact: engine " + std::string(engine) +
                    " against cpu, bit for bit, " + std::to_string(report.n) + " networks\n";
  for (const ExactMismatch& m : report.first) {
    const WorkItem& item = items[m.item];
    out += "  differs: " + config_label(plan, plan.configs[item.config]) + ", replicate " +
           std::to_string(item.replicate) + ": " + m.what + "\n";
  }
  out += "  identical: " + std::to_string(report.n - report.mismatch_count) + " of " +
         std::to_string(report.n) + " networks (required: all)\n";
  out += report.passed() ? "PASS\n" : "FAIL\n";
  return out;
}

}  // namespace symbreak
