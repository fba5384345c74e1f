// Dense forward of one layer with bias and activation, one thread per (network, sample, neuron):
// z_i = b_i + Σ_j W[i][j] a_j, a_i = f(z_i) for hidden layers (the output layer keeps the logit).
// z and a are kept for the backward pass. See layered_batch.cuh for the arrays.
#pragma once

#include "activation.cuh"
#include "host_device.cuh"
#include "layered_batch.cuh"

namespace symbreak {

// The same operation order for every neuron, so identical rows give identical z. Input: float (the
// task's samples) or Real (a hidden layer's activations).
template <class Real, class Input>
SYMBREAK_HD inline Real dense_unit(const Real* w_row, Real bias, const Input* input, int fan_in) {
  Real z = bias;
  for (int j = 0; j < fan_in; ++j)
    z += w_row[j] * input[j];
  return z;
}

template <class Real>
SYMBREAK_HD inline void store_activation(const LayeredBatchOf<Real>& b, int l, long long index,
                                         Real z) {
  b.z[index] = z;
  b.a[index] = l <= b.job.shape.depth ? activate(b.job.activation, z) : z;
}

// idx in [0, networks * count * n_l).
template <class Real = float>
struct DenseForwardOp {
  LayeredBatchOf<Real> b;
  int l;
  int first;  // first sample of the batch
  int count;  // samples in the batch

  SYMBREAK_HD void operator()(long long idx) const {
    const NetworkShape& s = b.job.shape;
    const int fan_in = s.units(l - 1);
    const UnitCoordinates c = unit_coordinates(idx, s.units(l), count);
    const Real* p = b.network_params(c.net);
    const Real* w_row = p + s.weight_offset(l) + static_cast<long long>(c.unit) * fan_in;
    const Real bias = p[s.bias_offset(l) + c.unit];
    const Real z = l == 1 ? dense_unit(w_row, bias, b.sample_input(first, c.sample), fan_in)
                          : dense_unit(w_row, bias, b.hidden_input(l, c.net, c.sample), fan_in);
    store_activation(b, l, b.unit_index(l, c.net, c.sample, c.unit), z);
  }
};

// After a product z = W a computed elsewhere (cuBLAS): z += b_i, then the activation.
template <class Real = float>
struct BiasActivationOp {
  LayeredBatchOf<Real> b;
  int l;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const UnitCoordinates c = unit_coordinates(idx, b.job.shape.units(l), count);
    const long long index = b.unit_index(l, c.net, c.sample, c.unit);
    store_activation(b, l, index,
                     b.z[index] + b.network_params(c.net)[b.job.shape.bias_offset(l) + c.unit]);
  }
};

}  // namespace symbreak
