// Rank-one weight-gradient update of one layer, one thread per parameter (network, i, j), with
// j == fan_in standing for the bias: the batch's sum of δ_i·a_jᵀ over samples (a sum of rank-one
// outer products, docs/method.md §3), then the optimiser step of optimizer_step.cuh with weight
// decay and gradient noise (§4.1). See layered_batch.cuh.
#pragma once

#include "breaker_values.cuh"
#include "float_math.cuh"
#include "host_device.cuh"
#include "layered_batch.cuh"
#include "optimizer_step.cuh"

namespace symbreak {

// Σ_s δ[s][i] · a[s][j] over the batch, in sample order, each term a written FMA as in the fused
// per-thread kernel's backward(); j == fan_in is the bias (a = 1).
template <class Real>
SYMBREAK_HD inline Real outer_product_sum(const LayeredBatchOf<Real>& b, int l, int net, int first,
                                          int count, int i, int j) {
  const int fan_in = b.job.shape.units(l - 1);
  Real sum = 0.0f;
  for (int s = 0; s < count; ++s) {
    const Real d = b.delta[b.unit_index(l, net, s, i)];
    if (j >= fan_in) {
      sum += d;
    } else if (l == 1) {
      sum = fma_f(d, Real(b.sample_input(first, s)[j]), sum);
    } else {
      sum = fma_f(d, b.hidden_input(l, net, s)[j], sum);
    }
  }
  return sum;
}

// Parameter (i, j) of layer l of network `net` (flat index `index`) at update `step`, whose
// scalars (update_scalars, computed once per update by the caller) are k.
template <class Real>
SYMBREAK_HD inline void update_parameter(const LayeredBatchOf<Real>& b, long long index,
                                         Real grad_sum, const UpdateScalars& k, long long step,
                                         int l, int net, int i, int j) {
  Real noise = 0.0f;
  if (k.noisy) {
    noise = parameter_noise(b.job, b.replicate[net], step, l, i, j, b.job.shape.units(l - 1));
  }
  Real unused1 = 0.0f, unused2 = 0.0f;
  Real& theta = b.params[index];
  switch (update_rule(b.job)) {
    case UpdateRule::sgd:
      optimizer_step<UpdateRule::sgd>(theta, unused1, unused2, grad_sum, noise, k);
      break;
    case UpdateRule::momentum:
      optimizer_step<UpdateRule::momentum>(theta, b.velocity[index], unused2, grad_sum, noise, k);
      break;
    case UpdateRule::adam:
      optimizer_step<UpdateRule::adam>(theta, b.velocity[index], b.moment2[index], grad_sum, noise,
                                       k);
      break;
    case UpdateRule::rmsprop:
      optimizer_step<UpdateRule::rmsprop>(theta, b.velocity[index], unused2, grad_sum, noise, k);
      break;
  }
}

// Flat index of parameter (i, j) of layer l, j == fan_in being the bias.
template <class Real>
SYMBREAK_HD inline long long layer_parameter_index(const LayeredBatchOf<Real>& b, int l, int net,
                                                   int i, int j) {
  const NetworkShape& s = b.job.shape;
  const int fan_in = s.units(l - 1);
  const long long base = net * b.parameter_count();
  return j < fan_in ? base + s.weight_offset(l) + static_cast<long long>(i) * fan_in + j
                    : base + s.bias_offset(l) + i;
}

// idx in [0, networks * n_l * (n_{l-1} + 1)).
template <class Real = float>
struct Rank1UpdateOp {
  LayeredBatchOf<Real> b;
  int l;
  int first;
  int count;
  long long step;
  UpdateScalars k;  // update_scalars(b.job, count, step)

  SYMBREAK_HD void operator()(long long idx) const {
    const ParameterCoordinates c =
        parameter_coordinates(idx, b.job.shape.units(l), b.job.shape.units(l - 1));
    update_parameter(b, layer_parameter_index(b, l, c.net, c.i, c.j),
                     outer_product_sum(b, l, c.net, first, count, c.i, c.j), k, step, l, c.net, c.i,
                     c.j);
  }
};

// The same update when cuBLAS already summed the weight gradient into b.grad (same layout as
// params); bias gradients are summed here.
template <class Real = float>
struct GradientUpdateOp {
  LayeredBatchOf<Real> b;
  int l;
  int first;
  int count;
  long long step;
  UpdateScalars k;  // update_scalars(b.job, count, step)

  SYMBREAK_HD void operator()(long long idx) const {
    const int fan_in = b.job.shape.units(l - 1);
    const ParameterCoordinates c = parameter_coordinates(idx, b.job.shape.units(l), fan_in);
    const long long index = layer_parameter_index(b, l, c.net, c.i, c.j);
    const Real grad_sum =
        c.j < fan_in ? b.grad[index] : outer_product_sum(b, l, c.net, first, count, c.i, c.j);
    update_parameter(b, index, grad_sum, k, step, l, c.net, c.i, c.j);
  }
};

}  // namespace symbreak
