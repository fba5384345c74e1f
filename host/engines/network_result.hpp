// What one trained network reports (docs/method.md §6). Engines fill these; aggregation happens
// elsewhere.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kernels/network_shape.cuh"

namespace symbreak {

// The state of one network at a traced epoch (docs/method.md §8.3 --trace).
struct TracePoint {
  int epoch = 0;
  double loss = 0.0;
  bool solved = false;
  double distinct_fraction = 0.0;  // mean over hidden layers of D_l / H_l
  bool broken = false;
  bool collapsed = false;
  bool diverged = false;
};

struct NetworkResult {
  double final_loss = 0.0;
  double accuracy = 0.0;  // fraction of samples classified correctly, in [0, 1]
  bool solved = false;
  int epoch_solved = -1;
  std::vector<int> distinct;  // D_l for hidden layers l = 1 ... L
  bool broken = false;
  bool collapsed = false;
  bool frozen = false;
  bool diverged = false;
  int epoch_broken = -1;          // only meaningful when tracing
  std::uint64_t fingerprint = 0;  // float engines: hash of the final parameters' bits
  std::vector<TracePoint> trace;  // empty unless tracing
  // Data tasks with a test set (docs/method.md §6): the final parameters on the test set.
  std::optional<double> test_accuracy;  // fraction of test samples classified correctly
  std::optional<double> test_loss;      // mean loss over the test samples
  // Data tasks: the final network predicts the same class for every training sample.
  std::optional<bool> single_class;
  // The final parameters in the flat layout of kernels/network_shape.cuh, for the first
  // RunSettings::params_replicates replicates of a configuration only (--params, docs/method.md
  // §8.4); empty otherwise. Float engines store their floats here exactly (a float is a double).
  std::vector<double> parameters;
  bool parameters_are_float = false;  // written back in float's shortest form
};

// Verdicts from D_l against each layer's H_l (docs/method.md §6); a diverged network gets none of
// them. distinct[l - 1] = D_l.
inline void set_symmetry_verdicts(NetworkResult& r, const NetworkShape& shape) {
  bool all_distinct = true;
  bool any_single = false;
  for (std::size_t k = 0; k < r.distinct.size(); ++k) {
    const int d = r.distinct[k], width = shape.units(static_cast<int>(k) + 1);
    all_distinct = all_distinct && d == width;
    any_single = any_single || (d == 1 && width > 1);
  }
  r.broken = !r.diverged && all_distinct;
  r.collapsed = !r.diverged && any_single;
}

// The mean over hidden layers of D_l / H_l (eff_width's per-network term, docs/method.md §7).
inline double distinct_fraction(const std::vector<int>& distinct, const NetworkShape& shape) {
  double sum = 0.0;
  for (std::size_t k = 0; k < distinct.size(); ++k)
    sum += static_cast<double>(distinct[k]) / shape.units(static_cast<int>(k) + 1);
  return distinct.empty() ? 0.0 : sum / static_cast<double>(distinct.size());
}

}  // namespace symbreak
