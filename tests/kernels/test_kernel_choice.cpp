// Tests kernels/kernel_choice.cuh: choose_kernel takes the smallest per-thread bucket that holds
// the network (depth exact, width and inputs within the bucket, update rule matching: SGD,
// momentum, Adam, RMSprop), the per-warp kernel up to width 32, 12 inputs and depth 2 when no
// bucket fits, and the layered kernels beyond; every bucket is chosen for some shape;
// dispatch_thread_bucket instantiates bucket b's shape and rule; weight decay goes where its rule
// goes, while dropout and gradient noise always train with the layered kernels.
#include "kernels/kernel_choice.cuh"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace symbreak {
namespace {

constexpr int kBucketCount = static_cast<int>(kThreadBuckets.size());

constexpr UpdateRule kEveryRule[] = {UpdateRule::sgd, UpdateRule::momentum, UpdateRule::adam,
                                     UpdateRule::rmsprop};

TrainJob job_of(int depth, int width, int inputs, UpdateRule rule) {
  TrainJob job;
  job.shape = NetworkShape{inputs, width, depth};
  job.momentum = rule == UpdateRule::momentum ? 0.9f : 0.0f;
  job.optimizer = rule == UpdateRule::adam      ? Optimizer::adam
                  : rule == UpdateRule::rmsprop ? Optimizer::rmsprop
                                                : Optimizer::sgd;
  return job;
}

bool fits(const ThreadBucket& k, int depth, int width, int inputs, UpdateRule rule) {
  return k.depth == depth && width <= k.max_width && inputs <= k.max_inputs && k.rule == rule;
}

// Registers one thread holds for the bucket's parameters: what "smallest" means.
int bucket_size(const ThreadBucket& k) {
  const int inner = k.depth == 2 ? k.max_width * (k.max_width + 1) : 0;
  return k.max_width * (k.max_inputs + 2) + inner + 1;
}

std::string shape_name(int depth, int width, int inputs, UpdateRule rule) {
  return "depth " + std::to_string(depth) + " width " + std::to_string(width) + " inputs " +
         std::to_string(inputs) + " rule " + std::to_string(static_cast<int>(rule));
}

TEST(ChooseKernel, EveryShapeGetsTheSmallestFittingBucketThenWarpThenLayered) {
  for (int depth = 1; depth <= 4; ++depth) {
    for (int width = 1; width <= 40; ++width) {
      for (int inputs = 1; inputs <= 14; ++inputs) {
        for (const UpdateRule rule : kEveryRule) {
          SCOPED_TRACE(shape_name(depth, width, inputs, rule));
          const KernelChoice choice = choose_kernel(job_of(depth, width, inputs, rule));
          int smallest = -1;
          for (int b = 0; b < kBucketCount; ++b) {
            if (!fits(kThreadBuckets[b], depth, width, inputs, rule)) continue;
            if (smallest < 0 ||
                bucket_size(kThreadBuckets[b]) < bucket_size(kThreadBuckets[smallest]))
              smallest = b;
          }
          if (smallest >= 0) {
            ASSERT_EQ(choice.kind, KernelKind::fused_thread);
            ASSERT_EQ(choice.bucket, smallest);
          } else if (depth <= 2 && width <= 32 && inputs <= 12 &&
                     !(depth == 2 && rule == UpdateRule::adam)) {
            ASSERT_EQ(choice.kind, KernelKind::fused_warp);
            ASSERT_EQ(choice.bucket, -1);
          } else {
            ASSERT_EQ(choice.kind, KernelKind::layered);
            ASSERT_EQ(choice.bucket, -1);
          }
        }
      }
    }
  }
}

// Adam and RMSprop have per-thread buckets of their own where their state fits (Adam not at
// {1, 8, 4}: it spills there); weight decay only adds a runtime scalar, so it goes where its rule
// goes. Dropout and gradient noise train with the layered kernels whatever the shape.
TEST(ChooseKernel, OptimisersAndWeightDecayTrainFusedDropoutAndNoiseLayered) {
  for (const int width : {2, 8, 32}) {  // a per-thread bucket, both, the per-warp kernel
    const TrainJob plain = job_of(1, width, 2, UpdateRule::sgd);
    ASSERT_NE(choose_kernel(plain).kind, KernelKind::layered);
    for (const UpdateRule rule : kEveryRule) {
      TrainJob job = job_of(1, width, 2, rule);
      const KernelChoice choice = choose_kernel(job);
      EXPECT_TRUE(fused_kernels_train(job));
      EXPECT_EQ(choice.kind, width <= 8 ? KernelKind::fused_thread : KernelKind::fused_warp)
          << "width " << width;
      if (choice.kind == KernelKind::fused_thread) {
        EXPECT_EQ(kThreadBuckets[choice.bucket].rule, rule);
      }
      job.weight_decay = 0.01f;
      EXPECT_TRUE(fused_kernels_train(job));
      EXPECT_EQ(choose_kernel(job).kind, choice.kind);
      EXPECT_EQ(choose_kernel(job).bucket, choice.bucket);
      TrainJob dropout = job, noise = job;
      dropout.dropout = 0.5f;
      noise.grad_noise = 0.01;
      for (const TrainJob& drawn : {dropout, noise}) {
        EXPECT_FALSE(fused_kernels_train(drawn));
        EXPECT_EQ(choose_kernel(drawn).kind, KernelKind::layered) << "width " << width;
      }
    }
  }
  EXPECT_EQ(choose_kernel(job_of(1, 8, 4, UpdateRule::adam)).kind, KernelKind::fused_warp);
  // Adam at depth 2 spills in the per-warp kernel too.
  EXPECT_EQ(choose_kernel(job_of(2, 3, 2, UpdateRule::adam)).kind, KernelKind::layered);
  EXPECT_EQ(choose_kernel(job_of(2, 20, 2, UpdateRule::adam)).kind, KernelKind::layered);
  EXPECT_EQ(choose_kernel(job_of(2, 3, 2, UpdateRule::rmsprop)).kind, KernelKind::fused_thread);
  EXPECT_EQ(choose_kernel(job_of(3, 3, 2, UpdateRule::adam)).kind, KernelKind::layered);
}

// Adam at depth 2 has no per-warp variant: a lane's parameters with their two moments spill.
TEST(ChooseKernel, WarpLimitsAreWidth32Inputs12Depth2) {
  EXPECT_EQ(kWarpMaxWidth, 32);
  EXPECT_EQ(kWarpMaxInputs, 12);
  EXPECT_EQ(kWarpMaxDepth, 2);
  for (const UpdateRule rule : kEveryRule) {
    EXPECT_EQ(choose_kernel(job_of(1, 32, 12, rule)).kind, KernelKind::fused_warp);
    EXPECT_EQ(choose_kernel(job_of(2, 32, 12, rule)).kind,
              rule == UpdateRule::adam ? KernelKind::layered : KernelKind::fused_warp);
    EXPECT_EQ(warp_kernel_trains(1, rule), true);
    EXPECT_EQ(warp_kernel_trains(2, rule), rule != UpdateRule::adam);
    EXPECT_FALSE(warp_kernel_trains(3, rule));
    EXPECT_EQ(choose_kernel(job_of(2, 33, 2, rule)).kind, KernelKind::layered);
    EXPECT_EQ(choose_kernel(job_of(1, 4, 13, rule)).kind, KernelKind::layered);
    EXPECT_EQ(choose_kernel(job_of(3, 1, 2, rule)).kind, KernelKind::layered);
    EXPECT_EQ(choose_kernel(job_of(1, 1000, 2, rule)).kind, KernelKind::layered);
  }
}

// Hidden layers of their own sizes are placed by their widest layer, in either position.
TEST(ChooseKernel, PerLayerWidthsGoByTheirWidestLayer) {
  const auto job_with = [](std::vector<int> sizes) {
    TrainJob job;
    job.shape = shape_with_widths(2, sizes.data(), static_cast<int>(sizes.size()));
    return job;
  };
  const KernelChoice small = choose_kernel(job_with({3, 2}));
  ASSERT_EQ(small.kind, KernelKind::fused_thread);
  EXPECT_EQ(kThreadBuckets[small.bucket].depth, 2);
  EXPECT_EQ(kThreadBuckets[small.bucket].max_width, 4);
  EXPECT_EQ(choose_kernel(job_with({2, 4})).kind, KernelKind::fused_thread);
  EXPECT_EQ(choose_kernel(job_with({10, 5})).kind, KernelKind::fused_warp);
  EXPECT_EQ(choose_kernel(job_with({1, 32})).kind, KernelKind::fused_warp);
  EXPECT_EQ(choose_kernel(job_with({33, 1})).kind, KernelKind::layered);
  EXPECT_EQ(choose_kernel(job_with({2, 2, 2})).kind, KernelKind::layered);
}

TEST(ChooseKernel, EveryBucketIsReachableAtItsOwnEdge) {
  std::set<int> reached;
  for (int b = 0; b < kBucketCount; ++b) {
    const ThreadBucket& k = kThreadBuckets[b];
    const KernelChoice choice = choose_kernel(job_of(k.depth, k.max_width, k.max_inputs, k.rule));
    EXPECT_EQ(choice.kind, KernelKind::fused_thread) << "bucket " << b;
    EXPECT_EQ(choice.bucket, b) << "bucket " << b << " is shadowed by another";
    reached.insert(choice.bucket);
  }
  EXPECT_EQ(static_cast<int>(reached.size()), kBucketCount);
}

TEST(ThreadBuckets, AreDistinctAndWithinWhatTheKernelsSupport) {
  for (int b = 0; b < kBucketCount; ++b) {
    const ThreadBucket& k = kThreadBuckets[b];
    EXPECT_TRUE(k.depth == 1 || k.depth == 2) << "bucket " << b;
    EXPECT_GE(k.max_width, 1);
    EXPECT_LE(k.max_width, kWarpMaxWidth);
    EXPECT_GE(k.max_inputs, 2) << "xor, and, or need 2 inputs";
    for (int c = 0; c < b; ++c) {
      const ThreadBucket& o = kThreadBuckets[c];
      EXPECT_FALSE(o.depth == k.depth && o.max_width == k.max_width &&
                   o.max_inputs == k.max_inputs && o.rule == k.rule)
          << "buckets " << c << " and " << b << " are the same";
    }
  }
}

TEST(DispatchThreadBucket, CallsExactlyBucketBsInstantiation) {
  for (int b = 0; b < kBucketCount; ++b) {
    int calls = 0;
    ThreadBucket seen{};
    dispatch_thread_bucket(b, [&]<int D, int W, int I, UpdateRule R>() {
      ++calls;
      seen = ThreadBucket{D, W, I, R};
    });
    EXPECT_EQ(calls, 1) << "bucket " << b;
    const ThreadBucket& k = kThreadBuckets[b];
    EXPECT_EQ(seen.depth, k.depth);
    EXPECT_EQ(seen.max_width, k.max_width);
    EXPECT_EQ(seen.max_inputs, k.max_inputs);
    EXPECT_EQ(seen.rule, k.rule);
  }
  int calls = 0;
  dispatch_thread_bucket(-1, [&]<int, int, int, UpdateRule>() { ++calls; });
  dispatch_thread_bucket(kBucketCount, [&]<int, int, int, UpdateRule>() { ++calls; });
  EXPECT_EQ(calls, 0) << "an index outside the table runs nothing";
}

}  // namespace
}  // namespace symbreak
