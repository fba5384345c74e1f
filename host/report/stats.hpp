// Per-configuration aggregates of docs/method.md §7: rates with 95% Wilson score intervals,
// effective width, median epoch to solve, loss statistics, and the per-epoch trace rows of
// docs/method.md §8.3.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "host/engines/network_result.hpp"

namespace symbreak {

struct Interval {
  double lo = 0.0;
  double hi = 1.0;
};

inline constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile

// Wilson score interval for `successes` out of `n` trials (Wilson 1927); [0, 1] when n = 0.
Interval wilson_interval(std::int64_t successes, std::int64_t n, double z = kZ95);

struct Rate {
  double rate = 0.0;
  Interval ci;
};

Rate rate_of(std::int64_t successes, std::int64_t n);

// Median of the values (mean of the two middle ones for an even count); nullopt when empty.
std::optional<double> median(std::vector<double> values);

struct ConfigSummary {
  std::int64_t n = 0;
  Rate solved, broken, collapsed, frozen, diverged;
  std::optional<double> eff_width;  // none when every network diverged
  std::optional<double> median_epoch_solved;
  std::optional<double> mean_final_loss;
  std::optional<double> median_final_loss;
  // Over every network, diverged ones included (their accuracy is measured like any other); the
  // test statistics only for tasks with a test set (docs/method.md §7).
  std::optional<double> mean_accuracy, median_accuracy;
  std::optional<double> mean_test_accuracy, median_test_accuracy;
  // Data tasks: networks whose predictions on the training set are all one class.
  std::optional<Rate> single_class;
};

// One traced epoch of one configuration, aggregated over its networks.
struct TraceRow {
  int epoch = 0;
  std::int64_t n = 0;
  std::optional<double> mean_loss;  // over networks that had not diverged
  double solved_fraction = 0.0;
  std::optional<double> mean_distinct_fraction;  // mean D_l/H, diverged networks left out
  double broken_fraction = 0.0;
  double collapsed_fraction = 0.0;
};

// Collects the networks of one configuration, in any order, and summarises them.
class ConfigAccumulator {
 public:
  void add(const NetworkResult& r, const NetworkShape& shape);
  // The same with the network's distinct_fraction(r.distinct, shape) given (any value when it
  // diverged): how `merge` re-adds the networks a shard kept of a split configuration.
  void add(const NetworkResult& r, double distinct_fraction);
  std::int64_t count() const { return n_; }
  ConfigSummary summary() const;
  std::vector<TraceRow> trace_rows() const;

 private:
  struct TraceSums {
    int epoch = 0;
    std::int64_t n = 0, finite = 0, solved = 0, broken = 0, collapsed = 0;
    double loss = 0.0, loss_scaled = 0.0, distinct_fraction = 0.0;
  };
  std::int64_t n_ = 0, solved_ = 0, broken_ = 0, collapsed_ = 0, frozen_ = 0, diverged_ = 0;
  double distinct_fraction_sum_ = 0.0;
  std::vector<double> epochs_solved_;
  std::vector<double> final_losses_;
  std::vector<double> accuracies_, test_accuracies_;
  std::int64_t single_class_ = 0, single_class_measured_ = 0;
  std::vector<TraceSums> trace_;
};

}  // namespace symbreak
