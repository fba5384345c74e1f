// What the float training tests (test_fused_thread, test_fused_warp, test_layered_train) share: a
// training case (task, shape, hyper-parameters, initial parameters as floats), the same training
// in double precision over reference_loss_and_gradient (host/cpu_reference) with the momentum
// update of docs/method.md §4, and the comparisons of float results with it.
//
// Tolerance. Float has unit roundoff u = 2^-24 ≈ 6e-8. One update computes sums of at most ~40
// products per pre-activation and delta, so its relative rounding error is a few times 40u ≈ 2e-6
// of the gradient step; errors of earlier epochs are carried forward by the training map, whose
// Lipschitz factor stays near 1 for runs that neither diverge nor cross a ReLU kink. After E = 20
// epochs (40 in the epoch_solved tests) the parameters may therefore be off by roughly
// E · 2e-6 = 4e-5 (8e-5) of their scale in the worst case; observed: at most 2e-6 (layered,
// depth 3, width 33), usually below 1e-6.
// kParameterTolerance = 1e-4 on the normwise relative error max_k |p_k − q_k| / max(1, max_k |q_k|)
// leaves that margin and still catches real errors: a learning rate off by 0.1% already exceeds it
// after 20 epochs (tried), a wrong term by orders of magnitude.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "host/config/activation_loss_names.hpp"
#include "host/config/config.hpp"
#include "host/config/task.hpp"
#include "host/engines/cpu_reference.hpp"
#include "kernels/breaker_values.cuh"
#include "kernels/optimizer_step.cuh"
#include "kernels/train_job.cuh"

namespace symbreak {

inline constexpr Activation kEveryActivation[] = {Activation::sigmoid, Activation::tanh,
                                                  Activation::relu, Activation::leaky_relu,
                                                  Activation::linear};
inline constexpr Loss kEveryLoss[] = {Loss::bce, Loss::mse};

inline constexpr double kParameterTolerance = 1e-4;
// The mean loss is a float sum of per-sample losses of parameters off by kParameterTolerance.
inline constexpr double kLossTolerance = 1e-4;
// A hidden pre-activation closer than this to a ReLU kink could fall on the other side of it in
// float (pre-activations are off by ~1e-6 · their scale): such starts are redrawn.
inline constexpr double kKinkMargin = 2e-5;
// Likewise a logit this close to 0 could classify differently in float.
inline constexpr double kLogitMargin = 1e-4;

struct TrainingCase {
  Task task;
  NetworkShape shape;
  int batch = 0;  // resolved: 1 ... n
  Activation activation = Activation::tanh;
  Loss loss = Loss::bce;
  float lr = 0.5f;
  float momentum = 0.0f;
  int epochs = 20;
  // docs/method.md §4.1; train_in_double below knows plain SGD only (tests/kernels/test_breakers
  // has its own double trainer for these).
  Optimizer optimizer = Optimizer::sgd;
  double weight_decay = 0.0, dropout = 0.0, grad_noise = 0.0;
  std::uint32_t seed = 0;      // keys dropout masks and noise with each network's replicate
  std::vector<float> initial;  // layout of network_shape.cuh
  std::vector<float> x, y;     // the task as floats

  // x and y point into this case: keep it alive and in place while the job is used.
  TrainJob job() const {
    TrainJob j;
    j.shape = shape;
    j.samples = task.samples;
    j.batch = batch;
    j.activation = activation;
    j.loss = loss;
    j.lr = lr;
    j.momentum = momentum;
    set_breakers(j, optimizer, weight_decay, dropout, grad_noise, seed);
    j.x = x.data();
    j.y = y.data();
    return j;
  }

  std::string describe() const {
    return task.name + " depth " + std::to_string(shape.depth) + " width " +
           std::to_string(shape.width) + " " + std::string(activation_name(activation)) + " " +
           std::string(loss_name(loss)) + " batch " + std::to_string(batch) + " lr " +
           std::to_string(lr) + " momentum " + std::to_string(momentum) + " epochs " +
           std::to_string(epochs);
  }
};

// Weights U(±1.5/√fan_in), biases U(±0.5): large enough to learn, small enough not to saturate.
inline std::vector<float> random_parameters(const NetworkShape& s, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> p(s.parameter_count());
  for (int l = 1; l <= s.layers(); ++l) {
    const float a = 1.5f / std::sqrt(static_cast<float>(s.units(l - 1)));
    std::uniform_real_distribution<float> w(-a, a), b(-0.5f, 0.5f);
    for (std::int64_t k = 0; k < s.weight_count(l); ++k)
      p[s.weight_offset(l) + k] = w(rng);
    for (int i = 0; i < s.units(l); ++i)
      p[s.bias_offset(l) + i] = b(rng);
  }
  return p;
}

struct CaseSpec {
  std::string task = "xor";
  int depth = 1;
  int width = 4;
  Activation activation = Activation::tanh;
  Loss loss = Loss::bce;
  int batch = 0;  // 0 = full batch
  bool momentum = false;
  int epochs = 20;
};

// lr 0.5 without momentum; with μ = 0.9 the effective step is 10 lr, so lr 0.05. The curvature of
// the loss grows with the width (the output unit sums H terms), so beyond width 8 the rate shrinks
// as 8/H: wide linear networks diverge at lr 0.5.
inline TrainingCase make_case(const CaseSpec& spec, std::uint32_t seed) {
  TrainingCase c;
  c.task = make_task(spec.task);
  c.shape = NetworkShape{c.task.inputs, spec.width, spec.depth};
  c.batch = effective_batch(spec.batch, c.task.samples);
  c.activation = spec.activation;
  c.loss = spec.loss;
  c.momentum = spec.momentum ? 0.9f : 0.0f;
  c.lr = (spec.momentum ? 0.05f : 0.5f) * std::min(1.0f, 8.0f / static_cast<float>(spec.width));
  c.epochs = spec.epochs;
  c.initial = random_parameters(c.shape, seed);
  c.x.assign(c.task.x.begin(), c.task.x.end());
  c.y.assign(c.task.target.begin(), c.task.target.end());
  return c;
}

// make_case trained with `rule`: momentum as make_case sets it, Adam and RMSprop at lr 0.02 (they
// move every parameter by about lr per update, whatever the gradient's scale).
inline TrainingCase make_rule_case(CaseSpec spec, UpdateRule rule, std::uint32_t seed) {
  spec.momentum = rule == UpdateRule::momentum;
  TrainingCase c = make_case(spec, seed);
  if (rule == UpdateRule::adam || rule == UpdateRule::rmsprop) {
    c.optimizer = rule == UpdateRule::adam ? Optimizer::adam : Optimizer::rmsprop;
    c.lr = 0.02f;
  }
  return c;
}

// The same training in double precision, from the same (float) initial parameters.
struct DoubleRun {
  std::vector<double> params, velocity;
  int epoch_solved = -1;
  int correct = 0;                                                 // after the last epoch
  double loss = 0.0;                                               // after the last epoch
  double hidden_margin = std::numeric_limits<double>::infinity();  // min |z| of hidden units
  double logit_margin = std::numeric_limits<double>::infinity();   // min |logit| at evaluations
  bool near_margin = false;  // clear_case found no start that stays clear of the margins
};

// The logit of sample s (docs/method.md §2), keeping the smallest |z| of a hidden unit in `margin`.
inline double double_logit(const TrainingCase& c, const std::vector<double>& p, int s,
                           double& margin) {
  const NetworkShape& shape = c.shape;
  std::vector<double> a(c.task.x.begin() + static_cast<std::ptrdiff_t>(s) * shape.inputs,
                        c.task.x.begin() + static_cast<std::ptrdiff_t>(s + 1) * shape.inputs);
  for (int l = 1; l <= shape.layers(); ++l) {
    std::vector<double> next(shape.units(l));
    for (int i = 0; i < shape.units(l); ++i) {
      double z = p[shape.bias_offset(l) + i];
      for (int j = 0; j < shape.units(l - 1); ++j)
        z += p[shape.weight_offset(l) + static_cast<std::int64_t>(i) * shape.units(l - 1) + j] *
             a[j];
      if (l == shape.layers()) return z;
      margin = std::min(margin, std::fabs(z));
      switch (c.activation) {
        case Activation::sigmoid:
          next[i] = 1.0 / (1.0 + std::exp(-z));
          break;
        case Activation::tanh:
          next[i] = std::tanh(z);
          break;
        case Activation::relu:
          next[i] = z > 0.0 ? z : 0.0;
          break;
        case Activation::leaky_relu:
          next[i] = z > 0.0 ? z : 0.01 * z;
          break;
        case Activation::linear:
          next[i] = z;
          break;
      }
    }
    a = next;
  }
  return 0.0;
}

inline bool has_kink(Activation f) {
  return f == Activation::relu || f == Activation::leaky_relu;
}

// Margins below which train_in_double gives up early (0: never).
struct MarginLimits {
  double hidden = 0.0;
  double logit = 0.0;
};

// Trains epochs [0, epochs) from the case's initial parameters with zero velocity
// (docs/method.md §4) and evaluates after each. With limits, stops as soon as a margin falls below
// its limit; then `stopped` is set and only hidden_margin, logit_margin and epochs_done mean
// anything.
struct LimitedRun {
  DoubleRun run;
  bool stopped = false;
  int epochs_done = 0;
};

inline LimitedRun train_in_double(const TrainingCase& c, int epochs, MarginLimits limits) {
  LimitedRun out;
  DoubleRun& r = out.run;
  r.params.assign(c.initial.begin(), c.initial.end());
  r.velocity.assign(r.params.size(), 0.0);
  const int n = c.task.samples;
  const auto crossed = [&] {
    out.stopped = r.hidden_margin < limits.hidden || r.logit_margin < limits.logit;
    return out.stopped;
  };
  for (int epoch = 0;; ++epoch) {
    out.epochs_done = epoch;
    int correct = 0;
    for (int s = 0; s < n; ++s) {
      const double z = double_logit(c, r.params, s, r.hidden_margin);
      r.logit_margin = std::min(r.logit_margin, std::fabs(z));
      correct += (z > 0.0) == (c.task.target[s] > 0.5) ? 1 : 0;
    }
    if (crossed()) return out;
    if (correct == n && r.epoch_solved < 0) r.epoch_solved = epoch;
    if (epoch == epochs) {
      r.correct = correct;
      r.loss =
          reference_loss_and_gradient(c.task, c.shape, c.activation, c.loss, r.params, 0, n).loss;
      return out;
    }
    for (int first = 0; first < n; first += c.batch) {
      const int count = std::min(c.batch, n - first);
      if (has_kink(c.activation)) {
        for (int s = first; s < first + count; ++s)
          double_logit(c, r.params, s, r.hidden_margin);  // for the margin only
        if (crossed()) return out;
      }
      const std::vector<double> g =
          reference_loss_and_gradient(c.task, c.shape, c.activation, c.loss, r.params, first, count)
              .gradient;
      for (std::size_t k = 0; k < r.params.size(); ++k) {
        r.velocity[k] = c.momentum * r.velocity[k] + g[k];
        r.params[k] -= static_cast<double>(c.lr) * r.velocity[k];
      }
    }
  }
}

inline DoubleRun train_in_double(const TrainingCase& c, int epochs) {
  return train_in_double(c, epochs, MarginLimits{}).run;
}

inline bool finite_run(const DoubleRun& r) {
  return std::isfinite(r.loss) &&
         std::all_of(r.params.begin(), r.params.end(), [](double p) { return std::isfinite(p); });
}

// A finite double run that keeps clear of ReLU kinks and, when `clear_logits`, of logit 0, so that
// float must follow it. Draws starts from seed, seed + 1000, ... With thousands of pre-activations
// some always come close to a kink; after `attempts` draws the start that stayed clear longest is
// taken, and the comparison's tolerance decides (a crossing changes one sample's contribution to
// one neuron's gradient, and float must still land on the same side for it to matter).
inline TrainingCase clear_case(const CaseSpec& spec, std::uint32_t seed, DoubleRun& run,
                               bool clear_logits = true, int attempts = 10) {
  const MarginLimits limits{has_kink(spec.activation) ? kKinkMargin : 0.0,
                            clear_logits ? kLogitMargin : 0.0};
  std::uint32_t best_seed = seed;
  int best_epochs = -1;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const std::uint32_t s = seed + 1000u * static_cast<std::uint32_t>(attempt);
    TrainingCase c = make_case(spec, s);
    LimitedRun r = train_in_double(c, c.epochs, limits);
    if (!r.stopped && finite_run(r.run)) {
      run = std::move(r.run);
      return c;
    }
    if (!r.stopped) continue;  // diverged
    if (r.epochs_done > best_epochs) {
      best_epochs = r.epochs_done;
      best_seed = s;
    }
  }
  TrainingCase c = make_case(spec, best_seed);
  run = train_in_double(c, c.epochs);
  run.near_margin = true;
  if (!finite_run(run)) {
    ADD_FAILURE() << "no start that stays finite in double for " << spec.task << " width "
                  << spec.width;
  }
  return c;
}

// max_k |f_k - d_k| / max(1, max_k |d_k|): the normwise relative error of float against double.
inline double normwise_error(std::span<const float> f, std::span<const double> d) {
  double diff = 0.0, scale = 1.0;
  for (std::size_t k = 0; k < d.size(); ++k) {
    diff = std::max(diff, std::fabs(static_cast<double>(f[k]) - d[k]));
    scale = std::max(scale, std::fabs(d[k]));
  }
  return std::isfinite(diff) ? diff / scale : std::numeric_limits<double>::infinity();
}

// What a float trainer produced for one case.
struct FloatRun {
  std::vector<float> params, velocity;
  TrainState state;
};

// Float against double: parameters and velocity within kParameterTolerance; the loss within
// kLossTolerance; with `check_state`, correct and epoch_solved exactly. Returns the parameters'
// normwise error, for reporting the worst case.
inline double expect_follows_double(const TrainingCase& c, const FloatRun& f, const DoubleRun& d,
                                    bool check_state = true) {
  SCOPED_TRACE(c.describe());
  const double error = normwise_error(f.params, d.params);
  EXPECT_LE(error, kParameterTolerance) << "parameters";
  if (c.momentum != 0.0f) {
    EXPECT_LE(normwise_error(f.velocity, d.velocity), kParameterTolerance) << "velocity";
  }
  EXPECT_NEAR(f.state.loss, d.loss, kLossTolerance * (1.0 + d.loss)) << "final loss";
  if (check_state) {
    EXPECT_EQ(f.state.correct, d.correct);
    EXPECT_EQ(f.state.epoch_solved, d.epoch_solved);
  }
  return error;
}

// For RecordProperty: 3 significant digits in scientific notation.
inline std::string scientific(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}

// The cases of one test and their worst agreement, reported with RecordProperty.
struct AgreementTally {
  int cases = 0;
  int near_margin = 0;  // cases whose double run came close to a kink or logit 0
  double worst = 0.0;   // largest normwise error of the parameters

  void add(double error, const DoubleRun& reference) {
    ++cases;
    near_margin += reference.near_margin ? 1 : 0;
    worst = std::max(worst, error);
  }
  void record() const {
    ::testing::Test::RecordProperty("cases", cases);
    ::testing::Test::RecordProperty("cases_near_a_margin", near_margin);
    ::testing::Test::RecordProperty("worst_normwise_error", scientific(worst));
  }
};

inline bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

inline bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Symmetric start: every hidden neuron identical (docs/method.md §5.1 `symmetric:`): one random
// incoming row copied to every layer-1 row, one value for every hidden-to-hidden weight, one for
// every output weight, and one bias per layer.
inline std::vector<float> symmetric_parameters(const NetworkShape& s, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> p(s.parameter_count());
  std::vector<float> row(s.inputs);
  for (float& v : row)
    v = u(rng);
  for (int i = 0; i < s.width; ++i)
    for (int j = 0; j < s.inputs; ++j)
      p[s.weight_offset(1) + static_cast<std::int64_t>(i) * s.inputs + j] = row[j];
  for (int l = 2; l <= s.layers(); ++l) {
    const float w = 0.5f * u(rng);
    for (std::int64_t k = 0; k < s.weight_count(l); ++k)
      p[s.weight_offset(l) + k] = w;
  }
  for (int l = 1; l <= s.layers(); ++l) {
    const float b = 0.3f * u(rng);
    for (int i = 0; i < s.units(l); ++i)
      p[s.bias_offset(l) + i] = b;
  }
  return p;
}

// True when every hidden neuron of every layer has bit for bit the incoming row, bias and
// outgoing column of neuron 0.
inline ::testing::AssertionResult hidden_neurons_bitwise_identical(const NetworkShape& s,
                                                                   std::span<const float> p) {
  for (int l = 1; l <= s.depth; ++l) {
    const int fan_in = s.units(l - 1), fan_out = s.units(l + 1);
    for (int i = 1; i < s.width; ++i) {
      for (int j = 0; j < fan_in; ++j) {
        const std::int64_t base = s.weight_offset(l);
        if (!same_bits(p[base + static_cast<std::int64_t>(i) * fan_in + j], p[base + j])) {
          return ::testing::AssertionFailure()
                 << "layer " << l << " neuron " << i << " incoming weight " << j << " differs";
        }
      }
      if (!same_bits(p[s.bias_offset(l) + i], p[s.bias_offset(l)])) {
        return ::testing::AssertionFailure() << "layer " << l << " neuron " << i << " bias differs";
      }
      for (int k = 0; k < fan_out; ++k) {
        const std::int64_t base = s.weight_offset(l + 1) + static_cast<std::int64_t>(k) * s.width;
        if (!same_bits(p[base + i], p[base])) {
          return ::testing::AssertionFailure()
                 << "layer " << l << " neuron " << i << " outgoing weight " << k << " differs";
        }
      }
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace symbreak
