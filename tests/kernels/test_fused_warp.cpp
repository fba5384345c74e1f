// Tests kernels/fused_warp.cuh on the host with HostWarp (all 32 lanes in one object, the same
// butterfly as the GPU's shuffles): for depth 1 and 2, with and without momentum, float training
// follows the same training in double (docs/method.md §3-4) at widths 1 ... 32 and inputs 2 ... 12,
// every activation and loss, full batch and minibatches (Adam and RMSprop compute the layered
// kernels' bits: tests/kernels/test_breakers); TrainState matches the reference
// evaluation (docs/method.md §6); segments compose bit for bit; symmetric neurons stay bit-for-bit
// identical.
#include "kernels/fused_warp.cuh"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "float_training_cases.hpp"

namespace symbreak {
namespace {

constexpr int kGuard = 8;  // floats after the network that training must leave alone

struct WarpVariant {
  int depth;
  bool momentum;
};

FloatRun train_warp(const WarpVariant& w, const TrainingCase& c,
                    const std::vector<EpochSegment>& segments) {
  const std::size_t count = c.initial.size();
  std::vector<float> params(c.initial), velocity(count, 0.0f);
  params.resize(count + kGuard, -7.0f);
  velocity.resize(count + kGuard, -7.0f);
  const TrainJob job = c.job();
  TrainState state;
  for (const EpochSegment s : segments) {
    float* p = params.data();
    float* v = velocity.data();
    constexpr UpdateRule kSgd = UpdateRule::sgd, kMomentum = UpdateRule::momentum;
    if (w.depth == 1) {
      w.momentum ? fused_warp_train<HostWarp, 1, kMomentum>(job, s, p, v, nullptr, state)
                 : fused_warp_train<HostWarp, 1, kSgd>(job, s, p, v, nullptr, state);
    } else {
      w.momentum ? fused_warp_train<HostWarp, 2, kMomentum>(job, s, p, v, nullptr, state)
                 : fused_warp_train<HostWarp, 2, kSgd>(job, s, p, v, nullptr, state);
    }
  }
  for (int k = 0; k < kGuard; ++k) {
    EXPECT_EQ(params[count + k], -7.0f) << "wrote past the parameters";
    EXPECT_EQ(velocity[count + k], -7.0f) << "wrote past the velocity";
  }
  params.resize(count);
  velocity.resize(count);
  return FloatRun{params, velocity, state};
}

FloatRun train_warp(const WarpVariant& w, const TrainingCase& c) {
  return train_warp(w, c, {EpochSegment{0, c.epochs}});
}

class EveryWarpVariant : public ::testing::TestWithParam<WarpVariant> {
 protected:
  CaseSpec spec(const std::string& task, int width) const {
    CaseSpec s;
    s.task = task;
    s.depth = GetParam().depth;
    s.width = width;
    s.momentum = GetParam().momentum;
    return s;
  }
};

TEST_P(EveryWarpVariant, FollowsDoublePrecisionTrainingAndReferenceEvaluation) {
  const int batches[] = {0, 1, 3};
  AgreementTally tally;
  for (const char* task : {"xor", "parity:3", "parity:4"}) {
    for (const int width : {1, 3, 7, 31, 32}) {
      for (const Activation f : kEveryActivation) {
        for (const Loss loss : kEveryLoss) {
          CaseSpec s = spec(task, width);
          s.activation = f;
          s.loss = loss;
          s.batch = batches[tally.cases % 3];
          DoubleRun reference;
          const TrainingCase c = clear_case(s, 200u + tally.cases, reference);
          const FloatRun run = train_warp(GetParam(), c);
          tally.add(expect_follows_double(c, run, reference), reference);
        }
      }
    }
  }
  tally.record();
}

// Up to the 12 inputs the per-warp kernel holds per lane. parity:12 has 4096 samples: a few epochs
// only, and with that many logits some come close to 0, so only parameters and loss are compared;
// some pre-activation comes close to a kink too, which batches of 1000 dilute below the tolerance.
TEST_P(EveryWarpVariant, FollowsDoublePrecisionTrainingWithManyInputs) {
  struct ManyInputs {
    const char* task;
    int width, batch, epochs;
    Activation f;
    bool clear_logits;
    int attempts;  // starts to draw looking for one clear of kinks
  };
  const ManyInputs cases[] = {
      {"parity:7", 31, 1, 10, Activation::relu, true, 10},
      {"parity:7", 5, 0, 20, Activation::sigmoid, true, 10},
      {"parity:12", 7, 0, 3, Activation::tanh, false, 1},
      {"parity:12", 32, 1000, 2, Activation::leaky_relu, false, 2},
  };
  AgreementTally tally;
  for (const ManyInputs& m : cases) {
    CaseSpec s = spec(m.task, m.width);
    s.batch = m.batch;
    s.epochs = m.epochs;
    s.activation = m.f;
    DoubleRun reference;
    const TrainingCase c = clear_case(s, 300u, reference, m.clear_logits, m.attempts);
    const FloatRun run = train_warp(GetParam(), c);
    tally.add(expect_follows_double(c, run, reference, m.clear_logits), reference);
  }
  tally.record();
}

TEST_P(EveryWarpVariant, EpochSolvedCorrectAndLossMatchTheReference) {
  int solved_inside = 0, cases = 0;
  for (const char* task : {"and", "or"}) {
    for (const int batch : {0, 1, 3}) {
      for (const int width : {3, 32}) {
        CaseSpec s = spec(task, width);
        s.activation = cases % 2 == 0 ? Activation::tanh : Activation::relu;
        s.batch = batch;
        s.epochs = 40;
        DoubleRun reference;
        const TrainingCase c = clear_case(s, 600u + cases, reference);
        expect_follows_double(c, train_warp(GetParam(), c), reference);
        solved_inside += reference.epoch_solved > 0 && reference.epoch_solved < s.epochs;
        ++cases;
      }
    }
  }
  EXPECT_GE(solved_inside, 3) << "the test needs networks solved during training";
}

TEST_P(EveryWarpVariant, SegmentsComposeBitForBit) {
  for (const int batch : {0, 3}) {
    CaseSpec s = spec("parity:4", 31);
    s.batch = batch;
    s.epochs = 25;
    const TrainingCase c = make_case(s, 43);
    SCOPED_TRACE(c.describe());
    const FloatRun whole = train_warp(GetParam(), c);
    const FloatRun pieces = train_warp(GetParam(), c, {{0, 7}, {7, 7}, {7, 8}, {8, 19}, {19, 25}});
    EXPECT_TRUE(same_bits(whole.params, pieces.params));
    EXPECT_TRUE(same_bits(whole.velocity, pieces.velocity));
    EXPECT_EQ(whole.state.epoch_solved, pieces.state.epoch_solved);
    EXPECT_EQ(whole.state.correct, pieces.state.correct);
    EXPECT_TRUE(same_bits(whole.state.loss, pieces.state.loss));
  }
}

// The butterfly sums every lane's terms in the same tree, so neurons that start identical stay
// identical (docs/method.md §9), whatever the width.
TEST_P(EveryWarpVariant, SymmetricNeuronsStayBitwiseIdentical) {
  for (const int width : {2, 7, 31, 32}) {
    for (const Activation f : kEveryActivation) {
      for (const int batch : {0, 1, 3}) {
        CaseSpec s = spec("parity:3", width);
        s.activation = f;
        s.batch = batch;
        s.epochs = 30;
        TrainingCase c = make_case(s, 0);
        c.initial = symmetric_parameters(c.shape, 21u + static_cast<std::uint32_t>(f));
        SCOPED_TRACE(c.describe());
        ASSERT_TRUE(hidden_neurons_bitwise_identical(c.shape, c.initial));
        const FloatRun run = train_warp(GetParam(), c);
        EXPECT_FALSE(same_bits(run.params, c.initial)) << "training must move the parameters";
        EXPECT_TRUE(hidden_neurons_bitwise_identical(c.shape, run.params));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(DepthAndMomentum, EveryWarpVariant,
                         ::testing::Values(WarpVariant{1, false}, WarpVariant{1, true},
                                           WarpVariant{2, false}, WarpVariant{2, true}),
                         [](const ::testing::TestParamInfo<WarpVariant>& info) {
                           return "depth" + std::to_string(info.param.depth) +
                                  (info.param.momentum ? "_momentum" : "");
                         });

}  // namespace
}  // namespace symbreak
