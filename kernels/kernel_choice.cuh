// Which training kernel runs a configuration (docs/method.md §9.1 `cuda`): the per-thread fused
// kernel when the network fits in one thread's registers, the per-warp fused kernel (a lane per
// neuron) up to width 32, and the layered kernels for everything else. The `cpu` engine makes the
// same choice and runs the same code on the host.
//
// The per-thread buckets below are the instantiations that compile without register spills on
// sm_80 and sm_90 (tests/kernels/test_ptxas_resources checks the ptxas report of every one). Each
// is for one update rule: the optimiser's state (velocity, square average, Adam's two moments)
// lives in registers next to the parameters. Adam's two moments spill at {1, 8, 4}, {2, 4, 2} and
// {2, 4, 4} (64 to 264 bytes of stack on sm_80 and sm_90); RMSprop would fit wherever momentum
// does, but has no bucket at {1, 8, 4} and {2, 4, 4}, the two largest: they would take the
// per-thread translation unit past twice its build time with SGD and momentum alone. Those
// networks train with the per-warp kernel (Adam at depth 2: the layered kernels,
// warp_kernel_trains).
#pragma once

#include <array>
#include <utility>

#include "optimizer_step.cuh"
#include "train_job.cuh"

namespace symbreak {

enum class KernelKind : unsigned char { fused_thread, fused_warp, layered };

struct ThreadBucket {
  int depth;      // exact depth
  int max_width;  // widths up to this, masked
  int max_inputs;
  UpdateRule rule;  // update_rule(job) of the jobs it trains
};

// Shapes in increasing size for each depth, each with the rules it has (see above).
inline constexpr std::array<ThreadBucket, 20> kThreadBuckets = {{
    {1, 4, 2, UpdateRule::sgd},      {1, 4, 2, UpdateRule::momentum},
    {1, 4, 2, UpdateRule::rmsprop},  {1, 4, 2, UpdateRule::adam},
    {1, 8, 2, UpdateRule::sgd},      {1, 8, 2, UpdateRule::momentum},
    {1, 8, 2, UpdateRule::rmsprop},  {1, 8, 2, UpdateRule::adam},
    {1, 16, 2, UpdateRule::sgd},     {1, 4, 4, UpdateRule::sgd},
    {1, 4, 4, UpdateRule::momentum}, {1, 4, 4, UpdateRule::rmsprop},
    {1, 4, 4, UpdateRule::adam},     {1, 8, 4, UpdateRule::sgd},
    {1, 8, 4, UpdateRule::momentum}, {2, 4, 2, UpdateRule::sgd},
    {2, 4, 2, UpdateRule::momentum}, {2, 4, 2, UpdateRule::rmsprop},
    {2, 4, 4, UpdateRule::sgd},      {2, 4, 4, UpdateRule::momentum},
}};

// The per-warp kernel: one lane per neuron, so widths up to 32; inputs up to 12 (parity:12).
inline constexpr int kWarpMaxWidth = 32;
inline constexpr int kWarpMaxInputs = 12;
inline constexpr int kWarpMaxDepth = 2;

// Whether the per-warp kernel has a variant for networks of this depth trained with this rule:
// every rule at depth 1, every rule but Adam at depth 2, where a lane's 48 parameters with their
// two moments spill (200 bytes of stack on sm_80 and sm_90).
SYMBREAK_HD constexpr bool warp_kernel_trains(int depth, UpdateRule rule) {
  return depth >= 1 && depth <= kWarpMaxDepth && !(depth == 2 && rule == UpdateRule::adam);
}

struct KernelChoice {
  KernelKind kind = KernelKind::layered;
  int bucket = -1;  // index into kThreadBuckets for fused_thread
};

// Whether the fused kernels can train a job: every update rule (SGD, momentum, Adam, RMSprop) and
// weight decay (docs/method.md §4.1). Dropout and gradient noise train with the layered kernels.
SYMBREAK_HD inline bool fused_kernels_train(const TrainJob& job) {
  return job.dropout == 0.0f && job.grad_noise == 0.0;
}

inline KernelChoice choose_kernel(const TrainJob& job) {
  if (!fused_kernels_train(job)) return KernelChoice{KernelKind::layered, -1};
  const UpdateRule rule = update_rule(job);
  const NetworkShape& s = job.shape;  // s.width: the widest hidden layer; each is masked to its own
  // The smallest bucket that fits: buckets are listed in increasing size for each depth and rule.
  for (int b = 0; b < static_cast<int>(kThreadBuckets.size()); ++b) {
    const ThreadBucket& k = kThreadBuckets[b];
    if (k.depth == s.depth && s.width <= k.max_width && s.inputs <= k.max_inputs &&
        k.rule == rule) {
      return KernelChoice{KernelKind::fused_thread, b};
    }
  }
  if (warp_kernel_trains(s.depth, rule) && s.width <= kWarpMaxWidth && s.inputs <= kWarpMaxInputs) {
    return KernelChoice{KernelKind::fused_warp, -1};
  }
  return KernelChoice{KernelKind::layered, -1};
}

// Calls f.template operator()<DEPTH, MAXW, MAXD, RULE>() for bucket `b`: one switch that the
// CPU engine and the CUDA launcher share, so both can only ever pick the same instantiation.
template <class F, std::size_t... I>
void dispatch_thread_bucket_impl(int b, F&& f, std::index_sequence<I...>) {
  ((b == static_cast<int>(I)
        ? (f.template operator()<kThreadBuckets[I].depth, kThreadBuckets[I].max_width,
                                 kThreadBuckets[I].max_inputs, kThreadBuckets[I].rule>(),
           0)
        : 0),
   ...);
}

template <class F>
void dispatch_thread_bucket(int b, F&& f) {
  dispatch_thread_bucket_impl(b, f, std::make_index_sequence<kThreadBuckets.size()>{});
}

}  // namespace symbreak
