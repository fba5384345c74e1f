// Tests kernels/fused_thread.cuh on the host, through dispatch_thread_bucket exactly as the cpu
// engine and the CUDA launcher call it: for every per-thread bucket of SGD with or without momentum
// (Adam's and RMSprop's buckets compute the layered kernels' bits: tests/kernels/test_breakers),
// float training follows the same training in double (docs/method.md §3-4) at widths on and inside
// the bucket's edges, every activation and loss, full batch and minibatches; TrainState matches the
// reference evaluation (docs/method.md §6); segments compose bit for bit; symmetric neurons stay
// bit-for-bit identical.
#include "kernels/fused_thread.cuh"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "float_training_cases.hpp"
#include "kernels/kernel_choice.cuh"

namespace symbreak {
namespace {

constexpr int kBucketCount = static_cast<int>(kThreadBuckets.size());
constexpr int kGuard = 8;  // floats after the network that training must leave alone

// Trains `c` from its initial parameters through `segments` with bucket b's instantiation.
FloatRun train_bucket(int b, const TrainingCase& c, const std::vector<EpochSegment>& segments) {
  const std::size_t count = c.initial.size();
  std::vector<float> params(c.initial), velocity(count, 0.0f);
  params.resize(count + kGuard, -7.0f);
  velocity.resize(count + kGuard, -7.0f);
  const TrainJob job = c.job();
  TrainState state;
  for (const EpochSegment segment : segments) {
    dispatch_thread_bucket(b, [&]<int D, int W, int I, UpdateRule R>() {
      fused_thread_train<D, W, I, R>(job, segment, params.data(), velocity.data(), nullptr, state);
    });
  }
  for (int k = 0; k < kGuard; ++k) {
    EXPECT_EQ(params[count + k], -7.0f) << "wrote past the parameters";
    EXPECT_EQ(velocity[count + k], -7.0f) << "wrote past the velocity";
  }
  params.resize(count);
  velocity.resize(count);
  return FloatRun{params, velocity, state};
}

FloatRun train_bucket(int b, const TrainingCase& c) {
  return train_bucket(b, c, {EpochSegment{0, c.epochs}});
}

// Widths 1, 3, 7, just above the next smaller bucket, and the bucket's edge.
std::vector<int> widths_for(const ThreadBucket& k) {
  std::set<int> widths;
  for (const int w : {1, 3, 7, k.max_width / 2 + 1, k.max_width - 1, k.max_width}) {
    if (w >= 1 && w <= k.max_width) widths.insert(w);
  }
  return {widths.begin(), widths.end()};
}

// 2 inputs always; 3 and 4 (parity:3, parity:4) where the bucket holds them.
std::vector<std::string> tasks_for(const ThreadBucket& k) {
  std::vector<std::string> tasks = {"xor"};
  if (k.max_inputs >= 3) tasks.push_back("parity:3");
  if (k.max_inputs >= 4) tasks.push_back("parity:4");
  return tasks;
}

CaseSpec spec_for(const ThreadBucket& k, const std::string& task, int width) {
  CaseSpec s;
  s.task = task;
  s.depth = k.depth;
  s.width = width;
  s.momentum = k.rule == UpdateRule::momentum;
  return s;
}

class EveryThreadBucket : public ::testing::TestWithParam<int> {
 protected:
  const ThreadBucket& bucket() const { return kThreadBuckets[GetParam()]; }
};

TEST_P(EveryThreadBucket, FollowsDoublePrecisionTrainingAndReferenceEvaluation) {
  const ThreadBucket& k = bucket();
  const int batches[] = {0, 1, 3};
  AgreementTally tally;
  for (const std::string& task : tasks_for(k)) {
    for (const int width : widths_for(k)) {
      for (const Activation f : kEveryActivation) {
        for (const Loss loss : kEveryLoss) {
          CaseSpec spec = spec_for(k, task, width);
          spec.activation = f;
          spec.loss = loss;
          spec.batch = batches[tally.cases % 3];
          DoubleRun reference;
          const TrainingCase c = clear_case(spec, 100u + tally.cases, reference);
          ASSERT_EQ(choose_kernel(c.job()).kind, KernelKind::fused_thread);
          const FloatRun run = train_bucket(GetParam(), c);
          tally.add(expect_follows_double(c, run, reference), reference);
        }
      }
    }
  }
  tally.record();
  EXPECT_GT(tally.cases, 0);
}

// `and` and `or` are learnt within a few dozen epochs, so epoch_solved lands strictly inside the
// run, where the full-batch and minibatch bookkeeping differ.
TEST_P(EveryThreadBucket, EpochSolvedCorrectAndLossMatchTheReference) {
  const ThreadBucket& k = bucket();
  int solved_inside = 0, cases = 0;
  for (const char* task : {"and", "or"}) {
    for (const int batch : {0, 1, 3}) {
      for (const Activation f : {Activation::tanh, Activation::sigmoid, Activation::relu}) {
        CaseSpec spec = spec_for(k, task, std::min(k.max_width, 3));
        spec.activation = f;
        spec.batch = batch;
        spec.epochs = 40;
        DoubleRun reference;
        const TrainingCase c = clear_case(spec, 500u + cases, reference);
        const FloatRun run = train_bucket(GetParam(), c);
        expect_follows_double(c, run, reference);
        solved_inside += reference.epoch_solved > 0 && reference.epoch_solved < spec.epochs;
        ++cases;
      }
    }
  }
  EXPECT_GE(solved_inside, 3) << "the test needs networks solved during training";
}

TEST_P(EveryThreadBucket, SegmentsComposeBitForBit) {
  const ThreadBucket& k = bucket();
  for (const int batch : {0, 3}) {
    CaseSpec spec = spec_for(k, k.max_inputs >= 3 ? "parity:3" : "xor", k.max_width);
    spec.batch = batch;
    spec.epochs = 25;
    const TrainingCase c = make_case(spec, 42);
    SCOPED_TRACE(c.describe());
    const FloatRun whole = train_bucket(GetParam(), c);
    // An empty segment only evaluates; it must change nothing.
    const FloatRun pieces =
        train_bucket(GetParam(), c, {{0, 7}, {7, 7}, {7, 8}, {8, 19}, {19, 25}});
    EXPECT_TRUE(same_bits(whole.params, pieces.params));
    EXPECT_TRUE(same_bits(whole.velocity, pieces.velocity));
    EXPECT_EQ(whole.state.epoch_solved, pieces.state.epoch_solved);
    EXPECT_EQ(whole.state.correct, pieces.state.correct);
    EXPECT_TRUE(same_bits(whole.state.loss, pieces.state.loss));
  }
}

// A float engine must never break a symmetry that exact arithmetic keeps (docs/method.md §9).
TEST_P(EveryThreadBucket, SymmetricNeuronsStayBitwiseIdentical) {
  const ThreadBucket& k = bucket();
  for (const int width : {2, k.max_width}) {
    for (const Activation f : kEveryActivation) {
      for (const int batch : {0, 1, 3}) {
        CaseSpec spec = spec_for(k, k.max_inputs >= 3 ? "parity:3" : "and", width);
        spec.activation = f;
        spec.batch = batch;
        spec.epochs = 30;
        TrainingCase c = make_case(spec, 0);
        c.initial = symmetric_parameters(c.shape, 11u + static_cast<std::uint32_t>(f));
        SCOPED_TRACE(c.describe());
        ASSERT_TRUE(hidden_neurons_bitwise_identical(c.shape, c.initial));
        const FloatRun run = train_bucket(GetParam(), c);
        EXPECT_FALSE(same_bits(run.params, c.initial)) << "training must move the parameters";
        EXPECT_TRUE(hidden_neurons_bitwise_identical(c.shape, run.params));
      }
    }
  }
}

std::string bucket_name(const ::testing::TestParamInfo<int>& info) {
  const ThreadBucket& k = kThreadBuckets[info.param];
  return "depth" + std::to_string(k.depth) + "_width" + std::to_string(k.max_width) + "_inputs" +
         std::to_string(k.max_inputs) + (k.rule == UpdateRule::momentum ? "_momentum" : "");
}

// The buckets whose training the double reference of float_training_cases.hpp knows.
std::vector<int> sgd_buckets() {
  std::vector<int> buckets;
  for (int b = 0; b < kBucketCount; ++b) {
    const UpdateRule rule = kThreadBuckets[b].rule;
    if (rule == UpdateRule::sgd || rule == UpdateRule::momentum) buckets.push_back(b);
  }
  return buckets;
}

INSTANTIATE_TEST_SUITE_P(Buckets, EveryThreadBucket, ::testing::ValuesIn(sgd_buckets()),
                         bucket_name);

}  // namespace
}  // namespace symbreak
