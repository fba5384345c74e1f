// The test-set measurement of the float engines (docs/method.md §6 test_accuracy, test_loss): the
// final float parameters, read back from the engine, evaluated on the host in double. It runs
// once per network after training, so it leaves the training kernels untouched; cpu-ref measures
// its own test set with its own double-precision code.
#pragma once

#include "kernels/activation.cuh"
#include "kernels/loss.cuh"
#include "kernels/network_shape.cuh"

namespace symbreak {

struct SetEvaluation {
  double loss = 0.0;  // mean over the samples
  int correct = 0;    // samples whose logit z > 0 exactly when their target is 1
  int positive = 0;   // samples predicted 1 (z > 0)
};

// params: one network's flat parameters (network_shape.cuh layout); x [sample][input], target
// [sample].
SetEvaluation evaluate_float_network(const NetworkShape& shape, Activation activation, Loss loss,
                                     const float* params, const double* x, const double* target,
                                     int samples);

}  // namespace symbreak
