// Tests the engines' kept final parameters (--params, docs/method.md §8.4): only replicates below
// RunSettings::params_replicates carry them, in the flat layout of kernels/network_shape.cuh; they
// are the network's own final parameters (they reproduce its measured test accuracy and, at zero
// epochs, its initial parameters), in float for the float engines, and the cpu engine's agree
// with cpu-ref's. The cuda and cublas engines are checked in test_cuda_engines_gpu.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "host/engines/cpu_engine.hpp"
#include "host/engines/cpu_reference.hpp"
#include "host/engines/test_set_evaluation.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "kernels/metrics.cuh"

namespace symbreak {
namespace {

constexpr int kThreads = 2;

// moons (a test set) at the demo's width 4, two activations x two inits, 5 replicates, 2 kept.
SweepPlan moons_plan(int epochs) {
  SweepGrid g = demo_grid();
  g.tasks = {"moons:40"};
  g.activations = {Activation::tanh, Activation::relu};
  g.inits = {parse_init_choice("zeros"), parse_init_choice("xavier-uniform")};
  g.lrs = {0.1};
  RunSettings run;
  run.seeds = 5;
  run.epochs = epochs;
  run.params_replicates = 2;
  return make_plan(g, run);
}

std::vector<WorkItem> every_item(const SweepPlan& plan) {
  std::vector<WorkItem> items;
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  return items;
}

std::vector<NetworkResult> train(Engine& engine, const SweepPlan& plan) {
  const std::vector<WorkItem> items = every_item(plan);
  std::vector<NetworkResult> out(items.size());
  engine.train(plan, items, out);
  return out;
}

// Test samples classified correctly by `params`, in double, written out here independently of
// both engines: z_l = W_l a_{l-1} + b_l, a_l = f(z_l) on hidden layers, class 1 when the logit > 0.
int correct_on_test_set(const SweepPlan& plan, const Config& c, const std::vector<double>& params) {
  const Task& task = plan.task_of(c);
  const NetworkShape shape = plan.shape_of(c);
  int correct = 0;
  for (int s = 0; s < task.test_samples; ++s) {
    std::vector<double> a(task.test_x.begin() + static_cast<std::ptrdiff_t>(s) * task.inputs,
                          task.test_x.begin() + static_cast<std::ptrdiff_t>(s + 1) * task.inputs);
    for (int l = 1; l <= shape.layers(); ++l) {
      std::vector<double> z(shape.units(l));
      for (int i = 0; i < shape.units(l); ++i) {
        z[i] = params[shape.bias_offset(l) + i];
        for (int j = 0; j < shape.units(l - 1); ++j)
          z[i] += params[shape.weight_offset(l) + i * shape.units(l - 1) + j] * a[j];
        if (l < shape.layers()) {
          z[i] = c.activation == Activation::relu ? std::max(z[i], 0.0) : std::tanh(z[i]);
        }
      }
      a = z;
    }
    correct += (a[0] > 0.0) == (task.test_target[s] > 0.5) ? 1 : 0;
  }
  return correct;
}

TEST(KeptParameters, OnlyTheFirstKReplicatesOfEachConfigurationCarryThem) {
  const SweepPlan plan = moons_plan(30);
  CpuReferenceEngine reference(kThreads);
  const std::unique_ptr<Engine> cpu = make_cpu_engine(kThreads);
  for (Engine* engine : {static_cast<Engine*>(&reference), cpu.get()}) {
    SCOPED_TRACE(std::string(engine->name()));
    const std::vector<NetworkResult> results = train(*engine, plan);
    for (std::int64_t i = 0; i < plan.item_count(); ++i) {
      const WorkItem item = plan.item(i);
      const NetworkResult& r = results[i];
      if (item.replicate < 2) {
        EXPECT_EQ(static_cast<std::int64_t>(r.parameters.size()),
                  plan.shape_of(plan.configs[item.config]).parameter_count())
            << "item " << i;
        EXPECT_EQ(r.parameters_are_float, engine->name() == "cpu");
      } else {
        EXPECT_TRUE(r.parameters.empty()) << "item " << i << " is replicate " << item.replicate;
      }
    }
  }
}

TEST(KeptParameters, AreNoneWithoutParams) {
  SweepPlan plan = moons_plan(5);
  plan.run.params_replicates = 0;
  const std::unique_ptr<Engine> cpu = make_cpu_engine(kThreads);
  for (const NetworkResult& r : train(*cpu, plan))
    EXPECT_TRUE(r.parameters.empty());
}

// After zero epochs the kept parameters are the initial ones: cpu-ref's exactly those of
// reference_initial_parameters, the cpu engine's the same rounded to float.
TEST(KeptParameters, AtZeroEpochsAreTheInitialParameters) {
  const SweepPlan plan = moons_plan(0);
  CpuReferenceEngine reference(kThreads);
  const std::vector<NetworkResult> ref = train(reference, plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan);
  for (std::int64_t i = 0; i < plan.item_count(); ++i) {
    if (ref[i].parameters.empty()) continue;
    const std::vector<double> initial = reference_initial_parameters(plan, plan.item(i));
    ASSERT_EQ(ref[i].parameters, initial) << "item " << i;
    ASSERT_EQ(cpu[i].parameters.size(), initial.size());
    for (std::size_t k = 0; k < initial.size(); ++k)
      EXPECT_EQ(cpu[i].parameters[k], static_cast<double>(static_cast<float>(initial[k])));
  }
}

// The kept parameters are the ones the network was measured with: they reproduce its test
// accuracy (cpu-ref: by an independent forward pass in double; cpu: by the float engines' own
// test-set measurement, and their bits hash to the fingerprint the engine measured), so they
// belong to this network and not to a neighbour in the chunk.
TEST(KeptParameters, ReproduceTheMeasuredTestAccuracy) {
  const SweepPlan plan = moons_plan(200);
  CpuReferenceEngine reference(kThreads);
  const std::vector<NetworkResult> ref = train(reference, plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan);
  int checked = 0;
  for (std::int64_t i = 0; i < plan.item_count(); ++i) {
    if (ref[i].parameters.empty()) continue;
    const Config& c = plan.configs[plan.item(i).config];
    const Task& task = plan.task_of(c);
    ASSERT_TRUE(ref[i].test_accuracy.has_value());
    EXPECT_EQ(
        static_cast<double>(correct_on_test_set(plan, c, ref[i].parameters)) / task.test_samples,
        *ref[i].test_accuracy)
        << "cpu-ref, item " << i;
    const std::vector<float> floats(cpu[i].parameters.begin(), cpu[i].parameters.end());
    // The hash of their bits is the one the engine measured on its final parameters.
    EXPECT_EQ(fingerprint_of(floats.data(), static_cast<long long>(floats.size())),
              cpu[i].fingerprint)
        << "cpu, item " << i;
    const SetEvaluation e =
        evaluate_float_network(plan.shape_of(c), c.activation, c.loss, floats.data(),
                               task.test_x.data(), task.test_target.data(), task.test_samples);
    EXPECT_EQ(static_cast<double>(e.correct) / task.test_samples, *cpu[i].test_accuracy)
        << "cpu, item " << i;
    ++checked;
  }
  EXPECT_EQ(checked, 8);  // 4 configurations x 2 kept replicates
}

// The cpu engine trains in float, cpu-ref in double, from the same initial parameters: after a
// short, well-conditioned training their final parameters differ by float rounding only.
TEST(KeptParameters, CpuEngineAgreesWithCpuRef) {
  const SweepPlan plan = moons_plan(50);
  CpuReferenceEngine reference(kThreads);
  const std::vector<NetworkResult> ref = train(reference, plan);
  const std::vector<NetworkResult> cpu = train(*make_cpu_engine(kThreads), plan);
  double largest = 0.0;
  for (std::int64_t i = 0; i < plan.item_count(); ++i) {
    ASSERT_EQ(ref[i].parameters.size(), cpu[i].parameters.size());
    for (std::size_t k = 0; k < ref[i].parameters.size(); ++k) {
      const double a = ref[i].parameters[k], b = cpu[i].parameters[k];
      largest = std::max(largest, std::fabs(a - b) / (1.0 + std::fabs(a)));
    }
  }
  EXPECT_LT(largest, 1e-4);
  EXPECT_GT(largest, 0.0) << "float and double training should not give identical bits";
}

}  // namespace
}  // namespace symbreak
