// The symmetry metrics of docs/method.md §6 on a network's parameters, in plain double-precision
// code: the reference the device metrics are checked against.
#pragma once

#include <span>
#include <vector>

#include "kernels/network_shape.cuh"

namespace symbreak {

// D_l for hidden layers l = 1 ... L: the number of groups of neurons under the transitive closure
// of "tied" (max_k |θ_i,k − θ_j,k| ≤ τ(1 + max(‖θ_i‖∞, ‖θ_j‖∞))), where neuron i's θ_i is its
// incoming row, its bias and its outgoing column. params: layout of network_shape.cuh.
std::vector<int> distinct_neurons(const NetworkShape& shape, std::span<const double> params,
                                  double tol);

// True when every weight (biases excluded) is bit-for-bit equal to its initial value.
bool weights_unchanged(const NetworkShape& shape, std::span<const double> params,
                       std::span<const double> initial);

}  // namespace symbreak
