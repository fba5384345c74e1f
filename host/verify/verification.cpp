// Per-network comparison of an engine's results with cpu-ref's, aggregated per configuration and
// over the whole sweep.
#include "host/verify/verification.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "host/config/config_columns.hpp"
#include "host/report/text_table.hpp"

namespace symbreak {
namespace {

std::array<bool, kRates> flags(const NetworkResult& r) {
  return {r.solved, r.broken, r.collapsed, r.frozen, r.diverged};
}

std::string pct(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * fraction);
  return buffer;
}

std::string pp(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2fpp", 100.0 * fraction);
  return buffer;
}

}  // namespace

bool requires_exact_distinct(const Config& c) {
  const WeightScheme w = c.init.weights.scheme;
  const bool deterministic_weights = w == WeightScheme::zeros || w == WeightScheme::constant ||
                                     w == WeightScheme::identity || w == WeightScheme::hadamard;
  const bool symmetric = c.init.weights.sharing == Sharing::symmetric;
  const BiasScheme b = c.bias.bias.scheme;
  const bool deterministic_bias = b == BiasScheme::zeros || b == BiasScheme::constant;
  if (!(deterministic_weights || symmetric) || !deterministic_bias) return false;
  // Adam, RMSprop and weight decay act on each parameter alone and keep every symmetry exact
  // arithmetic keeps (docs/method.md §4.1). Gradient noise and dropout are random per neuron:
  // the D_l they leave is measured, not known, except where no gradient reaches a hidden weight,
  // zero weights and biases with f(0) = 0, which stay frozen with dropout (D_l = 1).
  if (c.grad_noise != 0.0) return false;
  if (c.dropout > 0.0) {
    return w == WeightScheme::zeros && b == BiasScheme::zeros &&
           c.activation != Activation::sigmoid;
  }
  return true;
}

void Agreement::add(const Config& config, const NetworkResult& engine,
                    const NetworkResult& reference) {
  ++n;
  // A diverged network's D_l describes NaN or infinite parameters, and float overflows where
  // double does not; exactness is required where neither engine diverged.
  if (requires_exact_distinct(config) && !engine.diverged && !reference.diverged) {
    ++exact_required;
    exact_mismatches += engine.distinct != reference.distinct;
  }
  const auto e = flags(engine), r = flags(reference);
  for (int v = 0; v < kVerdicts; ++v)
    verdict_disagreements[v] += e[v] != r[v];
  for (int k = 0; k < kRates; ++k) {
    engine_counts[k] += e[k];
    reference_counts[k] += r[k];
  }
  engine_accuracy_sum += engine.accuracy;
  reference_accuracy_sum += reference.accuracy;
  largest_accuracy_difference =
      std::max(largest_accuracy_difference, std::fabs(engine.accuracy - reference.accuracy));
  if (engine.test_accuracy && reference.test_accuracy) {
    ++test_measured;
    engine_test_sum += *engine.test_accuracy;
    reference_test_sum += *reference.test_accuracy;
    largest_test_difference = std::max(largest_test_difference,
                                       std::fabs(*engine.test_accuracy - *reference.test_accuracy));
  }
}

double Agreement::verdict_agreement(int v) const {
  return n == 0 ? 1.0 : 1.0 - static_cast<double>(verdict_disagreements[v]) / n;
}

double Agreement::rate_difference(int r) const {
  return n == 0 ? 0.0 : std::fabs(static_cast<double>(engine_counts[r] - reference_counts[r])) / n;
}

double Agreement::largest_rate_difference(int* which) const {
  int largest = 0;
  for (int r = 1; r < kRates; ++r) {
    if (rate_difference(r) > rate_difference(largest)) largest = r;
  }
  if (which) *which = largest;
  return rate_difference(largest);
}

double Agreement::lowest_verdict_agreement() const {
  double lowest = 1.0;
  for (int v = 0; v < kVerdicts; ++v)
    lowest = std::min(lowest, verdict_agreement(v));
  return lowest;
}

bool Agreement::holds() const {
  return exact_mismatches == 0 && lowest_verdict_agreement() >= kMinVerdictAgreement &&
         largest_rate_difference() <= kMaxRateDifference + 1e-12;
}

bool VerificationReport::passed() const {
  const bool exact = std::all_of(per_config.begin(), per_config.end(),
                                 [](const Agreement& a) { return a.exact_mismatches == 0; });
  return exact && overall.holds();
}

VerificationReport compare_with_reference(const SweepPlan& plan, const std::vector<WorkItem>& items,
                                          const std::vector<NetworkResult>& engine,
                                          const std::vector<NetworkResult>& reference) {
  std::map<std::int64_t, Agreement> by_config;
  VerificationReport report;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Config& c = plan.configs[items[i].config];
    by_config[items[i].config].add(c, engine[i], reference[i]);
    report.overall.add(c, engine[i], reference[i]);
  }
  for (const auto& [config, agreement] : by_config) {
    report.configs.push_back(config);
    report.per_config.push_back(agreement);
  }
  return report;
}

std::string format_verification(const SweepPlan& plan, const VerificationReport& report,
                                std::string_view engine, std::int64_t per_config) {
  std::string out = "verify: engine " + std::string(engine) + " against cpu-ref, " +
                    std::to_string(report.configs.size()) + " configurations, " +
                    std::to_string(per_config) + " networks each (replicates 0.." +
                    std::to_string(per_config - 1) + ")\n\n";
  const std::vector<ConfigColumn> varying = varying_columns(plan);
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  for (const ConfigColumn& c : varying)
    header.emplace_back(c.name);
  for (const char* name :
       {"n", "D_l exact", "lowest verdict agreement", "largest rate difference", ""}) {
    header.emplace_back(name);
  }
  cells.push_back(header);
  for (std::size_t i = 0; i < report.configs.size(); ++i) {
    const Agreement& a = report.per_config[i];
    const Config& c = plan.configs[report.configs[i]];
    std::vector<std::string> row;
    for (const ConfigColumn& col : varying)
      row.push_back(col.value(plan, c));
    int which = 0;
    const double diff = a.largest_rate_difference(&which);
    row.push_back(std::to_string(a.n));
    row.push_back(a.exact_required == 0     ? "n/a"
                  : a.exact_mismatches == 0 ? "yes"
                                            : "NO (" + std::to_string(a.exact_mismatches) + ")");
    row.push_back(pct(a.lowest_verdict_agreement()));
    row.push_back(pp(diff) + " " + kRateNames[which]);
    row.push_back(a.holds() ? "" : "*");
    cells.push_back(row);
  }
  out += format_text_table(cells, varying.size());
  const Agreement& o = report.overall;
  int which = 0;
  const double diff = o.largest_rate_difference(&which);
  const bool any_beyond = std::any_of(report.per_config.begin(), report.per_config.end(),
                                      [](const Agreement& a) { return !a.holds(); });
  if (any_beyond) {
    out +=
        "\n* beyond 99% agreement or 1pp for this configuration alone: with n networks one\n"
        "  disagreement moves a rate by 100/n pp, so these two are judged over all networks.\n";
  }
  out += "\nOverall, " + std::to_string(o.n) + " networks:\n";
  out += "  D_l identical on " + std::to_string(o.exact_required - o.exact_mismatches) + " of " +
         std::to_string(o.exact_required) +
         " networks with deterministic symmetric initialisations that did not diverge "
         "(required: all)\n";
  out += "  verdict agreement:";
  for (int v = 0; v < kVerdicts; ++v) {
    out += std::string(" ") + kRateNames[v] + " " + pct(o.verdict_agreement(v));
  }
  out += " (required: >= 99% each)\n";
  out += "  largest rate difference: " + pp(diff) + " (" + kRateNames[which] +
         ") (required: <= 1pp)\n";
  if (o.test_measured > 0) {
    const double count = static_cast<double>(o.test_measured);
    out += "  test accuracy (data tasks; informational): mean " + pct(o.engine_test_sum / count) +
           " against " + pct(o.reference_test_sum / count) +
           ", largest difference on one network " + pp(o.largest_test_difference) + "\n";
  }
  out += report.passed() ? "PASS\n" : "FAIL\n";
  return out;
}

}  // namespace symbreak
