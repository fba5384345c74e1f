// Which training kernel runs a configuration (docs/method.md §9.1 `cuda`): the per-thread fused
// kernel when the network fits in one thread's registers, the per-warp fused kernel (a lane per
// neuron) up to width 32, and the layered kernels for everything else. The `cpu` engine makes the
// same choice and runs the same code on the host.
//
// The per-thread buckets below are the instantiations that compile without register spills on
// sm_80 and sm_90 (tests/kernels/test_ptxas_resources checks the ptxas report of every one).
#pragma once

#include <array>
#include <utility>

#include "train_job.cuh"

namespace symbreak {

enum class KernelKind : unsigned char { fused_thread, fused_warp, layered };

struct ThreadBucket {
  int depth;      // exact depth
  int max_width;  // widths up to this, masked
  int max_inputs;
  bool momentum;
};

inline constexpr std::array<ThreadBucket, 13> kThreadBuckets = {{
    {1, 4, 2, false},
    {1, 4, 2, true},
    {1, 8, 2, false},
    {1, 8, 2, true},
    {1, 16, 2, false},
    {1, 4, 4, false},
    {1, 4, 4, true},
    {1, 8, 4, false},
    {1, 8, 4, true},
    {2, 4, 2, false},
    {2, 4, 2, true},
    {2, 4, 4, false},
    {2, 4, 4, true},
}};

// The per-warp kernel: one lane per neuron, so widths up to 32; inputs up to 12 (parity:12).
inline constexpr int kWarpMaxWidth = 32;
inline constexpr int kWarpMaxInputs = 12;
inline constexpr int kWarpMaxDepth = 2;

struct KernelChoice {
  KernelKind kind = KernelKind::layered;
  int bucket = -1;  // index into kThreadBuckets for fused_thread
};

// Whether the fused kernels can train a job: they run plain SGD with or without momentum. Adam,
// RMSprop, weight decay, dropout and gradient noise (docs/method.md §4.1) train with the layered
// kernels.
SYMBREAK_HD inline bool fused_kernels_train(const TrainJob& job) {
  return job.optimizer == Optimizer::sgd && job.weight_decay == 0.0f && job.dropout == 0.0f &&
         job.grad_noise == 0.0;
}

inline KernelChoice choose_kernel(const TrainJob& job) {
  if (!fused_kernels_train(job)) return KernelChoice{KernelKind::layered, -1};
  const bool momentum = job.momentum != 0.0f;
  const NetworkShape& s = job.shape;  // s.width: the widest hidden layer; each is masked to its own
  // The smallest bucket that fits: buckets are listed in increasing size for each depth.
  for (int b = 0; b < static_cast<int>(kThreadBuckets.size()); ++b) {
    const ThreadBucket& k = kThreadBuckets[b];
    if (k.depth == s.depth && s.width <= k.max_width && s.inputs <= k.max_inputs &&
        k.momentum == momentum) {
      return KernelChoice{KernelKind::fused_thread, b};
    }
  }
  if (s.depth <= kWarpMaxDepth && s.width <= kWarpMaxWidth && s.inputs <= kWarpMaxInputs) {
    return KernelChoice{KernelKind::fused_warp, -1};
  }
  return KernelChoice{KernelKind::layered, -1};
}

// Calls f.template operator()<DEPTH, MAXW, MAXD, MOMENTUM>() for bucket `b`: one switch that the
// CPU engine and the CUDA launcher share, so both can only ever pick the same instantiation.
template <class F, std::size_t... I>
void dispatch_thread_bucket_impl(int b, F&& f, std::index_sequence<I...>) {
  ((b == static_cast<int>(I)
        ? (f.template operator()<kThreadBuckets[I].depth, kThreadBuckets[I].max_width,
                                 kThreadBuckets[I].max_inputs, kThreadBuckets[I].momentum>(),
           0)
        : 0),
   ...);
}

template <class F>
void dispatch_thread_bucket(int b, F&& f) {
  dispatch_thread_bucket_impl(b, f, std::make_index_sequence<kThreadBuckets.size()>{});
}

}  // namespace symbreak
