// The arrays the layered kernels work on: N networks of one configuration trained together, with
// the activations of a batch of samples for each. One thread per element of one of these arrays.
//
//   params, velocity, moment2, grad: [network][P] in the layout of network_shape.cuh
//   z, a, delta, mask: one block per layer l = 1 ... L+1, each [network][capacity][n_l] row-major,
//     so a network's block is a column-major n_l x capacity matrix (what cuBLAS expects). With
//     dropout, a holds what the next layer sees (the activation times its mask) and mask the
//     multipliers (docs/method.md §4.1).
//   replicate: [network], keys each network's dropout masks and gradient noise
//   x: [sample][input] shared by all networks; y: [sample]
//   loss_sum, correct, state: [network], the evaluation accumulators and TrainState
//
// Real is float on the GPU. The cpu engine instantiates the same operations with a pack of floats
// (float_pack.hpp): then each "network" of the batch is a pack of networks, one per lane, and
// correct / state hold one count / TrainState per lane (LaneTypes).
#pragma once

#include "host_device.cuh"
#include "train_job.cuh"

namespace symbreak {

// (network, sample, unit) of a thread index over [network][count][units].
struct UnitCoordinates {
  int net, sample, unit;
};

SYMBREAK_HD inline UnitCoordinates unit_coordinates(long long idx, int units, int count) {
  return UnitCoordinates{static_cast<int>(idx / (static_cast<long long>(units) * count)),
                         static_cast<int>((idx / units) % count), static_cast<int>(idx % units)};
}

// (network, row i, column j) of a thread index over [network][units][fan_in + 1]; j == fan_in is
// the bias.
struct ParameterCoordinates {
  int net, i, j;
};

SYMBREAK_HD inline ParameterCoordinates parameter_coordinates(long long idx, int units,
                                                              int fan_in) {
  return ParameterCoordinates{static_cast<int>(idx / (static_cast<long long>(fan_in + 1) * units)),
                              static_cast<int>((idx / (fan_in + 1)) % units),
                              static_cast<int>(idx % (fan_in + 1))};
}

template <class R = float>
struct LayeredBatchOf {
  using Real = R;
  using Count = typename LaneTypes<Real>::Count;
  using State = typename LaneTypes<Real>::State;
  TrainJob job;
  int networks = 0;
  int capacity = 0;  // samples per network the z/a/delta blocks can hold
  Real* params = nullptr;
  Real* velocity = nullptr;  // momentum's velocity, RMSprop's square average, Adam's first moment
  Real* moment2 = nullptr;   // Adam's second moment; only with Adam
  Real* grad = nullptr;      // only the cuBLAS products use it
  Real* z = nullptr;
  Real* a = nullptr;
  Real* delta = nullptr;
  Real* mask = nullptr;                                            // only with dropout
  const typename LaneTypes<Real>::Replicate* replicate = nullptr;  // only with draws
  Real* loss_sum = nullptr;
  Count* correct = nullptr;
  State* state = nullptr;

  SYMBREAK_HD long long parameter_count() const { return job.shape.parameter_count(); }

  // Whether the forward pass of update `step` (< 0: an evaluation) drops units of layer l.
  SYMBREAK_HD bool drops(int l, long long step) const {
    return step >= 0 && job.dropout > 0.0f && l <= job.shape.depth;
  }

  // Offset of layer l's block in z, a and delta.
  SYMBREAK_HD long long layer_block(int l) const {
    long long offset = 0;
    for (int k = 1; k < l; ++k)
      offset += static_cast<long long>(networks) * capacity * job.shape.units(k);
    return offset;
  }

  SYMBREAK_HD long long unit_index(int l, int net, int s, int i) const {
    return layer_block(l) + (static_cast<long long>(net) * capacity + s) * job.shape.units(l) + i;
  }

  SYMBREAK_HD long long total_units() const { return layer_block(job.shape.layers() + 1); }

  SYMBREAK_HD Real* network_params(int net) const { return params + net * parameter_count(); }

  // The inputs of layer 1 for sample s of the current batch (which starts at sample `first`):
  // the task's, the same for every network.
  SYMBREAK_HD const float* sample_input(int first, int s) const {
    return job.x + static_cast<long long>(first + s) * job.shape.inputs;
  }

  // The inputs of layer l >= 2: the activations of layer l - 1.
  SYMBREAK_HD const Real* hidden_input(int l, int net, int s) const {
    return a + unit_index(l - 1, net, s, 0);
  }
};

using LayeredBatch = LayeredBatchOf<float>;

}  // namespace symbreak
