// The agreement every float engine must show with cpu-ref on the same networks (docs/method.md §9):
// identical D_l for deterministic symmetric initialisations, solved / broken / collapsed / frozen
// verdicts agreeing on at least 99% of networks, and every rate within 1 percentage point.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "host/engines/network_result.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

// True for initialisations that exact arithmetic keeps (partly) symmetric for ever: zeros,
// const:c, symmetric:<scheme>, identity and hadamard, with zero or constant biases, under SGD,
// Adam, RMSprop and weight decay. With gradient noise never; with dropout only zero weights and
// biases with an activation f(0) = 0 (tanh, relu, leaky_relu, linear), which no gradient reaches.
bool requires_exact_distinct(const Config& config);

inline constexpr int kVerdicts = 4;  // solved, broken, collapsed, frozen
inline constexpr int kRates = 5;     // the verdicts and diverged
inline constexpr std::array<const char*, kRates> kRateNames = {"solved", "broken", "collapsed",
                                                               "frozen", "diverged"};

// Agreement over a set of networks (one configuration, or all of them).
struct Agreement {
  std::int64_t n = 0;
  std::int64_t exact_required = 0;  // networks whose D_l must match exactly (neither diverged)
  std::int64_t exact_mismatches = 0;
  std::array<std::int64_t, kVerdicts> verdict_disagreements{};
  std::array<std::int64_t, kRates> engine_counts{}, reference_counts{};
  // Data tasks (informational, not a requirement): test accuracy in both engines.
  std::int64_t test_measured = 0;
  double engine_test_sum = 0.0, reference_test_sum = 0.0, largest_test_difference = 0.0;
  // Training accuracy in both engines (informational), over the n networks.
  double engine_accuracy_sum = 0.0, reference_accuracy_sum = 0.0;
  double largest_accuracy_difference = 0.0;

  void add(const Config& config, const NetworkResult& engine, const NetworkResult& reference);
  double verdict_agreement(int v) const;  // fraction in [0, 1]
  double rate_difference(int r) const;    // |engine rate - reference rate|, in [0, 1]
  double largest_rate_difference(int* which = nullptr) const;
  double lowest_verdict_agreement() const;
  bool holds() const;  // all three requirements
};

inline constexpr double kMinVerdictAgreement = 0.99;
inline constexpr double kMaxRateDifference = 0.01;

struct VerificationReport {
  std::vector<std::int64_t> configs;  // configuration indices, in plan order
  std::vector<Agreement> per_config;  // [i] belongs to configs[i]
  Agreement overall;
  // The sweep passes when D_l matched everywhere it must, and the verdict agreement and rates hold
  // over all compared networks. Per configuration the same numbers are reported; with few networks
  // per configuration one disagreement exceeds 1 percentage point, so they inform but do not
  // decide.
  bool passed() const;
};

// items[i] was trained by the engine into engine[i] and by cpu-ref into reference[i].
VerificationReport compare_with_reference(const SweepPlan& plan, const std::vector<WorkItem>& items,
                                          const std::vector<NetworkResult>& engine,
                                          const std::vector<NetworkResult>& reference);

std::string format_verification(const SweepPlan& plan, const VerificationReport& report,
                                std::string_view engine, std::int64_t per_config);

}  // namespace symbreak
