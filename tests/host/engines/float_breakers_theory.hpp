// The theory of docs/method.md §4.1, checked exactly on a float engine (the cpu engine in
// test_float_breakers_theory.cpp, cuda and cublas in test_float_breakers_theory_gpu.cpp): Adam,
// RMSprop and weight decay act on each parameter alone, so zeros, const:c and symmetric:<scheme>
// starts stay collapsed (D_l = 1, as with SGD); dropout separates neurons that start identical
// wherever some gradient reaches them (const:0.5 and symmetric:normal:1 with tanh and sigmoid) but
// not where none does (zeros with tanh or relu stays frozen); gradient noise separates every
// symmetric start. "Every network" means every replicate of every configuration.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/config/activation_loss_names.hpp"
#include "host/config/init_scheme_names.hpp"
#include "host/config/task.hpp"
#include "host/engines/engine.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak {

// The options of one breaker, applied to every configuration of a plan.
struct BreakerOptions {
  std::string name;
  Optimizer optimizer = Optimizer::sgd;
  double lr = 0.5;
  double weight_decay = 0.0, dropout = 0.0, grad_noise = 0.0;
};

inline std::string breaker_describe(const BreakerOptions& b) {
  return b.name + " (lr " + std::to_string(b.lr) + ")";
}

// `task`, zero biases, bce, full batch; one configuration per (init, activation, depth, width).
inline SweepPlan breaker_plan(const BreakerOptions& b, const std::vector<std::string>& inits,
                              const std::vector<Activation>& activations,
                              const std::vector<int>& depths, const std::vector<int>& widths,
                              std::int64_t seeds, int epochs, const std::string& task = "xor") {
  SweepPlan plan;
  plan.tasks.push_back(make_task(task));
  plan.run.epochs = epochs;
  plan.run.seeds = seeds;
  plan.run.seed = 20261204u;
  for (const std::string& init : inits) {
    for (const Activation f : activations) {
      for (const int depth : depths) {
        for (const int width : widths) {
          Config c;
          c.depth = depth;
          c.width = width;
          c.activation = f;
          c.init = parse_init_choice(init);
          c.bias = parse_bias_choice("zeros");
          c.lr = b.lr;
          c.optimizer = b.optimizer;
          c.weight_decay = b.weight_decay;
          c.dropout = b.dropout;
          c.grad_noise = b.grad_noise;
          plan.configs.push_back(c);
        }
      }
    }
  }
  return plan;
}

inline std::vector<NetworkResult> breaker_train(Engine& engine, const SweepPlan& plan) {
  std::vector<WorkItem> items;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  std::vector<NetworkResult> out(items.size());
  engine.train(plan, items, out);
  return out;
}

inline std::string network_describe(const SweepPlan& plan, std::int64_t item) {
  const WorkItem w = plan.item(item);
  const Config& c = plan.configs[w.config];
  return c.init.text + " " + std::string(activation_name(c.activation)) + " depth " +
         std::to_string(c.depth) + " width " + std::to_string(c.width) + " replicate " +
         std::to_string(w.replicate);
}

// Whether zero weights and biases keep every hidden activation at 0, so that no gradient reaches
// a hidden weight: f(0) = 0.
inline bool zero_activation_at_zero(Activation f) {
  return f != Activation::sigmoid;
}

inline const std::vector<BreakerOptions>& per_parameter_breakers() {
  static const std::vector<BreakerOptions> list = {
      {"adam", Optimizer::adam, 0.05},
      {"rmsprop", Optimizer::rmsprop, 0.02},
      {"sgd with weight decay", Optimizer::sgd, 0.1, 0.01},
      {"adam with weight decay", Optimizer::adam, 0.05, 0.01},
      {"rmsprop with weight decay", Optimizer::rmsprop, 0.02, 0.05},
  };
  return list;
}

// Adam, RMSprop, weight decay (SGD at lr 0.1, as above): D_l = 1 in every hidden layer of every
// network, which is also what plain SGD gives; the weights moved except where no gradient reaches
// them (zeros with f(0) = 0). On `and` (on xor the four output deltas of a zero network cancel, so
// zeros with sigmoid would stay frozen too).
inline void expect_per_parameter_breakers_keep_symmetry(Engine& engine) {
  const std::vector<Activation> activations = {Activation::tanh, Activation::sigmoid,
                                               Activation::relu, Activation::linear};
  for (const BreakerOptions& b : per_parameter_breakers()) {
    SCOPED_TRACE(breaker_describe(b));
    const SweepPlan plan =
        breaker_plan(b, {"zeros", "const:0.5", "const:-0.3", "symmetric:normal:1"}, activations,
                     {1, 2}, {4, 7}, 4, 60, "and");
    const std::vector<NetworkResult> results = breaker_train(engine, plan);
    ASSERT_EQ(results.size(), static_cast<std::size_t>(plan.item_count()));
    for (std::size_t k = 0; k < results.size(); ++k) {
      const NetworkResult& r = results[k];
      const Config& c = plan.configs[plan.item(static_cast<std::int64_t>(k)).config];
      SCOPED_TRACE(network_describe(plan, static_cast<std::int64_t>(k)));
      ASSERT_FALSE(r.diverged);
      EXPECT_EQ(r.distinct, std::vector<int>(c.depth, 1));
      EXPECT_TRUE(r.collapsed);
      EXPECT_FALSE(r.broken);
      const bool zeros = c.init.text == "zeros";
      if (zeros && zero_activation_at_zero(c.activation)) {
        EXPECT_TRUE(r.frozen) << "no gradient reaches a hidden weight";
      } else if (c.activation != Activation::relu) {  // a relu layer may be dead from the start
        EXPECT_FALSE(r.frozen) << "the weights moved, the symmetry held";
      }
    }
  }
}

// Dropout p = 0.5: const:0.5 and symmetric:normal:1 with tanh and sigmoid end with every neuron
// distinct in every network; zeros with tanh or relu stays frozen and collapsed.
inline void expect_dropout_breaks_where_gradient_reaches(Engine& engine) {
  for (const Optimizer optimizer : {Optimizer::sgd, Optimizer::adam}) {
    const BreakerOptions b{"dropout 0.5", optimizer, optimizer == Optimizer::sgd ? 0.5 : 0.05, 0.0,
                           0.5};
    SCOPED_TRACE(breaker_describe(b) + (optimizer == Optimizer::adam ? " adam" : " sgd"));
    {
      const SweepPlan plan =
          breaker_plan(b, {"const:0.5", "symmetric:normal:1"},
                       {Activation::tanh, Activation::sigmoid}, {1, 2}, {4, 7}, 6, 60);
      const std::vector<NetworkResult> results = breaker_train(engine, plan);
      for (std::size_t k = 0; k < results.size(); ++k) {
        const NetworkResult& r = results[k];
        SCOPED_TRACE(network_describe(plan, static_cast<std::int64_t>(k)));
        EXPECT_FALSE(r.diverged);
        EXPECT_TRUE(r.broken);
        EXPECT_FALSE(r.collapsed);
      }
    }
    const SweepPlan frozen =
        breaker_plan(b, {"zeros"}, {Activation::tanh, Activation::relu}, {1, 2}, {4, 7}, 6, 60);
    const std::vector<NetworkResult> results = breaker_train(engine, frozen);
    for (std::size_t k = 0; k < results.size(); ++k) {
      const NetworkResult& r = results[k];
      const Config& c = frozen.configs[frozen.item(static_cast<std::int64_t>(k)).config];
      SCOPED_TRACE(network_describe(frozen, static_cast<std::int64_t>(k)));
      EXPECT_TRUE(r.frozen);
      EXPECT_TRUE(r.collapsed);
      EXPECT_EQ(r.distinct, std::vector<int>(c.depth, 1));
    }
  }
}

// Gradient noise σ = 0.01 separates every neuron of every symmetric start, whatever the
// activation, with SGD and with Adam. SGD's lr 0.1 keeps symmetric:normal:1 linear networks of
// depth 2 from diverging (as in test_symmetry_theory).
inline void expect_gradient_noise_breaks_every_symmetric_start(Engine& engine) {
  for (const BreakerOptions& b :
       {BreakerOptions{"noise 0.01", Optimizer::sgd, 0.1, 0.0, 0.0, 0.01},
        BreakerOptions{"noise 0.01 with adam", Optimizer::adam, 0.05, 0.0, 0.0, 0.01}}) {
    SCOPED_TRACE(breaker_describe(b));
    const SweepPlan plan =
        breaker_plan(b, {"zeros", "const:0.5", "const:-0.3", "symmetric:normal:1"},
                     {Activation::tanh, Activation::sigmoid, Activation::relu,
                      Activation::leaky_relu, Activation::linear},
                     {1, 2}, {4, 7}, 4, 30);
    const std::vector<NetworkResult> results = breaker_train(engine, plan);
    for (std::size_t k = 0; k < results.size(); ++k) {
      const NetworkResult& r = results[k];
      SCOPED_TRACE(network_describe(plan, static_cast<std::int64_t>(k)));
      EXPECT_FALSE(r.diverged);
      EXPECT_TRUE(r.broken);
      EXPECT_FALSE(r.frozen);
    }
  }
}

}  // namespace symbreak
