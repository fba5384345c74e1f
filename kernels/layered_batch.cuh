// The arrays the layered kernels work on: N networks of one configuration trained together, with
// the activations of a batch of samples for each. One thread per element of one of these arrays.
//
//   params, velocity, grad: [network][P] in the layout of network_shape.cuh
//   z, a, delta: one block per layer l = 1 ... L+1, each [network][capacity][n_l] row-major, so a
//     network's block is a column-major n_l x capacity matrix (what cuBLAS expects)
//   x: [sample][input] shared by all networks; y: [sample]
//   loss_sum, correct, state: [network], the evaluation accumulators and TrainState
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

struct LayeredBatch {
  TrainJob job;
  int networks = 0;
  int capacity = 0;  // samples per network the z/a/delta blocks can hold
  float* params = nullptr;
  float* velocity = nullptr;
  float* grad = nullptr;  // only the cuBLAS products use it
  float* z = nullptr;
  float* a = nullptr;
  float* delta = nullptr;
  float* loss_sum = nullptr;
  int* correct = nullptr;
  TrainState* state = nullptr;

  SYMBREAK_HD long long parameter_count() const { return job.shape.parameter_count(); }

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

  SYMBREAK_HD float* network_params(int net) const { return params + net * parameter_count(); }

  // The inputs of layer l for sample s of the current batch (which starts at sample `first`).
  SYMBREAK_HD const float* layer_input(int l, int net, int first, int s) const {
    if (l == 1) return job.x + static_cast<long long>(first + s) * job.shape.inputs;
    return a + unit_index(l - 1, net, s, 0);
  }
};

}  // namespace symbreak
