// A plain per-sample forward pass in double over a float network's parameters.
#include "host/engines/test_set_evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "host/engines/double_activation.hpp"

namespace symbreak {
namespace {

// docs/method.md §3: bce as softplus(z) - y z, computed stably; mse on the sigmoid output.
double sample_loss_of(Loss loss, double z, double y) {
  if (loss == Loss::bce) return std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z))) - y * z;
  const double e = 1.0 / (1.0 + std::exp(-z)) - y;
  return 0.5 * e * e;
}

}  // namespace

SetEvaluation evaluate_float_network(const NetworkShape& shape, Activation activation, Loss loss,
                                     const float* params, const double* x, const double* target,
                                     int samples) {
  SetEvaluation e;
  std::vector<double> below, above;
  for (int s = 0; s < samples; ++s) {
    below.assign(x + static_cast<std::ptrdiff_t>(s) * shape.inputs,
                 x + static_cast<std::ptrdiff_t>(s + 1) * shape.inputs);
    for (int l = 1; l <= shape.layers(); ++l) {
      const float* w = params + shape.weight_offset(l);
      const float* b = params + shape.bias_offset(l);
      const int fan_in = shape.units(l - 1);
      above.assign(shape.units(l), 0.0);
      for (int i = 0; i < shape.units(l); ++i) {
        double z = b[i];
        for (int j = 0; j < fan_in; ++j)
          z += static_cast<double>(w[static_cast<std::ptrdiff_t>(i) * fan_in + j]) * below[j];
        above[i] = l == shape.layers() ? z : activation_in_double(activation, z);
      }
      below.swap(above);
    }
    const double z = below[0];  // the output logit
    e.loss += sample_loss_of(loss, z, target[s]);
    e.correct += (z > 0.0) == (target[s] > 0.5) ? 1 : 0;
    e.positive += z > 0.0 ? 1 : 0;
  }
  e.loss /= samples;
  return e;
}

}  // namespace symbreak
