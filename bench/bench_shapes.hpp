// What both benchmark binaries measure: the network shapes, the configuration they are trained in,
// how many networks one iteration trains, and the FLOP estimate behind the flop_per_second counter.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "host/config/config.hpp"
#include "host/engines/cpu_lanes.hpp"
#include "host/sweep/parallel_for.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "host/sweep/sweep_plan.hpp"

namespace symbreak::bench {

struct BenchShape {
  const char* label;  // the last part of a benchmark's name
  const char* task;
  int depth;
  int width;
};

// One shape per kernel the cuda engine picks (kernel_choice.cuh), plus one with many samples.
inline constexpr std::array<BenchShape, 6> kShapes = {{
    {"xor_d1_w4", "xor", 1, 4},             // fused per thread (bucket width <= 4)
    {"xor_d1_w8", "xor", 1, 8},             // fused per thread (bucket width <= 8)
    {"xor_d1_w24", "xor", 1, 24},           // fused per warp, 8 idle lanes
    {"xor_d1_w32", "xor", 1, 32},           // fused per warp, every lane busy
    {"xor_d3_w16", "xor", 3, 16},           // layered: deeper than the fused kernels go
    {"parity6_d2_w32", "parity:6", 2, 32},  // fused per warp, 64 samples per epoch
}};

inline constexpr int kEpochs = 200;

// GPU iterations train this many networks: enough threads (per-thread kernel) or warps (per-warp
// kernel) to fill a large GPU; 4096 threads would leave most of an H200's 132 SMs idle.
inline constexpr std::int64_t kGpuNetworks = 1 << 16;

// Every benchmark trains one configuration: tanh, xavier-uniform weights, zero biases, bce,
// lr 0.5, full batch (so one update per epoch), `networks` replicates of seed 0.
inline SweepPlan bench_plan(const BenchShape& shape, std::int64_t networks, int epochs = kEpochs) {
  SweepGrid grid = demo_grid();
  grid.tasks = {shape.task};
  grid.depths = {shape.depth};
  grid.widths = {shape.width};
  grid.activations = {Activation::tanh};
  grid.inits = {parse_init_choice("xavier-uniform")};
  RunSettings run;
  run.epochs = epochs;
  run.seeds = networks;
  return make_plan(grid, run);
}

// The options of docs/method.md §4.1 a BM_Breakers benchmark trains with, against plain SGD on the
// same shape. Adam and RMSprop get the small learning rate they use in practice.
struct BenchBreaker {
  const char* label;
  Optimizer optimizer;
  double lr, weight_decay, dropout, grad_noise;
};

inline constexpr std::array<BenchBreaker, 6> kBreakers = {{
    {"sgd", Optimizer::sgd, 0.5, 0.0, 0.0, 0.0},
    {"adam", Optimizer::adam, 0.01, 0.0, 0.0, 0.0},
    {"rmsprop", Optimizer::rmsprop, 0.01, 0.0, 0.0, 0.0},
    {"weight_decay", Optimizer::sgd, 0.5, 0.01, 0.0, 0.0},
    {"dropout", Optimizer::sgd, 0.5, 0.0, 0.5, 0.0},
    {"grad_noise", Optimizer::sgd, 0.5, 0.0, 0.0, 0.01},
}};

// The shapes the breakers are measured on: one the fused per-thread kernel trains with plain SGD,
// one the per-warp kernel does, and one that is layered either way.
inline constexpr std::array<BenchShape, 3> kBreakerShapes = {{
    {"xor_d1_w8", "xor", 1, 8},
    {"xor_d1_w32", "xor", 1, 32},
    {"xor_d3_w16", "xor", 3, 16},
}};

inline SweepPlan bench_plan(const BenchShape& shape, const BenchBreaker& b, std::int64_t networks) {
  SweepPlan plan = bench_plan(shape, networks);
  for (Config& c : plan.configs) {
    c.optimizer = b.optimizer;
    c.lr = b.lr;
    c.weight_decay = b.weight_decay;
    c.dropout = b.dropout;
    c.grad_noise = b.grad_noise;
  }
  return plan;
}

// FLOP estimate of one epoch of one network: the dense products only, per sample, times the n
// samples of the task (full batch: one forward and one backward pass per sample per epoch).
//   forward   z_l = W_l a_{l-1}              2 FLOP (multiply, add) per weight   2 W
//   gradient  G_l += δ_l a_{l-1}ᵀ             2 FLOP per weight                   2 W
//   deltas    δ_{l-1} = W_lᵀ δ_l, l >= 2      2 FLOP per weight above layer 1    2 (W - d H)
//   FLOP per network-epoch = n (6 W - 2 d H), W = d H + (L - 1) H² + H  (weights, biases excluded)
// Biases, activations, the loss, the SGD update (per parameter per epoch, not per sample) and the
// evaluation after the last epoch are left out, so this slightly underestimates the work done.
inline double flop_per_network_epoch(const NetworkShape& s, int samples) {
  double weights = 0.0;
  for (int l = 1; l <= s.layers(); ++l)
    weights += static_cast<double>(s.weight_count(l));
  return samples * (6.0 * weights - 2.0 * static_cast<double>(s.weight_count(1)));
}

inline double flop_per_network_epoch(const SweepPlan& plan) {
  const Config& c = plan.configs.front();
  return flop_per_network_epoch(plan.shape_of(c), plan.task_of(c).samples);
}

// Networks one iteration of a CPU engine trains: about `flop_per_thread` FLOP of work per core, a
// power of two between two per core (so every core has work to share out) and `cap`.
inline std::int64_t cpu_networks(double flop_per_network, double flop_per_thread,
                                 std::int64_t cap) {
  const int threads = resolve_thread_count(0);
  const double wanted = flop_per_thread * threads / flop_per_network;
  std::int64_t n = 1;
  while (n * 2 <= wanted && n * 2 <= cap)
    n *= 2;
  return std::min<std::int64_t>(std::max<std::int64_t>(n, 2 * threads), cap);
}

// Networks per iteration for an engine. The CPU budgets keep one iteration between about 0.05 and
// 0.3 s on a 2-core EPYC VM, where by the estimate above cpu-ref trains at 0.2-1.3 GFLOP/s and the
// cpu engine (SIMD lanes) at 0.6-2 GFLOP/s on both cores (bench_engines); GPU engines get
// kGpuNetworks. The cpu engine trains packs of pack_lanes() networks, one per SIMD lane
// (host/engines/ cpu_lanes.hpp): it gets at least two full packs per core, or most lanes would
// idle.
inline std::int64_t networks_for(std::string_view engine, double flop_per_network) {
  if (engine == "cuda" || engine == "cublas") return kGpuNetworks;
  if (engine == "cpu-ref") return cpu_networks(flop_per_network, 3e7, 256);
  const std::int64_t full_packs = 2LL * pack_lanes() * resolve_thread_count(0);
  return std::max(cpu_networks(flop_per_network, 2e8, 16384), full_packs);
}

}  // namespace symbreak::bench
