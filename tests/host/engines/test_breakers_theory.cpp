// Tests what else breaks symmetry (docs/method.md §4.1), exactly, on the cpu-ref engine
// (host/engines/cpu_reference): Adam, RMSprop and weight decay keep every symmetric start
// collapsed, as SGD does; dropout breaks const:c and symmetric: starts where gradient reaches the
// hidden neurons, and leaves zeros with tanh or ReLU frozen; gradient noise breaks every symmetric
// start. The first update of each optimiser is checked against its formula by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "host/config/activation_loss_names.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "kernels/breaker_draws.cuh"

namespace symbreak {
namespace {

struct Breakers {
  std::vector<Optimizer> optimizers = {Optimizer::sgd};
  std::vector<double> weight_decays = {0.0};
  std::vector<double> dropouts = {0.0};
  std::vector<double> grad_noises = {0.0};
};

SweepPlan make_breaker_plan(const std::vector<std::string>& inits,
                            const std::vector<Activation>& activations, const Breakers& b,
                            int epochs, std::int64_t seeds, std::vector<int> depths = {1, 2},
                            std::vector<int> batches = {0, 1}, double lr = 0.1) {
  SweepGrid g;
  g.tasks = {"xor"};
  g.depths = std::move(depths);
  g.widths = {4};
  g.activations = activations;
  for (const std::string& init : inits)
    g.inits.push_back(parse_init_choice(init));
  g.bias_inits = {parse_bias_choice("zeros")};
  g.losses = {Loss::bce};
  g.lrs = {lr};
  g.momenta = {0.0};
  g.batches = std::move(batches);
  g.optimizers = b.optimizers;
  g.weight_decays = b.weight_decays;
  g.dropouts = b.dropouts;
  g.grad_noises = b.grad_noises;
  RunSettings run;
  run.epochs = epochs;
  run.seeds = seeds;
  run.seed = 7;
  return make_plan(g, run);
}

std::vector<NetworkResult> train_all(const SweepPlan& plan) {
  std::vector<WorkItem> items;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  std::vector<NetworkResult> results(items.size());
  CpuReferenceEngine(2).train(plan, items, results);
  return results;
}

std::string describe(const SweepPlan& plan, WorkItem item) {
  const Config& c = plan.configs[item.config];
  return c.init.text + " " + std::string(activation_name(c.activation)) + " depth " +
         std::to_string(c.depth) + " batch " + std::to_string(c.batch) + " " +
         std::string(optimizer_name(c.optimizer)) + " weight decay " +
         std::to_string(c.weight_decay) + " dropout " + std::to_string(c.dropout) + " noise " +
         std::to_string(c.grad_noise) + " replicate " + std::to_string(item.replicate);
}

const std::vector<std::string> kSymmetricStarts = {"zeros", "const:0.5", "symmetric:normal:1"};
const std::vector<Activation> kActivations = {Activation::sigmoid, Activation::tanh,
                                              Activation::relu, Activation::leaky_relu,
                                              Activation::linear};

TEST(BreakersTheory, AdamRmspropAndWeightDecayKeepEverySymmetricStartCollapsed) {
  Breakers b;
  b.optimizers = {Optimizer::sgd, Optimizer::adam, Optimizer::rmsprop};
  b.weight_decays = {0.0, 0.01};
  const SweepPlan plan = make_breaker_plan(kSymmetricStarts, kActivations, b, 60, 3);
  const std::vector<NetworkResult> results = train_all(plan);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const NetworkResult& r = results[i];
    SCOPED_TRACE(describe(plan, plan.item(static_cast<std::int64_t>(i))));
    ASSERT_FALSE(r.diverged);
    EXPECT_TRUE(r.collapsed);
    EXPECT_FALSE(r.broken);
    for (const int d : r.distinct)
      EXPECT_EQ(d, 1);
  }
}

TEST(BreakersTheory, DropoutBreaksConstantAndSymmetricStartsWithTanhAndSigmoidInEveryNetwork) {
  Breakers b;
  b.optimizers = {Optimizer::sgd, Optimizer::adam};
  b.dropouts = {0.2, 0.5};
  const SweepPlan plan = make_breaker_plan({"const:0.5", "symmetric:normal:1"},
                                           {Activation::tanh, Activation::sigmoid}, b, 60, 8);
  const std::vector<NetworkResult> results = train_all(plan);
  for (std::size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(describe(plan, plan.item(static_cast<std::int64_t>(i))));
    ASSERT_FALSE(results[i].diverged);
    EXPECT_TRUE(results[i].broken);
  }
}

TEST(BreakersTheory, DropoutLeavesZerosWithTanhOrReluFrozenAndCollapsed) {
  Breakers b;
  b.optimizers = {Optimizer::sgd, Optimizer::adam, Optimizer::rmsprop};
  b.dropouts = {0.2, 0.5};
  b.weight_decays = {0.0, 0.01};
  const SweepPlan plan =
      make_breaker_plan({"zeros"}, {Activation::tanh, Activation::relu}, b, 60, 4);
  const std::vector<NetworkResult> results = train_all(plan);
  for (std::size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(describe(plan, plan.item(static_cast<std::int64_t>(i))));
    EXPECT_TRUE(results[i].frozen);
    EXPECT_TRUE(results[i].collapsed);
  }
}

TEST(BreakersTheory, GradientNoiseBreaksEverySymmetricStart) {
  Breakers b;
  b.optimizers = {Optimizer::sgd, Optimizer::adam, Optimizer::rmsprop};
  b.grad_noises = {0.01};
  b.weight_decays = {0.0, 0.01};
  const SweepPlan plan = make_breaker_plan(kSymmetricStarts, kActivations, b, 20, 3);
  const std::vector<NetworkResult> results = train_all(plan);
  for (std::size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(describe(plan, plan.item(static_cast<std::int64_t>(i))));
    ASSERT_FALSE(results[i].diverged);
    EXPECT_TRUE(results[i].broken);
    EXPECT_FALSE(results[i].frozen);
  }
}

TEST(BreakersTheory, ZeroRatesTrainExactlyAsPlainGradientDescent) {
  // p = 0, sigma = 0 and lambda = 0 draw nothing and add nothing: the engine's loss after 30
  // epochs is bit for bit that of theta <- theta - lr g done here (docs/method.md §4).
  Breakers b;
  b.optimizers = {Optimizer::sgd};
  const SweepPlan plan =
      make_breaker_plan({"xavier-uniform", "const:0.5"}, kActivations, b, 30, 2, {1, 2}, {0}, 0.5);
  const std::vector<NetworkResult> results = train_all(plan);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const WorkItem item = plan.item(static_cast<std::int64_t>(i));
    SCOPED_TRACE(describe(plan, item));
    const Config& c = plan.configs[item.config];
    const Task& task = plan.task_of(c);
    std::vector<double> p = reference_initial_parameters(plan, item);
    for (int epoch = 0; epoch < plan.run.epochs; ++epoch) {
      const std::vector<double> g =
          reference_loss_and_gradient(task, plan.shape_of(c), c.activation, c.loss, p, 0,
                                      task.samples)
              .gradient;
      for (std::size_t k = 0; k < p.size(); ++k)
        p[k] -= c.lr * g[k];
    }
    EXPECT_EQ(results[i].final_loss,
              reference_loss_and_gradient(task, plan.shape_of(c), c.activation, c.loss, p, 0,
                                          task.samples)
                  .loss);
  }
}

// One full-batch update from the initial parameters, by each optimiser's formula (docs/method.md
// §4.1), ends at the engine's loss after one epoch.
struct FirstStepCase {
  Optimizer optimizer;
  double weight_decay;
  double grad_noise;
};

TEST(BreakersTheory, FirstUpdateOfEveryOptimiserFollowsItsFormula) {
  for (const FirstStepCase fc :
       {FirstStepCase{Optimizer::sgd, 0.25, 0.0}, FirstStepCase{Optimizer::adam, 0.0, 0.0},
        FirstStepCase{Optimizer::adam, 0.25, 0.0}, FirstStepCase{Optimizer::rmsprop, 0.0, 0.0},
        FirstStepCase{Optimizer::rmsprop, 0.25, 0.0}, FirstStepCase{Optimizer::sgd, 0.0, 0.5},
        FirstStepCase{Optimizer::adam, 0.25, 0.5}}) {
    Breakers b;
    b.optimizers = {fc.optimizer};
    b.weight_decays = {fc.weight_decay};
    b.grad_noises = {fc.grad_noise};
    const SweepPlan plan =
        make_breaker_plan({"uniform:1/uniform:0.5"}, {Activation::tanh}, b, 1, 2, {2}, {0}, 0.05);
    const std::vector<NetworkResult> results = train_all(plan);
    const Config& c = plan.configs[0];
    const Task& task = plan.task_of(c);
    const NetworkShape shape = plan.shape_of(c);
    for (std::uint32_t r = 0; r < 2; ++r) {
      SCOPED_TRACE(describe(plan, WorkItem{0, r}));
      std::vector<double> p = reference_initial_parameters(plan, WorkItem{0, r});
      std::vector<double> g =
          reference_loss_and_gradient(task, shape, c.activation, c.loss, p, 0, task.samples)
              .gradient;
      for (int l = 1; l <= shape.layers(); ++l) {
        for (std::int64_t k = 0; k < shape.weight_count(l); ++k)
          g[shape.weight_offset(l) + k] +=
              fc.grad_noise *
              gradient_noise(DrawKey{7, r}, BreakerStream::weight_noise,
                             {0, 0, static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(k)});
        for (int i = 0; i < shape.units(l); ++i)
          g[shape.bias_offset(l) + i] +=
              fc.grad_noise *
              gradient_noise(DrawKey{7, r}, BreakerStream::bias_noise,
                             {0, 0, static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(i)});
      }
      for (std::size_t k = 0; k < p.size(); ++k) {
        const double gk = g[k] + fc.weight_decay * p[k];
        switch (fc.optimizer) {
          case Optimizer::sgd:
            p[k] -= c.lr * gk;
            break;
          case Optimizer::adam:
            // m = 0.1 g, v = 0.001 g^2; bias correction makes the step lr g / (|g| + eps).
            p[k] -= c.lr * gk / (std::fabs(gk) + kAdamEps);
            break;
          case Optimizer::rmsprop:
            // v = 0.01 g^2: the step is lr g / (0.1 |g| + eps), ten times Adam's.
            p[k] -= c.lr * gk / (std::sqrt(0.01 * gk * gk) + kRmspropEps);
            break;
        }
      }
      const double expected =
          reference_loss_and_gradient(task, shape, c.activation, c.loss, p, 0, task.samples).loss;
      EXPECT_NEAR(results[r].final_loss, expected, 1e-13 * std::fabs(expected));
    }
  }
}

}  // namespace
}  // namespace symbreak
