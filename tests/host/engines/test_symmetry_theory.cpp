// Tests the theory symbreak measures, exactly, on the cpu-ref engine (host/cpu_reference): which
// initialisations keep hidden neurons identical under gradient descent (docs/method.md §5-6), which
// freeze every weight, and that random initialisation breaks the symmetry and learns xor.
//
// Where a claim is about parameters the engine does not report (biases, the exact final values),
// the test runs the same full-batch gradient descent itself over reference_loss_and_gradient and
// checks that it ends at the engine's final loss.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "host/config/activation_loss_names.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/sweep/sweep_grid.hpp"

namespace symbreak {
namespace {

constexpr Activation kActivations[] = {Activation::sigmoid, Activation::tanh, Activation::relu,
                                       Activation::leaky_relu, Activation::linear};

struct PlanSpec {
  std::string task = "xor";
  int depth = 1;
  int width = 4;
  Activation activation = Activation::tanh;
  std::string init = "zeros";
  double lr = 0.5;
  int epochs = 200;
  std::int64_t seeds = 4;
  int trace_every = 0;
};

SweepPlan make_single_plan(const PlanSpec& s) {
  SweepGrid g;
  g.tasks = {s.task};
  g.depths = {s.depth};
  g.widths = {s.width};
  g.activations = {s.activation};
  g.inits = {parse_init_choice(s.init)};
  g.bias_inits = {parse_bias_choice("zeros")};
  g.losses = {Loss::bce};
  g.lrs = {s.lr};
  g.momenta = {0.0};
  g.batches = {0};
  RunSettings run;
  run.epochs = s.epochs;
  run.seeds = s.seeds;
  run.seed = 2024;
  run.trace_every = s.trace_every;
  return make_plan(g, run);
}

std::string describe(const PlanSpec& s) {
  return s.task + " depth " + std::to_string(s.depth) + " " +
         std::string(activation_name(s.activation)) + " " + s.init;
}

std::vector<NetworkResult> train_all(const SweepPlan& plan) {
  std::vector<WorkItem> items;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  std::vector<NetworkResult> results(items.size());
  CpuReferenceEngine(2).train(plan, items, results);
  return results;
}

const Config& only_config(const SweepPlan& plan) {
  return plan.configs.front();
}

double full_loss(const SweepPlan& plan, const std::vector<double>& params) {
  const Config& c = only_config(plan);
  const Task& task = plan.task_of(c);
  return reference_loss_and_gradient(task, plan.shape_of(c), c.activation, c.loss, params, 0,
                                     task.samples)
      .loss;
}

std::vector<double> full_gradient(const SweepPlan& plan, const std::vector<double>& params) {
  const Config& c = only_config(plan);
  const Task& task = plan.task_of(c);
  return reference_loss_and_gradient(task, plan.shape_of(c), c.activation, c.loss, params, 0,
                                     task.samples)
      .gradient;
}

// Full-batch gradient descent without momentum, as docs/method.md §4 defines it; returns the final
// parameters of replicate r.
std::vector<double> descend(const SweepPlan& plan, std::uint32_t r) {
  const Config& c = only_config(plan);
  std::vector<double> params = reference_initial_parameters(plan, WorkItem{0, r});
  for (int epoch = 0; epoch < plan.run.epochs; ++epoch) {
    const std::vector<double> g = full_gradient(plan, params);
    for (std::size_t k = 0; k < params.size(); ++k)
      params[k] -= c.lr * g[k];
  }
  return params;
}

bool bit_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// θ_i of hidden neuron i in layer l (docs/method.md §6): incoming row, bias, outgoing column.
std::vector<double> neuron(const NetworkShape& shape, const std::vector<double>& p, int l, int i) {
  std::vector<double> theta;
  for (int j = 0; j < shape.units(l - 1); ++j)
    theta.push_back(p[shape.weight_offset(l) + i * shape.units(l - 1) + j]);
  theta.push_back(p[shape.bias_offset(l) + i]);
  for (int k = 0; k < shape.units(l + 1); ++k)
    theta.push_back(p[shape.weight_offset(l + 1) + k * shape.units(l) + i]);
  return theta;
}

// True when every hidden neuron of every layer has bit-for-bit the parameters of neuron 0.
bool every_layer_exactly_symmetric(const NetworkShape& shape, const std::vector<double>& p) {
  for (int l = 1; l <= shape.depth; ++l) {
    const std::vector<double> first = neuron(shape, p, l, 0);
    for (int i = 1; i < shape.width; ++i) {
      const std::vector<double> other = neuron(shape, p, l, i);
      for (std::size_t k = 0; k < first.size(); ++k) {
        if (!bit_equal(first[k], other[k])) return false;
      }
    }
  }
  return true;
}

double w(const NetworkShape& shape, const std::vector<double>& p, int l, int i, int j) {
  return p[shape.weight_offset(l) + i * shape.units(l - 1) + j];
}

// zeros on xor: the output delta σ(0) - y = ±1/2 averages to exactly 0 over xor's targets
// (0, 1, 1, 0). With tanh or relu every hidden activation is f(0) = 0; with sigmoid it is 1/2, the
// same for every sample, so the output-weight gradient (1/2) mean(δ) is 0 too. Hidden deltas carry
// the zero output weights. No parameter, biases included, ever moves: all stay bit-for-bit at 0.
TEST(SymmetryTheory, ZerosOnXorMovesNothingAtAllWithTanhReluOrSigmoid) {
  for (const Activation f : {Activation::tanh, Activation::relu, Activation::sigmoid}) {
    for (const int depth : {1, 2}) {
      PlanSpec spec;
      spec.activation = f;
      spec.depth = depth;
      spec.seeds = 2;
      spec.trace_every = 50;
      SCOPED_TRACE(describe(spec));
      const SweepPlan plan = make_single_plan(spec);
      const std::vector<double> initial = reference_initial_parameters(plan, WorkItem{0, 0});
      for (const double p : initial)
        ASSERT_TRUE(bit_equal(p, 0.0));
      // The gradient at the start is exactly zero, so gradient descent has a fixed point there.
      for (const double g : full_gradient(plan, initial))
        EXPECT_TRUE(bit_equal(g, 0.0)) << g;
      const std::vector<double> final_params = descend(plan, 0);
      ASSERT_EQ(final_params.size(), initial.size());
      EXPECT_EQ(std::memcmp(final_params.data(), initial.data(), initial.size() * sizeof(double)),
                0);
      const double initial_loss = full_loss(plan, initial);
      EXPECT_DOUBLE_EQ(initial_loss, std::log(2.0));
      for (const NetworkResult& r : train_all(plan)) {
        EXPECT_TRUE(r.frozen);
        EXPECT_TRUE(r.collapsed);
        EXPECT_FALSE(r.broken);
        EXPECT_FALSE(r.solved);
        EXPECT_EQ(r.epoch_solved, -1);
        EXPECT_DOUBLE_EQ(r.accuracy, 0.5);  // logit 0 predicts 0 for all four samples
        EXPECT_EQ(r.distinct, std::vector<int>(depth, 1));
        EXPECT_TRUE(bit_equal(r.final_loss, initial_loss));
        ASSERT_EQ(r.trace.size(), 5u);  // epochs 0, 50, 100, 150, 200
        for (const TracePoint& t : r.trace)
          EXPECT_TRUE(bit_equal(t.loss, initial_loss)) << "epoch " << t.epoch;
      }
    }
  }
}

// zeros + tanh or relu on `and`: the hidden activations stay 0, so the weights and hidden biases
// get zero gradients forever, but the targets (0, 0, 0, 1) no longer average to σ(0) = 1/2: the
// output bias, and only it, moves.
TEST(SymmetryTheory, ZerosWithTanhOrReluOnAndMovesOnlyTheOutputBias) {
  for (const Activation f : {Activation::tanh, Activation::relu}) {
    for (const int depth : {1, 2}) {
      PlanSpec spec;
      spec.task = "and";
      spec.activation = f;
      spec.depth = depth;
      spec.seeds = 2;
      SCOPED_TRACE(describe(spec));
      const SweepPlan plan = make_single_plan(spec);
      const NetworkShape shape = plan.shape_of(only_config(plan));
      const std::vector<double> initial = reference_initial_parameters(plan, WorkItem{0, 0});
      const std::vector<double> final_params = descend(plan, 0);
      const std::int64_t output_bias = shape.bias_offset(shape.layers());
      for (std::int64_t k = 0; k < shape.parameter_count(); ++k) {
        if (k == output_bias) {
          EXPECT_FALSE(bit_equal(final_params[k], initial[k])) << "the output bias must move";
        } else {
          EXPECT_TRUE(bit_equal(final_params[k], initial[k])) << "parameter " << k << " moved";
        }
      }
      const double expected_loss = full_loss(plan, final_params);
      EXPECT_LT(expected_loss, std::log(2.0));
      for (const NetworkResult& r : train_all(plan)) {
        EXPECT_TRUE(r.frozen);
        EXPECT_TRUE(r.collapsed);
        EXPECT_NEAR(r.final_loss, expected_loss, 1e-12);
        EXPECT_DOUBLE_EQ(r.accuracy, 0.75);  // a constant logit < 0 gets the three zeros right
      }
    }
  }
}

// zeros + sigmoid: σ(0) = 1/2 is not 0, so the output weights see a gradient (1/2) mean(σ(b)-y).
// On xor that mean is exactly 0 (nothing moves, checked above); on `and` it is not, the output
// weights move, the hidden neurons then get equal non-zero deltas, and every weight moves in
// lockstep: not frozen, yet collapsed.
TEST(SymmetryTheory, ZerosWithSigmoidOnAndMovesEveryWeightButStaysCollapsed) {
  for (const int depth : {1, 2}) {
    PlanSpec spec;
    spec.task = "and";
    spec.activation = Activation::sigmoid;
    spec.depth = depth;
    spec.seeds = 2;
    SCOPED_TRACE(describe(spec));
    const SweepPlan plan = make_single_plan(spec);
    const NetworkShape shape = plan.shape_of(only_config(plan));
    const std::vector<double> final_params = descend(plan, 0);
    EXPECT_TRUE(every_layer_exactly_symmetric(shape, final_params));
    for (int l = 1; l <= shape.layers(); ++l)
      EXPECT_NE(w(shape, final_params, l, 0, 0), 0.0) << "layer " << l << " did not move";
    for (const NetworkResult& r : train_all(plan)) {
      EXPECT_FALSE(r.frozen);
      EXPECT_TRUE(r.collapsed);
      EXPECT_FALSE(r.broken);
      EXPECT_EQ(r.distinct, std::vector<int>(depth, 1));
    }
  }
}

// const:c and symmetric:<scheme> give every hidden neuron the same incoming row, bias and
// outgoing column. Forward values, deltas and updates are then the same for all of them, bit for
// bit, at every step: the layer stays one neuron however long it trains. lr 0.1 keeps the deep
// linear networks from diverging (at lr 0.5, 10% of symmetric:normal:1 linear depth-2 networks
// diverge, and a diverged network is neither collapsed nor broken).
TEST(SymmetryTheory, ConstantAndSymmetricInitsStayCollapsedForEveryActivation) {
  for (const Activation f : kActivations) {
    for (const int depth : {1, 2}) {
      for (const char* init : {"const:0.5", "const:-0.3", "symmetric:normal:1"}) {
        PlanSpec spec;
        spec.activation = f;
        spec.depth = depth;
        spec.init = init;
        spec.lr = 0.1;
        spec.seeds = 6;
        SCOPED_TRACE(describe(spec));
        const SweepPlan plan = make_single_plan(spec);
        const NetworkShape shape = plan.shape_of(only_config(plan));
        const std::vector<NetworkResult> results = train_all(plan);
        for (std::size_t r = 0; r < results.size(); ++r) {
          const NetworkResult& result = results[r];
          EXPECT_FALSE(result.diverged) << "replicate " << r;
          EXPECT_TRUE(result.collapsed) << "replicate " << r;
          EXPECT_FALSE(result.broken) << "replicate " << r;
          EXPECT_EQ(result.distinct, std::vector<int>(depth, 1)) << "replicate " << r;
          // The symmetry holds although the weights moved (a dead relu layer may not move).
          if (f != Activation::relu) {
            EXPECT_FALSE(result.frozen) << "replicate " << r;
          }
        }
        const std::vector<double> final_params = descend(plan, 1);
        EXPECT_TRUE(every_layer_exactly_symmetric(shape, final_params));
      }
    }
  }
}

// tied:<scheme> copies one incoming row to every neuron but leaves the outgoing weights different.
// The hidden activations start equal, yet neuron i's delta is W_out[i]-weighted, so its incoming
// gradient row is proportional to its own outgoing weight: the rows separate at the first step.
TEST(SymmetryTheory, TiedIncomingRowsAreNotSymmetricBecauseOutgoingWeightsDiffer) {
  for (const Activation f : kActivations) {
    for (const int depth : {1, 2}) {
      PlanSpec spec;
      spec.activation = f;
      spec.depth = depth;
      spec.init = "tied:normal:1";
      spec.seeds = 8;
      SCOPED_TRACE(describe(spec));
      const SweepPlan plan = make_single_plan(spec);
      const NetworkShape shape = plan.shape_of(only_config(plan));
      const std::vector<double> initial = reference_initial_parameters(plan, WorkItem{0, 0});
      // Incoming rows identical, outgoing weights of the last hidden layer pairwise different.
      for (int i = 1; i < shape.width; ++i) {
        for (int j = 0; j < shape.inputs; ++j)
          ASSERT_TRUE(bit_equal(w(shape, initial, 1, i, j), w(shape, initial, 1, 0, j)));
        for (int k = 0; k < i; ++k)
          ASSERT_NE(w(shape, initial, shape.layers(), 0, i),
                    w(shape, initial, shape.layers(), 0, k));
      }
      if (depth == 1) {
        // grad W_1[i][j] = mean_s δ_out W_2[i] f'(z) x_j with z the same for every i.
        const std::vector<double> g = full_gradient(plan, initial);
        for (int i = 1; i < shape.width; ++i) {
          for (int j = 0; j < shape.inputs; ++j) {
            const double gi = g[shape.weight_offset(1) + i * shape.inputs + j];
            const double g0 = g[shape.weight_offset(1) + j];
            EXPECT_NEAR(gi * w(shape, initial, 2, 0, 0), g0 * w(shape, initial, 2, 0, i),
                        1e-12 * (1.0 + std::fabs(gi) + std::fabs(g0)));
          }
        }
      }
      for (const NetworkResult& r : train_all(plan)) {
        EXPECT_FALSE(r.diverged);
        EXPECT_FALSE(r.collapsed);
        if (f == Activation::tanh) {
          EXPECT_TRUE(r.broken);
        }
      }
      if (f == Activation::tanh) {
        // After training, the incoming rows that started identical differ.
        const std::vector<double> trained = descend(plan, 0);
        double spread = 0.0;
        for (int i = 1; i < shape.width; ++i) {
          for (int j = 0; j < shape.inputs; ++j)
            spread = std::max(spread,
                              std::fabs(w(shape, trained, 1, i, j) - w(shape, trained, 1, 0, j)));
        }
        EXPECT_GT(spread, 1e-3);
      }
    }
  }
}

// zeros/normal:1: zero weights, but random biases make the hidden activations tanh(b_i) differ,
// the output weights then differ, and with them the incoming rows.
TEST(SymmetryTheory, ZeroWeightsWithRandomBiasesBreakSymmetry) {
  for (const int depth : {1, 2}) {
    PlanSpec spec;
    spec.depth = depth;
    spec.init = "zeros/normal:1";
    spec.epochs = 300;
    spec.seeds = 20;
    SCOPED_TRACE(describe(spec));
    const SweepPlan plan = make_single_plan(spec);
    const NetworkShape shape = plan.shape_of(only_config(plan));
    for (const NetworkResult& r : train_all(plan)) {
      EXPECT_TRUE(r.broken);
      EXPECT_FALSE(r.frozen);
    }
    // Not only the biases: the incoming rows, all zero at the start, become pairwise distinct:
    // clearly in the last hidden layer (its gradient is first order in the output weights);
    // at depth 2 the first layer only moves at second order, so there it is just not bit-equal.
    for (std::uint32_t rep = 0; rep < 3; ++rep) {
      const std::vector<double> trained = descend(plan, rep);
      for (int l = 1; l <= depth; ++l) {
        const double threshold = l == depth ? 1e-6 : 0.0;
        for (int i = 0; i < shape.width; ++i) {
          for (int k = 0; k < i; ++k) {
            double diff = 0.0;
            for (int j = 0; j < shape.units(l - 1); ++j)
              diff = std::max(diff,
                              std::fabs(w(shape, trained, l, i, j) - w(shape, trained, l, k, j)));
            EXPECT_GT(diff, threshold)
                << "replicate " << rep << " layer " << l << " neurons " << k << ", " << i;
          }
        }
      }
    }
  }
}

// xavier-uniform + tanh on xor: every network ends broken, and nearly all learn xor. Measured with
// `symbreak sweep --task xor --activation tanh --init xavier-uniform --epochs 1000 --seeds 2000
// --seed S --quiet --out r.csv`: solved 98.55% (Wilson 95% CI 97.9-99.0%) for S = 2024, the seed
// used here, and 99.05% for S = 0; this test's 100 replicates solve 98. A threshold of 90 of 100 is
// far above zeros' 0% and far below the measured rate: P(< 90 | p = 0.979) is about 1e-5.
TEST(SymmetryTheory, XavierUniformTanhBreaksSymmetryAndMostlySolvesXor) {
  PlanSpec spec;
  spec.init = "xavier-uniform";
  spec.epochs = 1000;
  spec.seeds = 100;
  const SweepPlan plan = make_single_plan(spec);
  int solved = 0;
  for (const NetworkResult& r : train_all(plan)) {
    EXPECT_TRUE(r.broken);
    EXPECT_FALSE(r.collapsed);
    EXPECT_FALSE(r.diverged);
    solved += r.solved ? 1 : 0;
  }
  EXPECT_GE(solved, 90) << "of 100 replicates";
  RecordProperty("solved_of_100", solved);

  spec.init = "zeros";
  for (const NetworkResult& r : train_all(make_single_plan(spec)))
    EXPECT_FALSE(r.solved);
}

}  // namespace
}  // namespace symbreak
