// The measured table behind `--engine auto` on machines without a GPU, and the choice it drives.
#include "host/engines/engine_choice.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string_view>

#include "host/engines/engine.hpp"
#include "host/engines/float_engine.hpp"

namespace symbreak {
namespace {

// Speeds measured by bench/bench_engines (one BM_Train/<engine>/<shape> per row: tanh,
// xavier-uniform, full batch, 200 epochs), network-epochs per second on all cores. The cpu
// engine's speed depends on the kernel it runs a shape with, so rows are matched by that kernel
// and then by size. To re-measure (e.g. after the cpu engine changes):
//   build/release/bench/bench_engines --benchmark_filter='BM_Train/cpu' --benchmark_repetitions=3
// and copy each shape's net_epochs_per_second of cpu and cpu-ref here.
// Measured 2026-12-05 with the cpu engine's SIMD lanes (AVX-512), on the idle 2-core Zen 5 VM
// (README "Performance", means of two runs' medians): cpu is 6.6-64x faster than cpu-ref on every
// row, so auto takes cpu.
struct MeasuredShape {
  std::string_view cpu_kernel;  // kernel class of the cpu engine: fused-thread, fused-warp, layered
  int inputs;                   // the task's inputs (xor: 2, parity:6: 6)
  int depth;
  int width;
  double cpu_rate;        // network-epochs per second, engine cpu
  double reference_rate;  // network-epochs per second, engine cpu-ref
};

constexpr std::array<MeasuredShape, 6> kMeasured = {{
    {"fused-thread", 2, 1, 4, 1.35e8, 2.09e6},
    {"fused-thread", 2, 1, 8, 8.33e7, 1.42e6},
    {"fused-warp", 2, 1, 24, 1.87e7, 6.36e5},
    {"fused-warp", 2, 1, 32, 1.50e7, 5.04e5},
    {"layered", 2, 3, 16, 1.28e6, 1.94e5},
    {"fused-warp", 6, 2, 32, 1.98e5, 6.91e3},
}};

// FLOP of one epoch of one network, the estimate of bench/bench_shapes.hpp: n (6 W - 2 d H) with
// W = d H + (L - 1) H^2 + H weights.
double epoch_flop(int inputs, int depth, int width) {
  const double n = std::ldexp(1.0, inputs), d = inputs, h = width, l = depth;
  const double weights = d * h + (l - 1.0) * h * h + h;
  return n * (6.0 * weights - 2.0 * d * h);
}

// The same for any shape, listed widths included: W = Σ n_l n_{l-1} and d H_1.
double epoch_flop(const NetworkShape& s) {
  const double n = std::ldexp(1.0, s.inputs);
  double weights = 0.0;
  for (int l = 1; l <= s.layers(); ++l)
    weights += static_cast<double>(s.weight_count(l));
  return n * (6.0 * weights - 2.0 * s.inputs * s.units(1));
}

std::string_view kernel_class(const std::string& kernel) {
  for (const std::string_view name : {"fused-thread", "fused-warp", "layered"}) {
    if (kernel.starts_with(name)) return name;
  }
  return "layered";
}

// The measured row nearest to `config` in FLOP (by ratio) among those of its cpu kernel class.
const MeasuredShape& nearest_row(const SweepPlan& plan, const Config& config, double flop) {
  const std::string_view kernel =
      kernel_class(kernel_name(kernel_for_job(make_train_job(plan, config), false)));
  const MeasuredShape* best = nullptr;
  double best_distance = std::numeric_limits<double>::infinity();
  for (const MeasuredShape& row : kMeasured) {
    const double distance =
        std::abs(std::log(flop / epoch_flop(row.inputs, row.depth, row.width))) +
        (row.cpu_kernel == kernel ? 0.0 : 1e6);  // another kernel class only if none matches
    if (distance < best_distance) {
      best_distance = distance;
      best = &row;
    }
  }
  return *best;
}

}  // namespace

double estimated_network_epoch_seconds(const SweepPlan& plan, const Config& config,
                                       std::string_view engine) {
  const double flop = epoch_flop(plan.shape_of(config));
  const MeasuredShape& row = nearest_row(plan, config, flop);
  const double rate = engine == "cpu-ref" ? row.reference_rate : row.cpu_rate;
  // Scaled from the measured shape by FLOP: time per FLOP is the row's.
  return flop / (rate * epoch_flop(row.inputs, row.depth, row.width));
}

std::string choose_auto_engine(const SweepPlan& plan, bool reference_allowed) {
  const std::vector<EngineInfo> engines = list_engines();
  // The registry lists engines slowest first; a GPU engine that can run beats the CPU ones.
  for (auto it = engines.rbegin(); it != engines.rend(); ++it) {
    if (it->available && it->name != "cpu" && it->name != "cpu-ref") return it->name;
  }
  if (!reference_allowed) return "cpu";
  double cpu = 0.0, reference = 0.0;
  for (const Config& config : plan.configs) {
    cpu += estimated_network_epoch_seconds(plan, config, "cpu");
    reference += estimated_network_epoch_seconds(plan, config, "cpu-ref");
  }
  return reference < cpu ? "cpu-ref" : "cpu";
}

}  // namespace symbreak
