// Distinct-neuron counting with a union-find over all pairs; hidden layers are at most a few
// hundred neurons wide, so O(H^2 * fan) is fine for the reference.
#include "host/engines/reference_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace symbreak {
namespace {

// θ_i of hidden layer l: [W_l[i,:], b_l[i], W_{l+1}[:,i]].
std::vector<double> neuron_parameters(const NetworkShape& shape, std::span<const double> params,
                                      int l, int i) {
  const int fan_in = shape.units(l - 1);
  const int fan_out = shape.units(l + 1);
  const int width = shape.units(l);
  std::vector<double> theta;
  theta.reserve(fan_in + 1 + fan_out);
  const double* w_in =
      params.data() + shape.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in;
  theta.insert(theta.end(), w_in, w_in + fan_in);
  theta.push_back(params[shape.bias_offset(l) + i]);
  const double* w_out = params.data() + shape.weight_offset(l + 1);
  for (int k = 0; k < fan_out; ++k)
    theta.push_back(w_out[static_cast<std::int64_t>(k) * width + i]);
  return theta;
}

double max_abs(const std::vector<double>& v) {
  double m = 0.0;
  for (const double x : v)
    m = std::max(m, std::fabs(x));
  return m;
}

// A NaN difference is not within the tolerance: NaN parameters tie nothing.
bool tied(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  const double limit = tol * (1.0 + std::max(max_abs(a), max_abs(b)));
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (!(std::fabs(a[k] - b[k]) <= limit)) return false;
  }
  return true;
}

int find_root(std::vector<int>& parent, int i) {
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

std::vector<int> distinct_neurons(const NetworkShape& shape, std::span<const double> params,
                                  double tol) {
  std::vector<int> result;
  for (int l = 1; l <= shape.depth; ++l) {
    const int width = shape.units(l);
    std::vector<std::vector<double>> theta;
    for (int i = 0; i < width; ++i)
      theta.push_back(neuron_parameters(shape, params, l, i));
    std::vector<int> parent(width);
    std::iota(parent.begin(), parent.end(), 0);
    int groups = width;
    for (int i = 0; i < width; ++i) {
      for (int j = i + 1; j < width; ++j) {
        const int ri = find_root(parent, i);
        const int rj = find_root(parent, j);
        if (ri != rj && tied(theta[i], theta[j], tol)) {
          parent[rj] = ri;
          --groups;
        }
      }
    }
    result.push_back(groups);
  }
  return result;
}

bool weights_unchanged(const NetworkShape& shape, std::span<const double> params,
                       std::span<const double> initial) {
  for (int l = 1; l <= shape.layers(); ++l) {
    const std::int64_t offset = shape.weight_offset(l);
    const std::size_t bytes = sizeof(double) * shape.weight_count(l);
    if (std::memcmp(params.data() + offset, initial.data() + offset, bytes) != 0) return false;
  }
  return true;
}

}  // namespace symbreak
