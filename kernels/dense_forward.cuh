// Dense forward of one layer with bias and activation, one thread per (network, sample, neuron):
// z_i = b_i + Σ_j W[i][j] a_j, a_i = f(z_i) for hidden layers (the output layer keeps the logit).
// z and a are kept for the backward pass. With dropout, the forward pass of a training update
// multiplies each hidden activation by its unit's mask (docs/method.md §4.1) and keeps the mask for
// the backward pass; evaluations (step < 0) drop nothing. See layered_batch.cuh for the arrays.
#pragma once

#include "activation.cuh"
#include "breaker_values.cuh"
#include "float_math.cuh"
#include "host_device.cuh"
#include "layered_batch.cuh"

namespace symbreak {

// The same operation order for every neuron, so identical rows give identical z. Input: float (the
// task's samples) or Real (a hidden layer's activations). Each term is a written FMA, as in the
// fused per-thread kernel's forward(), so both kernels compute the same bits (docs/method.md §13).
template <class Real, class Input>
SYMBREAK_HD inline Real dense_unit(const Real* w_row, Real bias, const Input* input, int fan_in) {
  Real z = bias;
  for (int j = 0; j < fan_in; ++j)
    z = fma_f(w_row[j], Real(input[j]), z);
  return z;
}

// Unit `unit` of layer l for sample `sample` of the training set in network `net`.
template <class Real>
SYMBREAK_HD inline void store_activation(const LayeredBatchOf<Real>& b, int l, long long index,
                                         Real z, int net, int sample, int unit, long long step) {
  b.z[index] = z;
  if (l > b.job.shape.depth) {
    b.a[index] = z;
    return;
  }
  const Real a = activate(b.job.activation, z);
  if (b.drops(l, step)) {
    const Real m = unit_dropout(b.job, b.replicate[net], step, sample, l, unit);
    b.mask[index] = m;
    b.a[index] = a * m;
  } else {
    b.a[index] = a;
  }
}

// idx in [0, networks * count * n_l).
template <class Real = float>
struct DenseForwardOp {
  LayeredBatchOf<Real> b;
  int l;
  int first;            // first sample of the batch
  int count;            // samples in the batch
  long long step = -1;  // the update this forward pass belongs to; < 0: an evaluation

  SYMBREAK_HD void operator()(long long idx) const {
    const NetworkShape& s = b.job.shape;
    const int fan_in = s.units(l - 1);
    const UnitCoordinates c = unit_coordinates(idx, s.units(l), count);
    const Real* p = b.network_params(c.net);
    const Real* w_row = p + s.weight_offset(l) + static_cast<long long>(c.unit) * fan_in;
    const Real bias = p[s.bias_offset(l) + c.unit];
    const Real z = l == 1 ? dense_unit(w_row, bias, b.sample_input(first, c.sample), fan_in)
                          : dense_unit(w_row, bias, b.hidden_input(l, c.net, c.sample), fan_in);
    store_activation(b, l, b.unit_index(l, c.net, c.sample, c.unit), z, c.net, first + c.sample,
                     c.unit, step);
  }
};

// After a product z = W a computed elsewhere (cuBLAS): z += b_i, then the activation.
template <class Real = float>
struct BiasActivationOp {
  LayeredBatchOf<Real> b;
  int l;
  int first;
  int count;
  long long step = -1;

  SYMBREAK_HD void operator()(long long idx) const {
    const UnitCoordinates c = unit_coordinates(idx, b.job.shape.units(l), count);
    const long long index = b.unit_index(l, c.net, c.sample, c.unit);
    store_activation(b, l, index,
                     b.z[index] + b.network_params(c.net)[b.job.shape.bias_offset(l) + c.unit],
                     c.net, first + c.sample, c.unit, step);
  }
};

}  // namespace symbreak
