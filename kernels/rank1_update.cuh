// Rank-one weight-gradient update of one layer, one thread per parameter (network, i, j), with
// j == fan_in standing for the bias: the batch's sum of δ_i·a_jᵀ over samples (a sum of rank-one
// outer products, docs/method.md §3), then the momentum step of sgd_step.cuh. See
// layered_batch.cuh.
#pragma once

#include "host_device.cuh"
#include "layered_batch.cuh"
#include "sgd_step.cuh"

namespace symbreak {

// Σ_s δ[s][i] · a[s][j] over the batch, in sample order; j == fan_in is the bias (a = 1).
SYMBREAK_HD inline float outer_product_sum(const LayeredBatch& b, int l, int net, int first,
                                           int count, int i, int j) {
  const int fan_in = b.job.shape.units(l - 1);
  float sum = 0.0f;
  for (int s = 0; s < count; ++s) {
    const float d = b.delta[b.unit_index(l, net, s, i)];
    sum += j < fan_in ? d * b.layer_input(l, net, first, s)[j] : d;
  }
  return sum;
}

SYMBREAK_HD inline void update_parameter(const LayeredBatch& b, long long index, float grad_sum,
                                         int count) {
  const float inv_count = 1.0f / static_cast<float>(count);
  if (b.job.momentum != 0.0f) {
    sgd_step<true>(b.params[index], b.velocity[index], grad_sum, inv_count, b.job.lr,
                   b.job.momentum);
  } else {
    float unused = 0.0f;
    sgd_step<false>(b.params[index], unused, grad_sum, inv_count, b.job.lr, 0.0f);
  }
}

// Flat index of parameter (i, j) of layer l, j == fan_in being the bias.
SYMBREAK_HD inline long long layer_parameter_index(const LayeredBatch& b, int l, int net, int i,
                                                   int j) {
  const NetworkShape& s = b.job.shape;
  const int fan_in = s.units(l - 1);
  const long long base = net * b.parameter_count();
  return j < fan_in ? base + s.weight_offset(l) + static_cast<long long>(i) * fan_in + j
                    : base + s.bias_offset(l) + i;
}

// idx in [0, networks * n_l * (n_{l-1} + 1)).
struct Rank1UpdateOp {
  LayeredBatch b;
  int l;
  int first;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const ParameterCoordinates c =
        parameter_coordinates(idx, b.job.shape.units(l), b.job.shape.units(l - 1));
    update_parameter(b, layer_parameter_index(b, l, c.net, c.i, c.j),
                     outer_product_sum(b, l, c.net, first, count, c.i, c.j), count);
  }
};

// The same update when cuBLAS already summed the weight gradient into b.grad (same layout as
// params); bias gradients are summed here.
struct GradientUpdateOp {
  LayeredBatch b;
  int l;
  int first;
  int count;

  SYMBREAK_HD void operator()(long long idx) const {
    const int fan_in = b.job.shape.units(l - 1);
    const ParameterCoordinates c = parameter_coordinates(idx, b.job.shape.units(l), fan_in);
    const long long index = layer_parameter_index(b, l, c.net, c.i, c.j);
    const float grad_sum =
        c.j < fan_in ? b.grad[index] : outer_product_sum(b, l, c.net, first, count, c.i, c.j);
    update_parameter(b, index, grad_sum, count);
  }
};

}  // namespace symbreak
