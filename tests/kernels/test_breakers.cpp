// Tests the options of docs/method.md §4.1 in the float training code (the layered element
// operations, optimizer_step.cuh, breaker_values.cuh) against their definitions, written out here
// once more in double precision: Adam, RMSprop and SGD with PyTorch's formulas, coupled weight
// decay, inverted dropout with the Philox masks of breaker_draws.cuh in the forward and backward
// passes of training only, gradient noise σ·N(0, 1) from its own Philox stream. Float must follow
// the double trajectory within the tolerance of float_training_cases.hpp, for several networks at
// once (each keyed by its own replicate), at depth 1 to 3, full batch and minibatches. The fused
// kernels (per thread and per warp), which train Adam, RMSprop and weight decay with the
// optimiser's state in registers, compute exactly the layered kernels' bits, through segments.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "float_training_cases.hpp"
#include "host/engines/cpu_engine.hpp"
#include "host/engines/double_activation.hpp"
#include "kernels/breaker_draws.cuh"
#include "kernels/kernel_choice.cuh"
#include "kernels/optimizer_step.cuh"

namespace symbreak {
namespace {

double derivative_double(Activation f, double z, double a) {
  switch (f) {
    case Activation::sigmoid:
      return a * (1.0 - a);
    case Activation::tanh:
      return 1.0 - a * a;
    case Activation::relu:
      return z > 0.0 ? 1.0 : 0.0;
    case Activation::leaky_relu:
      return z > 0.0 ? 1.0 : 0.01;
    default:
      return 1.0;
  }
}

struct DoubleNetwork {
  std::vector<double> params, s1, s2;
  double loss = 0.0;  // after the last epoch, without dropout
};

// One sample's forward pass; with `step` >= 0 the hidden units are dropped as training drops them.
// Returns the logit; z, h (activation) and m (mask multiplier) per layer for the backward pass.
double forward_double(const TrainingCase& c, std::uint32_t replicate, const std::vector<double>& p,
                      int sample, long long step, std::vector<std::vector<double>>& z,
                      std::vector<std::vector<double>>& h, std::vector<std::vector<double>>& m) {
  const NetworkShape& s = c.shape;
  z.assign(s.layers() + 1, {});
  h.assign(s.layers() + 1, {});
  m.assign(s.layers() + 1, {});
  std::vector<double> input(c.task.x.begin() + static_cast<std::ptrdiff_t>(sample) * s.inputs,
                            c.task.x.begin() + static_cast<std::ptrdiff_t>(sample + 1) * s.inputs);
  h[0] = input;
  m[0].assign(s.inputs, 1.0);
  for (int l = 1; l <= s.layers(); ++l) {
    const int fan_in = s.units(l - 1);
    for (int i = 0; i < s.units(l); ++i) {
      double sum = p[s.bias_offset(l) + i];
      for (int j = 0; j < fan_in; ++j)
        sum += p[s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j] * h[l - 1][j] *
               m[l - 1][j];
      z[l].push_back(sum);
      if (l == s.layers()) return sum;
      h[l].push_back(activation_in_double(c.activation, sum));
      double keep = 1.0;
      if (step >= 0 && c.dropout > 0.0) {
        const BreakerSite site{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(sample),
                               static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(i)};
        keep = dropout_keeps(DrawKey{c.seed, replicate}, site, dropout_threshold(c.dropout))
                   ? 1.0 / (1.0 - c.dropout)
                   : 0.0;
      }
      m[l].push_back(keep);
    }
  }
  return 0.0;
}

double sample_loss_double(Loss loss, double z, double y) {
  if (loss == Loss::bce) return std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z))) - y * z;
  const double e = 1.0 / (1.0 + std::exp(-z)) - y;
  return 0.5 * e * e;
}

double output_delta_double(Loss loss, double z, double y) {
  const double p = 1.0 / (1.0 + std::exp(-z));
  return loss == Loss::bce ? p - y : (p - y) * p * (1.0 - p);
}

// The definitions of docs/method.md §3, §4 and §4.1 in double, from the case's initial parameters.
DoubleNetwork train_double(const TrainingCase& c, std::uint32_t replicate, int epochs) {
  const NetworkShape& s = c.shape;
  DoubleNetwork r;
  r.params.assign(c.initial.begin(), c.initial.end());
  r.s1.assign(r.params.size(), 0.0);
  r.s2.assign(r.params.size(), 0.0);
  const int n = c.task.samples, updates = (n + c.batch - 1) / c.batch;
  std::vector<std::vector<double>> z, h, m;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    for (int first = 0; first < n; first += c.batch) {
      const int count = std::min(c.batch, n - first);
      const long long step = static_cast<long long>(epoch) * updates + first / c.batch;
      std::vector<double> g(r.params.size(), 0.0);
      for (int sample = first; sample < first + count; ++sample) {
        const double logit = forward_double(c, replicate, r.params, sample, step, z, h, m);
        std::vector<double> delta = {output_delta_double(c.loss, logit, c.task.target[sample])};
        for (int l = s.layers(); l >= 1; --l) {
          const int fan_in = s.units(l - 1);
          for (int i = 0; i < s.units(l); ++i) {
            for (int j = 0; j < fan_in; ++j)
              g[s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j] +=
                  delta[i] * h[l - 1][j] * m[l - 1][j];
            g[s.bias_offset(l) + i] += delta[i];
          }
          if (l == 1) break;
          std::vector<double> below(fan_in, 0.0);
          for (int j = 0; j < fan_in; ++j) {
            double sum = 0.0;
            for (int i = 0; i < s.units(l); ++i)
              sum += r.params[s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j] *
                     delta[i];
            below[j] =
                sum * m[l - 1][j] * derivative_double(c.activation, z[l - 1][j], h[l - 1][j]);
          }
          delta = below;
        }
      }
      const double t = static_cast<double>(step + 1);
      for (int l = 1; l <= s.layers(); ++l) {
        const int fan_in = s.units(l - 1);
        for (int i = 0; i < s.units(l); ++i) {
          for (int j = 0; j <= fan_in; ++j) {
            const bool bias = j == fan_in;
            const std::int64_t k =
                bias ? s.bias_offset(l) + i
                     : s.weight_offset(l) + static_cast<std::int64_t>(i) * fan_in + j;
            double grad = g[k] / count;
            if (c.grad_noise != 0.0) {
              const BreakerSite site{static_cast<std::uint32_t>(step), 0u,
                                     static_cast<std::uint32_t>(l),
                                     static_cast<std::uint32_t>(bias ? i : i * fan_in + j)};
              grad += c.grad_noise *
                      gradient_noise(DrawKey{c.seed, replicate},
                                     bias ? BreakerStream::bias_noise : BreakerStream::weight_noise,
                                     site);
            }
            grad += c.weight_decay * r.params[k];
            const double lr = c.lr;
            switch (c.optimizer) {
              case Optimizer::sgd:
                r.s1[k] = c.momentum * r.s1[k] + grad;
                r.params[k] -= lr * (c.momentum != 0.0f ? r.s1[k] : grad);
                break;
              case Optimizer::adam: {
                r.s1[k] = kAdamBeta1 * r.s1[k] + (1.0 - kAdamBeta1) * grad;
                r.s2[k] = kAdamBeta2 * r.s2[k] + (1.0 - kAdamBeta2) * grad * grad;
                const double denominator =
                    std::sqrt(r.s2[k]) / std::sqrt(1.0 - std::pow(kAdamBeta2, t)) + kAdamEps;
                r.params[k] -= lr / (1.0 - std::pow(kAdamBeta1, t)) * r.s1[k] / denominator;
                break;
              }
              case Optimizer::rmsprop:
                r.s1[k] = kRmspropAlpha * r.s1[k] + (1.0 - kRmspropAlpha) * grad * grad;
                r.params[k] -= lr * grad / (std::sqrt(r.s1[k]) + kRmspropEps);
                break;
            }
          }
        }
      }
    }
  }
  for (int sample = 0; sample < n; ++sample) {
    r.loss += sample_loss_double(
        c.loss, forward_double(c, replicate, r.params, sample, -1, z, h, m), c.task.target[sample]);
  }
  r.loss /= n;
  return r;
}

struct BreakerSpec {
  std::string name;
  Optimizer optimizer = Optimizer::sgd;
  bool momentum = false;
  double weight_decay = 0.0, dropout = 0.0, grad_noise = 0.0;
};

const std::vector<BreakerSpec> kBreakerSpecs = {
    {"adam", Optimizer::adam},
    {"rmsprop", Optimizer::rmsprop},
    {"sgd + weight decay", Optimizer::sgd, false, 0.01},
    {"momentum + weight decay", Optimizer::sgd, true, 0.05},
    {"adam + weight decay", Optimizer::adam, false, 0.01},
    {"dropout", Optimizer::sgd, false, 0.0, 0.3},
    {"gradient noise", Optimizer::sgd, false, 0.0, 0.0, 0.05},
    {"everything with rmsprop", Optimizer::rmsprop, false, 0.02, 0.25, 0.02},
    {"everything with adam", Optimizer::adam, false, 0.02, 0.4, 0.01},
};

TrainingCase breaker_case(const CaseSpec& spec, const BreakerSpec& b, std::uint32_t seed) {
  CaseSpec plain = spec;
  plain.momentum = b.momentum;
  TrainingCase c = make_case(plain, seed);
  c.optimizer = b.optimizer;
  c.weight_decay = b.weight_decay;
  c.dropout = b.dropout;
  c.grad_noise = b.grad_noise;
  c.seed = 424242u;
  // Adam and RMSprop move every parameter by about lr per update, whatever the gradient's scale.
  if (b.optimizer != Optimizer::sgd) c.lr = 0.02f;
  return c;
}

// Adam and RMSprop divide the gradient by its own running scale, so a small gradient's relative
// rounding error (float sums of many small terms, as with MSE through three tanh layers) becomes an
// error of the step itself rather than of a small step: measured at most 1.6e-4 after 20 epochs
// (RMSprop, MSE, depth 3), against at most 2e-6 for SGD. A missing bias correction or a wrong
// constant is off by far more.
constexpr double kAdaptiveTolerance = 1e-3;

// One network trained by the kernel `choice` names, through `segments`: parameters, the optimiser's
// two state arrays and TrainState.
struct FloatNetwork {
  std::vector<float> params, s1, s2;
  TrainState state;
};

FloatNetwork train_float(const TrainingCase& c, KernelChoice choice,
                         const std::vector<EpochSegment>& segments, std::uint32_t replicate) {
  FloatNetwork r{c.initial, std::vector<float>(c.initial.size(), 0.0f),
                 std::vector<float>(c.initial.size(), 0.0f), TrainState{}};
  const TrainJob job = c.job();
  for (const EpochSegment segment : segments) {
    train_network_on_host(job, choice, segment, r.params.data(), r.s1.data(), r.state, r.s2.data(),
                          replicate);
  }
  return r;
}

void expect_same_bits(const FloatNetwork& a, const FloatNetwork& b) {
  EXPECT_TRUE(same_bits(a.params, b.params)) << "parameters";
  EXPECT_TRUE(same_bits(a.s1, b.s1)) << "first state";
  EXPECT_TRUE(same_bits(a.s2, b.s2)) << "second moment";
  EXPECT_EQ(a.state.epoch_solved, b.state.epoch_solved);
  EXPECT_EQ(a.state.correct, b.state.correct);
  EXPECT_TRUE(same_bits(a.state.loss, b.state.loss)) << "final loss";
}

// Float against double, network by network; replicates 0 ... 2 draw different masks and noise.
void check_follows_definitions(const CaseSpec& spec) {
  for (const BreakerSpec& b : kBreakerSpecs) {
    for (std::uint32_t replicate = 0; replicate < 3; ++replicate) {
      const TrainingCase c = breaker_case(spec, b, 11u + replicate);
      SCOPED_TRACE(c.describe() + " " + b.name + " replicate " + std::to_string(replicate));
      const KernelChoice choice = choose_kernel(c.job());
      // Depth 1 and 2 train fused unless the job draws masks or noise.
      const bool draws = b.dropout > 0.0 || b.grad_noise > 0.0;
      EXPECT_EQ(choice.kind == KernelKind::layered, draws || spec.depth > 2);
      const FloatNetwork f = train_float(c, choice, {EpochSegment{0, c.epochs}}, replicate);
      if (choice.kind == KernelKind::fused_thread) {
        expect_same_bits(f, train_float(c, KernelChoice{KernelKind::layered, -1},
                                        {EpochSegment{0, c.epochs}}, replicate));
      }
      const DoubleNetwork d = train_double(c, replicate, c.epochs);
      const double tolerance =
          b.optimizer == Optimizer::sgd ? kParameterTolerance : kAdaptiveTolerance;
      EXPECT_LE(normwise_error(f.params, d.params), tolerance) << "parameters";
      if (b.optimizer != Optimizer::sgd || b.momentum) {
        EXPECT_LE(normwise_error(f.s1, d.s1), tolerance) << "first state";
      }
      if (b.optimizer == Optimizer::adam) {
        EXPECT_LE(normwise_error(f.s2, d.s2), tolerance) << "second moment";
      }
      EXPECT_NEAR(f.state.loss, d.loss, kLossTolerance * (1.0 + d.loss)) << "final loss";
      // The options changed the trajectory: plain SGD from the same start ends elsewhere.
      TrainingCase plain = c;
      plain.optimizer = Optimizer::sgd;
      plain.weight_decay = plain.dropout = plain.grad_noise = 0.0;
      plain.momentum = 0.0f;
      plain.lr = 0.5f;
      EXPECT_GT(normwise_error(f.params, train_double(plain, replicate, c.epochs).params), 1e-3);
    }
  }
}

TEST(Breakers, LayeredTrainingFollowsTheDefinitionsFullBatch) {
  for (const Activation f : {Activation::tanh, Activation::sigmoid, Activation::relu}) {
    CaseSpec spec;
    spec.task = "xor";
    spec.depth = 1;
    spec.width = 4;
    spec.activation = f;
    check_follows_definitions(spec);
  }
}

TEST(Breakers, LayeredTrainingFollowsTheDefinitionsDeepMinibatches) {
  for (const Loss loss : {Loss::bce, Loss::mse}) {
    CaseSpec spec;
    spec.task = "parity:3";
    spec.depth = 3;
    spec.width = 5;
    spec.batch = 3;
    spec.loss = loss;
    spec.activation = Activation::tanh;
    check_follows_definitions(spec);
  }
}

// The case a kernel test trains: `rule` on `task` at this depth and width, weight decay `decay`.
TrainingCase rule_case(const char* task, int depth, int width, int batch, UpdateRule rule,
                       double decay) {
  CaseSpec spec;
  spec.task = task;
  spec.depth = depth;
  spec.width = width;
  spec.batch = batch;
  spec.epochs = 12;
  TrainingCase c = make_rule_case(spec, rule, 31u + static_cast<std::uint32_t>(batch));
  c.weight_decay = decay;
  return c;
}

std::string rule_trace(const TrainingCase& c, UpdateRule rule) {
  return c.describe() + " rule " + std::to_string(static_cast<int>(rule)) + " weight decay " +
         std::to_string(c.weight_decay);
}

// Every per-thread bucket, each with its own update rule, with and without weight decay, full
// batch and minibatches, in segments (Adam's step counter t runs on across them), computes the
// layered kernels' bits: parameters, optimiser state and TrainState. Both sum a neuron's terms in
// the same order and share optimizer_step and update_scalars.
TEST(Breakers, PerThreadKernelComputesTheLayeredKernelsBits) {
  int cases = 0;
  for (int b = 0; b < static_cast<int>(kThreadBuckets.size()); ++b) {
    const ThreadBucket& k = kThreadBuckets[b];
    for (const int width : {k.max_width, k.max_width / 2 + 1}) {
      for (const double decay : {0.0, 0.01}) {
        for (const int batch : {0, 3}) {
          const TrainingCase c = rule_case(k.max_inputs >= 4 ? "parity:4" : "xor", k.depth, width,
                                           batch, k.rule, decay);
          SCOPED_TRACE(rule_trace(c, k.rule));
          const KernelChoice choice = choose_kernel(c.job());
          ASSERT_EQ(choice.kind, KernelKind::fused_thread);
          ASSERT_EQ(choice.bucket, b);
          const FloatNetwork fused = train_float(c, choice, {{0, 5}, {5, 5}, {5, 12}}, 0u);
          const FloatNetwork layered =
              train_float(c, KernelChoice{KernelKind::layered, -1}, {{0, 12}}, 0u);
          expect_same_bits(fused, layered);
          EXPECT_FALSE(same_bits(fused.params, c.initial)) << "training must move the parameters";
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, static_cast<int>(kThreadBuckets.size()) * 8);
}

// The per-warp kernel sums across lanes in a butterfly tree, so its bits differ from the layered
// kernels' (as with plain SGD); with every rule it takes, weight decay or not, it follows the
// definitions in double, and its segments compose bit for bit (Adam's t runs on across them).
TEST(Breakers, PerWarpKernelFollowsTheDefinitionsForEveryRule) {
  int cases = 0;
  for (const UpdateRule rule :
       {UpdateRule::sgd, UpdateRule::momentum, UpdateRule::adam, UpdateRule::rmsprop}) {
    for (const int depth : {1, 2}) {
      if (!warp_kernel_trains(depth, rule)) continue;
      for (const double decay : {0.0, 0.01}) {
        for (const int batch : {0, 3}) {
          const TrainingCase c = rule_case("parity:3", depth, 20, batch, rule, decay);
          SCOPED_TRACE(rule_trace(c, rule));
          const KernelChoice choice = choose_kernel(c.job());
          ASSERT_EQ(choice.kind, KernelKind::fused_warp);
          const FloatNetwork whole = train_float(c, choice, {{0, 12}}, 0u);
          expect_same_bits(whole, train_float(c, choice, {{0, 5}, {5, 5}, {5, 12}}, 0u));
          const DoubleNetwork d = train_double(c, 0u, c.epochs);
          const bool adaptive = rule == UpdateRule::adam || rule == UpdateRule::rmsprop;
          const double tolerance = adaptive ? kAdaptiveTolerance : kParameterTolerance;
          EXPECT_LE(normwise_error(whole.params, d.params), tolerance) << "parameters";
          if (rule != UpdateRule::sgd) {
            EXPECT_LE(normwise_error(whole.s1, d.s1), tolerance) << "first state";
          }
          if (rule == UpdateRule::adam) {
            EXPECT_LE(normwise_error(whole.s2, d.s2), tolerance) << "second moment";
          }
          EXPECT_NEAR(whole.state.loss, d.loss, kLossTolerance * (1.0 + d.loss)) << "final loss";
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, 7 * 4);
}

// Two neurons that start identical stay identical bit for bit under the per-parameter options
// (Adam's and RMSprop's square roots and divisions are the same operations for every neuron),
// and are separated by dropout and by gradient noise.
TEST(Breakers, SymmetricNeuronsStayBitwiseIdenticalUnlessDrawsSeparateThem) {
  for (const BreakerSpec& b : kBreakerSpecs) {
    CaseSpec spec;
    spec.task = "parity:3";
    spec.depth = 2;
    spec.width = 6;
    TrainingCase c = breaker_case(spec, b, 5u);
    const NetworkShape& s = c.shape;
    for (int l = 1; l <= s.layers(); ++l) {  // every hidden neuron like neuron 0
      const int fan_in = s.units(l - 1);
      for (int r = 0; r < s.units(l); ++r) {
        for (int j = 0; j < fan_in; ++j)
          c.initial[s.weight_offset(l) + r * fan_in + j] =
              c.initial[s.weight_offset(l) + (l > 1 ? 0 : j)];
        c.initial[s.bias_offset(l) + r] = c.initial[s.bias_offset(l)];
      }
    }
    SCOPED_TRACE(b.name);
    const TrainJob job = c.job();
    std::vector<float> params(c.initial), s1(params.size(), 0.0f), s2(params.size(), 0.0f);
    TrainState state;
    train_network_on_host(job, choose_kernel(job), EpochSegment{0, 30}, params.data(), s1.data(),
                          state, s2.data(), 3u);
    bool identical = true;
    for (int r = 1; r < s.width; ++r) {
      for (int j = 0; j < s.inputs; ++j) {
        identical = identical && float_bits(params[s.weight_offset(1) + r * s.inputs + j]) ==
                                     float_bits(params[s.weight_offset(1) + j]);
      }
    }
    EXPECT_EQ(identical, b.dropout == 0.0 && b.grad_noise == 0.0);
  }
}

// The float constants of optimizer_step.cuh are those of optimizer.cuh rounded once.
TEST(Breakers, OptimizerConstantsAreTheDefaultsRoundedToFloat) {
  EXPECT_EQ(kAdamLnBeta1F, static_cast<float>(std::log(kAdamBeta1)));
  EXPECT_EQ(kAdamLnBeta2F, static_cast<float>(std::log(kAdamBeta2)));
  EXPECT_EQ(kAdamEpsF, 1e-8f);
  EXPECT_EQ(kRmspropOneMinusAlphaF, 0.01f);
}

}  // namespace
}  // namespace symbreak
