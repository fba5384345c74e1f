// Tests host/cpu_reference: the analytic gradient of reference_loss_and_gradient against central
// finite differences for every activation x loss at depth 1 and 2, the minibatch gradients against
// the full batch, and the training loop's updates (docs/method.md §3, §4) against a loop written
// here.
#include "host/engines/cpu_reference.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/config/activation_loss_names.hpp"
#include "host/sweep/sweep_grid.hpp"

namespace symbreak {
namespace {

constexpr Activation kActivations[] = {Activation::sigmoid, Activation::tanh, Activation::relu,
                                       Activation::leaky_relu, Activation::linear};
constexpr Loss kLosses[] = {Loss::bce, Loss::mse};

double logistic(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

double hidden_activation(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid:
      return logistic(z);
    case Activation::tanh:
      return std::tanh(z);
    case Activation::relu:
      return std::max(z, 0.0);
    case Activation::leaky_relu:
      return z > 0.0 ? z : 0.01 * z;
    case Activation::linear:
      return z;
  }
  return z;
}

struct Forward {
  double loss = 0.0;                // mean over the samples
  double min_abs_hidden_z = 1e300;  // distance of the nearest hidden pre-activation to a kink
};

// The forward pass of docs/method.md §2-3 written again here, so that the loss the gradient is
// checked against is not only the reference's own.
Forward independent_forward(const Task& task, const NetworkShape& shape, Activation f, Loss loss,
                            const std::vector<double>& params, int first, int count) {
  Forward out;
  for (int s = first; s < first + count; ++s) {
    std::vector<double> a(task.x.begin() + static_cast<std::ptrdiff_t>(s) * task.inputs,
                          task.x.begin() + static_cast<std::ptrdiff_t>(s + 1) * task.inputs);
    double logit = 0.0;
    for (int l = 1; l <= shape.layers(); ++l) {
      std::vector<double> next(shape.units(l));
      for (int i = 0; i < shape.units(l); ++i) {
        double z = params[shape.bias_offset(l) + i];
        for (int j = 0; j < shape.units(l - 1); ++j)
          z += params[shape.weight_offset(l) + i * shape.units(l - 1) + j] * a[j];
        if (l == shape.layers()) {
          logit = z;
        } else {
          out.min_abs_hidden_z = std::min(out.min_abs_hidden_z, std::fabs(z));
          next[i] = hidden_activation(f, z);
        }
      }
      a = next;
    }
    const double y = task.target[s];
    const double p = logistic(logit);
    out.loss += loss == Loss::bce ? -(y * std::log(p) + (1.0 - y) * std::log(1.0 - p))
                                  : 0.5 * (p - y) * (p - y);
  }
  out.loss /= count;
  return out;
}

// Random parameters N(0, 1) whose hidden pre-activations all stay at least `margin` away from 0,
// so that relu and leaky_relu are differentiable in a neighbourhood larger than the FD step.
std::vector<double> params_away_from_kinks(const Task& task, const NetworkShape& shape,
                                           Activation f, std::mt19937_64& rng, double margin) {
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::vector<double> params(shape.parameter_count());
    for (double& p : params)
      p = normal(rng);
    if (independent_forward(task, shape, f, Loss::bce, params, 0, task.samples).min_abs_hidden_z >=
        margin) {
      return params;
    }
  }
  ADD_FAILURE() << "no parameter draw away from the kinks";
  return {};
}

struct GradientCase {
  std::string task;
  int depth;
};

// Central differences with step h = 1e-6 in float64. Their error is the truncation term
// h^2/6 * |d3L/dθ3| (about 1e-12 here, the third derivatives being O(1)) plus rounding
// eps * |L| / h (about 1e-16 / 1e-6 = 1e-10, times the few roundings of the loss sum). A tolerance
// of 1e-7 + 1e-6 |g| is therefore 1000x above the expected error, and still far below the O(0.1)
// errors of a wrong backward pass (a missing f', a transposed W, a missing 1/B). Measured worst
// deviation over these cases: 3.1e-10 (recorded as the XML property worst_fd_deviation).
TEST(ReferenceGradient, MatchesCentralDifferencesForEveryActivationAndLoss) {
  constexpr double kStep = 1e-6;
  constexpr double kAbsTol = 1e-7;
  constexpr double kRelTol = 1e-6;
  std::mt19937_64 rng(20240611);
  double worst = 0.0;
  for (const GradientCase& gc : {GradientCase{"xor", 1}, GradientCase{"xor", 2},
                                 GradientCase{"parity:3", 1}, GradientCase{"parity:3", 2}}) {
    const Task task = make_task(gc.task);
    const NetworkShape shape{task.inputs, 3, gc.depth};
    for (const Activation f : kActivations) {
      for (const Loss loss : kLosses) {
        SCOPED_TRACE(gc.task + " depth " + std::to_string(gc.depth) + " " +
                     std::string(activation_name(f)) + " " + std::string(loss_name(loss)));
        const std::vector<double> params = params_away_from_kinks(task, shape, f, rng, 1e-3);
        ASSERT_EQ(params.size(), static_cast<std::size_t>(shape.parameter_count()));
        // A sub-batch as well as the full batch: first/count select the samples.
        for (const auto& [first, count] : {std::pair{0, task.samples}, std::pair{1, 2}}) {
          const LossAndGradient analytic =
              reference_loss_and_gradient(task, shape, f, loss, params, first, count);
          ASSERT_EQ(analytic.gradient.size(), params.size());
          const double independent =
              independent_forward(task, shape, f, loss, params, first, count).loss;
          EXPECT_NEAR(analytic.loss, independent, 1e-13 * (1.0 + std::fabs(independent)));
          double norm = 0.0;
          for (std::size_t k = 0; k < params.size(); ++k) {
            std::vector<double> plus = params, minus = params;
            plus[k] += kStep;
            minus[k] -= kStep;
            const double lp =
                reference_loss_and_gradient(task, shape, f, loss, plus, first, count).loss;
            const double lm =
                reference_loss_and_gradient(task, shape, f, loss, minus, first, count).loss;
            const double fd = (lp - lm) / (plus[k] - minus[k]);  // the step actually taken
            const double g = analytic.gradient[k];
            EXPECT_NEAR(g, fd, kAbsTol + kRelTol * std::fabs(g)) << "parameter " << k;
            worst = std::max(worst, std::fabs(g - fd));
            norm = std::max(norm, std::fabs(g));
          }
          EXPECT_GT(norm, 1e-4) << "a vanishing gradient would make the check vacuous";
        }
      }
    }
  }
  std::ostringstream text;
  text << std::scientific << worst;
  RecordProperty("worst_fd_deviation", text.str());
}

// reference_loss_and_gradient returns means over its samples, so batches weighted by their size
// must add up to the full-batch mean (docs/method.md §3: the gradient is (1/B) Σ_s of per-sample
// terms).
TEST(ReferenceGradient, MinibatchGradientsSumToFullBatch) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  const Task task = make_task("parity:3");
  for (const int depth : {1, 2}) {
    const NetworkShape shape{task.inputs, 5, depth};
    std::vector<double> params(shape.parameter_count());
    for (double& p : params)
      p = normal(rng);
    for (const Activation f : kActivations) {
      for (const Loss loss : kLosses) {
        const LossAndGradient full =
            reference_loss_and_gradient(task, shape, f, loss, params, 0, task.samples);
        for (const int batch : {1, 3, 5, 8}) {
          std::vector<double> sum(params.size(), 0.0);
          double loss_sum = 0.0;
          for (int first = 0; first < task.samples; first += batch) {
            const int count = std::min(batch, task.samples - first);
            const LossAndGradient part =
                reference_loss_and_gradient(task, shape, f, loss, params, first, count);
            loss_sum += part.loss * count;
            for (std::size_t k = 0; k < sum.size(); ++k)
              sum[k] += part.gradient[k] * count;
          }
          EXPECT_NEAR(loss_sum / task.samples, full.loss, 1e-14 * (1.0 + full.loss));
          for (std::size_t k = 0; k < sum.size(); ++k) {
            EXPECT_NEAR(sum[k] / task.samples, full.gradient[k],
                        1e-14 * (1.0 + std::fabs(full.gradient[k])))
                << activation_name(f) << " " << loss_name(loss) << " batch " << batch
                << " parameter " << k;
          }
        }
      }
    }
  }
}

SweepPlan single_config_plan(const std::string& task, int depth, int width, const char* init,
                             double lr, double momentum, int batch, int epochs) {
  SweepGrid g;
  g.tasks = {task};
  g.depths = {depth};
  g.widths = {width};
  g.activations = {Activation::tanh};
  g.inits = {parse_init_choice(init)};
  g.bias_inits = {parse_bias_choice("normal:0.5")};
  g.losses = {Loss::bce};
  g.lrs = {lr};
  g.momenta = {momentum};
  g.batches = {batch};
  RunSettings run;
  run.epochs = epochs;
  run.seeds = 3;
  run.seed = 11;
  return make_plan(g, run);
}

// docs/method.md §4: v <- mu v + g; θ <- θ - lr v, batches of B in sample order, the last one
// smaller. train_reference_network must land where this loop over reference_loss_and_gradient
// lands.
TEST(ReferenceTraining, FollowsMomentumUpdatesOverMinibatches) {
  for (const int batch : {0, 1, 3}) {
    const SweepPlan plan =
        single_config_plan("parity:3", 2, 4, "xavier-normal", 0.3, 0.9, batch, 4);
    const Config& c = plan.configs[0];
    const Task& task = plan.task_of(c);
    const NetworkShape shape = plan.shape_of(c);
    const int b = effective_batch(c.batch, task.samples);
    for (std::uint32_t r = 0; r < plan.run.seeds; ++r) {
      const WorkItem item{0, r};
      std::vector<double> params = reference_initial_parameters(plan, item);
      std::vector<double> velocity(params.size(), 0.0);
      for (int epoch = 0; epoch < plan.run.epochs; ++epoch) {
        for (int first = 0; first < task.samples; first += b) {
          const int count = std::min(b, task.samples - first);
          const LossAndGradient g =
              reference_loss_and_gradient(task, shape, c.activation, c.loss, params, first, count);
          for (std::size_t k = 0; k < params.size(); ++k) {
            velocity[k] = c.momentum * velocity[k] + g.gradient[k];
            params[k] -= c.lr * velocity[k];
          }
        }
      }
      const double expected =
          reference_loss_and_gradient(task, shape, c.activation, c.loss, params, 0, task.samples)
              .loss;
      const NetworkResult result = train_reference_network(plan, item);
      EXPECT_NEAR(result.final_loss, expected, 1e-12 * expected) << "batch " << batch;
      EXPECT_FALSE(result.diverged);
    }
  }
}

// With zero epochs nothing is trained: the result describes the initial parameters.
TEST(ReferenceTraining, ZeroEpochsReportsInitialState) {
  const SweepPlan plan = single_config_plan("xor", 1, 4, "he-normal", 0.5, 0.0, 0, 0);
  const Config& c = plan.configs[0];
  const Task& task = plan.task_of(c);
  const std::vector<double> params = reference_initial_parameters(plan, WorkItem{0, 1});
  const NetworkResult r = train_reference_network(plan, WorkItem{0, 1});
  EXPECT_DOUBLE_EQ(r.final_loss, reference_loss_and_gradient(task, plan.shape_of(c), c.activation,
                                                             c.loss, params, 0, task.samples)
                                     .loss);
  EXPECT_TRUE(r.frozen);
  EXPECT_EQ(r.epoch_solved, r.solved ? 0 : -1);
  ASSERT_EQ(r.distinct.size(), 1u);
  EXPECT_EQ(r.distinct[0], 4);
}

}  // namespace
}  // namespace symbreak
