// Backward delta of one hidden layer, one thread per (network, sample, neuron j of layer l-1):
// δ_{l-1}[j] = (Σ_i W_l[i][j] δ_l[i]) · f'(z_{l-1}[j]) (docs/method.md §3), with dropout
// (Σ_i W_l[i][j] δ_l[i]) · m_j · f'(z_{l-1}[j]), the forward pass's mask m (§4.1). See
// layered_batch.cuh.
#pragma once

#include "activation.cuh"
#include "float_math.cuh"
#include "host_device.cuh"
#include "layered_batch.cuh"

namespace symbreak {

// Column j of W_l (fan_out rows of fan_in entries) times δ_l, in the same order for every j, each
// term a written FMA as in the fused per-thread kernel's backward().
template <class Real>
SYMBREAK_HD inline Real transposed_dot(const Real* w, int fan_out, int fan_in, int j,
                                       const Real* delta) {
  Real sum = 0.0f;
  for (int i = 0; i < fan_out; ++i)
    sum = fma_f(w[static_cast<long long>(i) * fan_in + j], delta[i], sum);
  return sum;
}

// δ of the hidden unit at `index` from the sum Σ_i W[i][j] δ[i] over the layer above. With dropout,
// a holds the dropped activation, so f' gets the activation recomputed from z (the same bits).
template <class Real>
SYMBREAK_HD inline Real hidden_delta(const LayeredBatchOf<Real>& b, long long index, Real sum) {
  const Activation f = b.job.activation;
  if (b.job.dropout > 0.0f) {
    const Real z = b.z[index];
    return sum * b.mask[index] * activation_derivative(f, z, activate(f, z));
  }
  return sum * activation_derivative(f, b.z[index], b.a[index]);
}

// idx in [0, networks * count * n_{l-1}); l >= 2 is the layer whose δ is known.
template <class Real = float>
struct BackwardDeltaOp {
  LayeredBatchOf<Real> b;
  int l;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const NetworkShape& s = b.job.shape;
    const int fan_in = s.units(l - 1), fan_out = s.units(l);
    const UnitCoordinates c = unit_coordinates(idx, fan_in, count);
    const Real sum = transposed_dot(b.network_params(c.net) + s.weight_offset(l), fan_out, fan_in,
                                    c.unit, b.delta + b.unit_index(l, c.net, c.sample, 0));
    const long long index = b.unit_index(l - 1, c.net, c.sample, c.unit);
    b.delta[index] = hidden_delta(b, index, sum);
  }
};

// After δ_{l-1} = W_lᵀ δ_l computed elsewhere (cuBLAS): multiply by f'(z_{l-1}).
template <class Real = float>
struct DerivativeOp {
  LayeredBatchOf<Real> b;
  int l;  // the layer whose δ is being completed
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const UnitCoordinates c = unit_coordinates(idx, b.job.shape.units(l), count);
    const long long index = b.unit_index(l, c.net, c.sample, c.unit);
    b.delta[index] = hidden_delta(b, index, b.delta[index]);
  }
};

}  // namespace symbreak
