// Tests kernels/kernel_choice.cuh: choose_kernel takes the smallest per-thread bucket that holds
// the network (depth exact, width and inputs within the bucket, momentum matching), the per-warp
// kernel up to width 32, 12 inputs and depth 2 when no bucket fits, and the layered kernels beyond;
// every bucket is chosen for some shape; dispatch_thread_bucket instantiates bucket b's shape;
// Adam, RMSprop, weight decay, dropout and gradient noise always train with the layered kernels.
#include "kernels/kernel_choice.cuh"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace symbreak {
namespace {

constexpr int kBucketCount = static_cast<int>(kThreadBuckets.size());

TrainJob job_of(int depth, int width, int inputs, bool momentum) {
  TrainJob job;
  job.shape = NetworkShape{inputs, width, depth};
  job.momentum = momentum ? 0.9f : 0.0f;
  return job;
}

bool fits(const ThreadBucket& k, int depth, int width, int inputs, bool momentum) {
  return k.depth == depth && width <= k.max_width && inputs <= k.max_inputs &&
         k.momentum == momentum;
}

// Registers one thread holds for the bucket's parameters: what "smallest" means.
int bucket_size(const ThreadBucket& k) {
  const int inner = k.depth == 2 ? k.max_width * (k.max_width + 1) : 0;
  return k.max_width * (k.max_inputs + 2) + inner + 1;
}

std::string shape_name(int depth, int width, int inputs, bool momentum) {
  return "depth " + std::to_string(depth) + " width " + std::to_string(width) + " inputs " +
         std::to_string(inputs) + (momentum ? " momentum" : "");
}

TEST(ChooseKernel, EveryShapeGetsTheSmallestFittingBucketThenWarpThenLayered) {
  for (int depth = 1; depth <= 4; ++depth) {
    for (int width = 1; width <= 40; ++width) {
      for (int inputs = 1; inputs <= 14; ++inputs) {
        for (const bool momentum : {false, true}) {
          SCOPED_TRACE(shape_name(depth, width, inputs, momentum));
          const KernelChoice choice = choose_kernel(job_of(depth, width, inputs, momentum));
          int smallest = -1;
          for (int b = 0; b < kBucketCount; ++b) {
            if (!fits(kThreadBuckets[b], depth, width, inputs, momentum)) continue;
            if (smallest < 0 ||
                bucket_size(kThreadBuckets[b]) < bucket_size(kThreadBuckets[smallest]))
              smallest = b;
          }
          if (smallest >= 0) {
            ASSERT_EQ(choice.kind, KernelKind::fused_thread);
            ASSERT_EQ(choice.bucket, smallest);
          } else if (depth <= 2 && width <= 32 && inputs <= 12) {
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

TEST(ChooseKernel, OptimisersAndRegularisersTrainWithTheLayeredKernels) {
  for (const int width : {2, 8, 32}) {  // a per-thread bucket, the per-warp kernel, both
    TrainJob plain = job_of(1, width, 2, false);
    ASSERT_NE(choose_kernel(plain).kind, KernelKind::layered);
    TrainJob adam = plain, rmsprop = plain, decay = plain, dropout = plain, noise = plain;
    adam.optimizer = Optimizer::adam;
    rmsprop.optimizer = Optimizer::rmsprop;
    decay.weight_decay = 0.01f;
    dropout.dropout = 0.5f;
    noise.grad_noise = 0.01;
    for (const TrainJob& job : {adam, rmsprop, decay, dropout, noise}) {
      EXPECT_FALSE(fused_kernels_train(job));
      EXPECT_EQ(choose_kernel(job).kind, KernelKind::layered) << "width " << width;
    }
  }
}

TEST(ChooseKernel, WarpLimitsAreWidth32Inputs12Depth2) {
  EXPECT_EQ(kWarpMaxWidth, 32);
  EXPECT_EQ(kWarpMaxInputs, 12);
  EXPECT_EQ(kWarpMaxDepth, 2);
  for (const bool momentum : {false, true}) {
    EXPECT_EQ(choose_kernel(job_of(1, 32, 12, momentum)).kind, KernelKind::fused_warp);
    EXPECT_EQ(choose_kernel(job_of(2, 32, 12, momentum)).kind, KernelKind::fused_warp);
    EXPECT_EQ(choose_kernel(job_of(2, 33, 2, momentum)).kind, KernelKind::layered);
    EXPECT_EQ(choose_kernel(job_of(1, 4, 13, momentum)).kind, KernelKind::layered);
    EXPECT_EQ(choose_kernel(job_of(3, 1, 2, momentum)).kind, KernelKind::layered);
    EXPECT_EQ(choose_kernel(job_of(1, 1000, 2, momentum)).kind, KernelKind::layered);
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
    const KernelChoice choice =
        choose_kernel(job_of(k.depth, k.max_width, k.max_inputs, k.momentum));
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
                   o.max_inputs == k.max_inputs && o.momentum == k.momentum)
          << "buckets " << c << " and " << b << " are the same";
    }
  }
}

TEST(DispatchThreadBucket, CallsExactlyBucketBsInstantiation) {
  for (int b = 0; b < kBucketCount; ++b) {
    int calls = 0;
    ThreadBucket seen{};
    dispatch_thread_bucket(b, [&]<int D, int W, int I, bool M>() {
      ++calls;
      seen = ThreadBucket{D, W, I, M};
    });
    EXPECT_EQ(calls, 1) << "bucket " << b;
    const ThreadBucket& k = kThreadBuckets[b];
    EXPECT_EQ(seen.depth, k.depth);
    EXPECT_EQ(seen.max_width, k.max_width);
    EXPECT_EQ(seen.max_inputs, k.max_inputs);
    EXPECT_EQ(seen.momentum, k.momentum);
  }
  int calls = 0;
  dispatch_thread_bucket(-1, [&]<int, int, int, bool>() { ++calls; });
  dispatch_thread_bucket(kBucketCount, [&]<int, int, int, bool>() { ++calls; });
  EXPECT_EQ(calls, 0) << "an index outside the table runs nothing";
}

}  // namespace
}  // namespace symbreak
