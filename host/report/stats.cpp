// Aggregation of per-network results; the only place rates and intervals are computed.
#include "host/report/stats.hpp"

#include <algorithm>
#include <cmath>

namespace symbreak {

Interval wilson_interval(std::int64_t successes, std::int64_t n, double z) {
  if (n <= 0) return Interval{0.0, 1.0};
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nn;
  const double centre = (p + z2 / (2.0 * nn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
  // With no success (or no failure) the bound is 0 (or 1) exactly; the formula leaves a rounding
  // residue such as 1.7e-18 there.
  return Interval{successes <= 0 ? 0.0 : std::max(0.0, centre - half),
                  successes >= n ? 1.0 : std::min(1.0, centre + half)};
}

Rate rate_of(std::int64_t successes, std::int64_t n) {
  return Rate{n > 0 ? static_cast<double>(successes) / static_cast<double>(n) : 0.0,
              wilson_interval(successes, n)};
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return lower + (upper - lower) / 2.0;
}

namespace {

std::optional<double> mean_of(double sum, std::int64_t count) {
  if (count == 0) return std::nullopt;
  return sum / static_cast<double>(count);
}

// The mean of finite values that may each lie near the top of double's range (cpu-ref's loss
// for a huge logit), where their sum overflows although their mean does not. `scaled` is the sum
// of the values times 2^-512 (exact: a power of two), used only when `sum` overflowed.
constexpr double kLossScale = 0x1p-512;

std::optional<double> finite_mean(double sum, double scaled, std::int64_t count) {
  if (count == 0) return std::nullopt;
  if (std::isfinite(sum)) return sum / static_cast<double>(count);
  return scaled / static_cast<double>(count) / kLossScale;
}

}  // namespace

void ConfigAccumulator::add(const NetworkResult& r, const NetworkShape& shape) {
  add(r, r.diverged ? 0.0 : distinct_fraction(r.distinct, shape));
}

void ConfigAccumulator::add(const NetworkResult& r, double network_distinct_fraction) {
  ++n_;
  solved_ += r.solved;
  broken_ += r.broken;
  collapsed_ += r.collapsed;
  frozen_ += r.frozen;
  diverged_ += r.diverged;
  if (r.solved) epochs_solved_.push_back(r.epoch_solved);
  accuracies_.push_back(r.accuracy);
  if (r.test_accuracy) test_accuracies_.push_back(*r.test_accuracy);
  if (r.single_class) {
    ++single_class_measured_;
    single_class_ += *r.single_class;
  }
  if (!r.diverged) {
    distinct_fraction_sum_ += network_distinct_fraction;
    final_losses_.push_back(r.final_loss);
  }
  if (trace_.size() < r.trace.size()) trace_.resize(r.trace.size());
  for (std::size_t t = 0; t < r.trace.size(); ++t) {
    const TracePoint& p = r.trace[t];
    TraceSums& s = trace_[t];
    s.epoch = p.epoch;
    ++s.n;
    s.solved += p.solved;
    s.broken += p.broken;
    s.collapsed += p.collapsed;
    if (!p.diverged) {
      ++s.finite;
      s.loss += p.loss;
      s.loss_scaled += p.loss * kLossScale;
      s.distinct_fraction += p.distinct_fraction;
    }
  }
}

ConfigSummary ConfigAccumulator::summary() const {
  ConfigSummary s;
  s.n = n_;
  s.solved = rate_of(solved_, n_);
  s.broken = rate_of(broken_, n_);
  s.collapsed = rate_of(collapsed_, n_);
  s.frozen = rate_of(frozen_, n_);
  s.diverged = rate_of(diverged_, n_);
  const auto finite = static_cast<std::int64_t>(final_losses_.size());
  s.eff_width = mean_of(distinct_fraction_sum_, finite);
  s.median_epoch_solved = median(epochs_solved_);
  double sum = 0.0, scaled = 0.0;
  for (const double loss : final_losses_) {
    sum += loss;
    scaled += loss * kLossScale;
  }
  s.mean_final_loss = finite_mean(sum, scaled, finite);
  s.median_final_loss = median(final_losses_);
  const auto mean_and_median = [](const std::vector<double>& values, std::optional<double>& mean,
                                  std::optional<double>& middle) {
    double total = 0.0;
    for (const double v : values)
      total += v;
    mean = mean_of(total, static_cast<std::int64_t>(values.size()));
    middle = median(values);
  };
  mean_and_median(accuracies_, s.mean_accuracy, s.median_accuracy);
  mean_and_median(test_accuracies_, s.mean_test_accuracy, s.median_test_accuracy);
  if (single_class_measured_ > 0) s.single_class = rate_of(single_class_, single_class_measured_);
  return s;
}

std::vector<TraceRow> ConfigAccumulator::trace_rows() const {
  std::vector<TraceRow> rows;
  for (const TraceSums& s : trace_) {
    const double n = static_cast<double>(s.n);
    rows.push_back(TraceRow{s.epoch, s.n, finite_mean(s.loss, s.loss_scaled, s.finite),
                            s.solved / n, mean_of(s.distinct_fraction, s.finite), s.broken / n,
                            s.collapsed / n});
  }
  return rows;
}

}  // namespace symbreak
