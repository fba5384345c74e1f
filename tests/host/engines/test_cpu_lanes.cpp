// Tests host/engines/cpu_lanes.cpp: a pack of networks trained together, one per SIMD lane, ends
// with exactly the bits (parameters, velocity, TrainState) that training each network alone with
// the scalar float code gives — for every per-thread bucket (each with its update rule: SGD,
// momentum, Adam, RMSprop), the per-warp function with every rule it takes and the layered
// operations, every activation and loss, full batch and minibatches, full and partial packs, and
// in segments; and with the options of docs/method.md §4.1 (Adam, RMSprop, weight decay, dropout,
// gradient noise) on every kind of kernel, each lane drawing its own network's masks and noise.
#include "host/engines/cpu_lanes.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "host/engines/cpu_engine.hpp"
#include "kernels/float_math.cuh"
#include "tests/kernels/float_training_cases.hpp"

namespace symbreak {
namespace {

bool same_bits(float a, float b) {
  return float_bits(a) == float_bits(b);
}

struct Networks {
  std::vector<float> params, velocity, moment2;
  std::vector<TrainState> states;
};

// `lanes` networks of case c's configuration, each from its own random start; with `symmetric`,
// every hidden neuron of network i starts like neuron 0 (the case symmetry must survive).
Networks starts(const TrainingCase& c, int lanes, bool symmetric) {
  const NetworkShape& s = c.shape;
  const std::int64_t count = s.parameter_count();
  Networks n;
  for (int i = 0; i < lanes; ++i) {
    std::vector<float> p = random_parameters(s, 1000u + static_cast<std::uint32_t>(i));
    if (symmetric) {
      for (int l = 1; l <= s.layers(); ++l) {
        const int fan_in = s.units(l - 1);
        for (int r = 0; r < s.units(l); ++r) {
          for (int j = 0; j < fan_in; ++j) {
            const int col = l > 1 ? 0 : j;  // layers above the first: every entry alike
            p[s.weight_offset(l) + r * fan_in + j] = p[s.weight_offset(l) + col];
          }
          p[s.bias_offset(l) + r] = p[s.bias_offset(l)];
        }
      }
    }
    n.params.insert(n.params.end(), p.begin(), p.end());
  }
  n.velocity.assign(n.params.size(), 0.0f);
  n.moment2.assign(n.params.size(), 0.0f);
  n.states.assign(lanes, TrainState{});
  (void)count;
  return n;
}

void expect_same(const Networks& a, const Networks& b, const std::string& what) {
  ASSERT_EQ(a.params.size(), b.params.size());
  int mismatches = 0;
  for (std::size_t k = 0; k < a.params.size(); ++k) {
    if (!same_bits(a.params[k], b.params[k]) || !same_bits(a.velocity[k], b.velocity[k]) ||
        !same_bits(a.moment2[k], b.moment2[k])) {
      if (++mismatches <= 3) {
        ADD_FAILURE() << what << ": parameter " << k << " pack " << a.params[k] << " scalar "
                      << b.params[k];
      }
    }
  }
  EXPECT_EQ(mismatches, 0) << what;
  for (std::size_t i = 0; i < a.states.size(); ++i) {
    EXPECT_EQ(a.states[i].epoch_solved, b.states[i].epoch_solved) << what << " network " << i;
    EXPECT_EQ(a.states[i].correct, b.states[i].correct) << what << " network " << i;
    EXPECT_TRUE(same_bits(a.states[i].loss, b.states[i].loss)) << what << " network " << i;
  }
}

// Trains `lanes` networks as one pack and one by one, through the given segments, and compares.
// Network i is replicate 5 + 3i (keying its dropout masks and gradient noise).
void check_case(const TrainingCase& c, int lanes, bool symmetric,
                const std::vector<EpochSegment>& segments) {
  const TrainJob job = c.job();
  const KernelChoice choice = choose_kernel(job);
  const std::int64_t count = c.shape.parameter_count();
  Networks pack = starts(c, lanes, symmetric), alone = pack;
  std::vector<std::uint32_t> replicates;
  for (int i = 0; i < lanes; ++i)
    replicates.push_back(5u + 3u * static_cast<std::uint32_t>(i));
  for (const EpochSegment segment : segments) {
    train_pack_on_host(job, choice, segment, lanes, pack.params.data(), pack.velocity.data(),
                       pack.states.data(), pack.moment2.data(), replicates.data());
    for (int i = 0; i < lanes; ++i) {
      train_network_on_host(job, choice, segment, alone.params.data() + i * count,
                            alone.velocity.data() + i * count, alone.states[i],
                            alone.moment2.data() + i * count, replicates[i]);
    }
  }
  expect_same(pack, alone, c.describe() + " lanes " + std::to_string(lanes));
}

void check(const CaseSpec& spec, int lanes, bool symmetric,
           const std::vector<EpochSegment>& segments) {
  check_case(make_case(spec, 7), lanes, symmetric, segments);
}

TEST(CpuLanes, EveryThreadBucketMatchesScalarTraining) {
  for (const ThreadBucket& b : kThreadBuckets) {
    CaseSpec spec;
    spec.task = b.max_inputs >= 4 ? "parity:4" : "xor";
    spec.depth = b.depth;
    spec.width = b.max_width - 1;
    TrainingCase c = make_rule_case(spec, b.rule, 7);
    ASSERT_EQ(choose_kernel(c.job()).kind, KernelKind::fused_thread);
    check_case(c, pack_lanes(), false, {EpochSegment{0, 8}, EpochSegment{8, 20}});
    c.weight_decay = 0.01;
    check_case(c, pack_lanes() / 2 + 1, false, {EpochSegment{0, 20}});
  }
}

TEST(CpuLanes, EveryActivationAndLossMatchesScalarTraining) {
  for (const Activation f : kEveryActivation) {
    for (const Loss loss : kEveryLoss) {
      for (const int width : {3, 20}) {  // per thread, per warp
        CaseSpec spec;
        spec.width = width;
        spec.activation = f;
        spec.loss = loss;
        check(spec, pack_lanes(), false, {EpochSegment{0, 15}});
      }
    }
  }
}

TEST(CpuLanes, WarpDepthsRulesAndMinibatchesMatchScalarTraining) {
  for (const int depth : {1, 2}) {
    for (const UpdateRule rule :
         {UpdateRule::sgd, UpdateRule::momentum, UpdateRule::adam, UpdateRule::rmsprop}) {
      if (!warp_kernel_trains(depth, rule)) continue;
      for (const int batch : {0, 3}) {
        CaseSpec spec;
        spec.task = "parity:3";
        spec.depth = depth;
        spec.width = 12;
        spec.batch = batch;
        TrainingCase c = make_rule_case(spec, rule, 7);
        c.weight_decay = batch == 3 ? 0.01 : 0.0;
        ASSERT_EQ(choose_kernel(c.job()).kind, KernelKind::fused_warp);
        check_case(c, pack_lanes(), false, {EpochSegment{0, 6}, EpochSegment{6, 15}});
      }
    }
  }
}

TEST(CpuLanes, LayeredShapesMatchScalarTraining) {
  for (const Activation f : {Activation::tanh, Activation::relu, Activation::sigmoid}) {
    for (const bool momentum : {false, true}) {
      for (const int batch : {0, 3}) {
        CaseSpec spec;
        spec.task = "parity:3";
        spec.depth = 3;
        spec.width = 5;
        spec.activation = f;
        spec.momentum = momentum;
        spec.batch = batch;
        check(spec, pack_lanes(), false, {EpochSegment{0, 10}});
      }
    }
  }
  CaseSpec wide;
  wide.width = 33;  // wider than a warp
  wide.loss = Loss::mse;
  check(wide, pack_lanes() - 1, false, {EpochSegment{0, 4}, EpochSegment{4, 9}});
}

// Adam, RMSprop, weight decay, dropout and gradient noise (docs/method.md §4.1), alone and
// together, in full and partial packs, through segments: every lane computes its own network's
// bits.
TEST(CpuLanes, OptimisersAndRegularisersMatchScalarTraining) {
  struct Options {
    Optimizer optimizer;
    double weight_decay, dropout, grad_noise;
  };
  for (const Options o :
       {Options{Optimizer::adam, 0.0, 0.0, 0.0}, Options{Optimizer::rmsprop, 0.01, 0.0, 0.0},
        Options{Optimizer::sgd, 0.02, 0.0, 0.0}, Options{Optimizer::sgd, 0.0, 0.4, 0.0},
        Options{Optimizer::sgd, 0.0, 0.0, 0.03}, Options{Optimizer::adam, 0.01, 0.3, 0.01}}) {
    // Per thread (xor, width 3) and per warp (width 12) unless the job draws; layered (depth 3).
    for (const auto& [task, depth, width, batch] :
         {std::tuple{"xor", 1, 3, 0}, std::tuple{"xor", 1, 3, 3}, std::tuple{"parity:3", 1, 12, 0},
          std::tuple{"parity:3", 1, 12, 3}, std::tuple{"parity:3", 3, 4, 3}}) {
      CaseSpec spec;
      spec.task = task;
      spec.depth = depth;
      spec.width = width;
      spec.batch = batch;
      TrainingCase c = make_case(spec, 7);
      c.optimizer = o.optimizer;
      c.weight_decay = o.weight_decay;
      c.dropout = o.dropout;
      c.grad_noise = o.grad_noise;
      c.seed = 99u;
      if (o.optimizer != Optimizer::sgd) c.lr = 0.02f;
      check_case(c, pack_lanes(), false, {EpochSegment{0, 6}, EpochSegment{6, 15}});
      check_case(c, pack_lanes() / 2 + 1, true, {EpochSegment{0, 15}});
    }
  }
}

TEST(CpuLanes, PartialPacksAndSegmentsMatchScalarTraining) {
  CaseSpec spec;
  spec.width = 4;
  spec.batch = 2;
  // Lanes are 4 (SSE2), 8 (AVX2) or 16 (AVX-512) wide, depending on the build.
  for (const int lanes : {1, pack_lanes() / 2 + 1, pack_lanes() - 1}) {
    check(spec, lanes, false, {EpochSegment{0, 7}, EpochSegment{7, 7}, EpochSegment{7, 30}});
  }
  spec.width = 24;
  check(spec, pack_lanes() - 1, false, {EpochSegment{0, 5}, EpochSegment{5, 12}});
}

TEST(CpuLanes, SymmetricStartsStayIdenticalAsInScalarTraining) {
  for (const int width : {4, 8, 24, 40}) {
    for (const int depth : {1, 2, 3}) {
      CaseSpec spec;
      spec.width = width;
      spec.depth = depth;
      const TrainingCase c = make_case(spec, 3);
      Networks pack = starts(c, pack_lanes(), true);
      for (int i = 0; i < pack_lanes(); ++i) {  // desynchronise the lanes: they must not mix
        pack.params[i * c.shape.parameter_count() + c.shape.bias_offset(c.shape.layers())] +=
            0.01f * static_cast<float>(i);
      }
      const TrainJob job = c.job();
      train_pack_on_host(job, choose_kernel(job), EpochSegment{0, 25}, pack_lanes(),
                         pack.params.data(), pack.velocity.data(), pack.states.data());
      // Every neuron of layer 1 of every network still equals neuron 0, bit for bit.
      const NetworkShape& s = c.shape;
      for (int i = 0; i < pack_lanes(); ++i) {
        const float* p = pack.params.data() + i * s.parameter_count();
        for (int r = 1; r < width; ++r) {
          for (int j = 0; j < s.inputs; ++j) {
            ASSERT_TRUE(
                same_bits(p[s.weight_offset(1) + r * s.inputs + j], p[s.weight_offset(1) + j]))
                << "width " << width << " depth " << depth << " network " << i;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace symbreak
