// The host backend of FloatEngine: parameters in std::vectors, each network trained by the kernel
// the CUDA engine would pick for it, in packs of networks of one configuration, one network per
// SIMD lane (cpu_lanes.hpp); each pack is one task of a parallel_for.
#include "host/engines/cpu_engine.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "host/engines/cpu_lanes.hpp"
#include "host/engines/float_engine.hpp"
#include "host/sweep/parallel_for.hpp"
#include "kernels/for_each.cuh"
#include "kernels/fused_thread.cuh"
#include "kernels/fused_warp.cuh"
#include "kernels/layered_train.cuh"

namespace symbreak {
namespace {

// Whether this CPU runs the instruction set the SIMD lanes were compiled for
// (cmake/SymbreakSimdLevel.cmake); checked here, in code compiled for the default instruction set.
bool lanes_run_here() {
#if defined(SYMBREAK_SIMD_LEVEL) && SYMBREAK_SIMD_LEVEL == 4
  return __builtin_cpu_supports("x86-64-v4");
#elif defined(SYMBREAK_SIMD_LEVEL) && SYMBREAK_SIMD_LEVEL == 3
  return __builtin_cpu_supports("x86-64-v3");
#else
  return true;
#endif
}

// Trains one network with the per-warp function on the host (HostWarp holds all 32 lanes).
void train_warp(const TrainJob& job, EpochSegment segment, float* p, float* s1, float* s2,
                TrainState& st) {
  with_update_rule(update_rule(job), [&]<UpdateRule R>() {
    if (job.shape.depth == 1) {
      fused_warp_train<HostWarp, 1, R>(job, segment, p, s1, s2, st);
    } else if constexpr (warp_kernel_trains(2, R)) {  // the variants the GPU has
      fused_warp_train<HostWarp, 2, R>(job, segment, p, s1, s2, st);
    }
  });
}

// Trains one network with the layered element operations, as a batch of one network.
void train_layered(const TrainJob& job, EpochSegment segment, float* p, float* v, float* m2,
                   std::uint32_t replicate, TrainState& st) {
  LayeredBatch b;
  b.job = job;
  b.networks = 1;
  b.capacity = job.batch;
  std::vector<float> z, a, delta, mask;
  b.params = p;
  b.velocity = v;
  b.moment2 = m2;
  b.replicate = &replicate;
  z.resize(b.total_units());
  a.resize(z.size());
  delta.resize(z.size());
  if (job.dropout > 0.0f) mask.resize(z.size());
  b.z = z.data();
  b.a = a.data();
  b.delta = delta.data();
  b.mask = mask.data();
  float loss_sum = 0.0f;
  int correct = 0;
  b.loss_sum = &loss_sum;
  b.correct = &correct;
  b.state = &st;
  const HostExecutor exec;
  layered_train(exec, CustomProducts<HostExecutor>{exec}, b, segment);
}

class CpuBackend final : public FloatBackend {
 public:
  explicit CpuBackend(int threads) : threads_(threads), lanes_(lanes_run_here()) {}

  void load(const FloatChunk& chunk, const std::vector<FloatTask>& tasks) override {
    chunk_ = &chunk;
    jobs_ = chunk.jobs;
    for (std::size_t j = 0; j < jobs_.size(); ++j) {
      jobs_[j].x = tasks[chunk.job_task[j]].x.data();
      jobs_[j].y = tasks[chunk.job_task[j]].y.data();
    }
    initial_parameters(chunk, threads_, params_);
    velocity_.assign(chunk.parameter_total, 0.0f);
    const bool adam = std::any_of(jobs_.begin(), jobs_.end(), [](const TrainJob& job) {
      return job.optimizer == Optimizer::adam;
    });
    moment2_.assign(adam ? chunk.parameter_total : 0, 0.0f);
    states_.assign(chunk.job_of.size(), TrainState{});
    initial_ = params_;
    // Work units: packs of up to pack_lanes() networks of one job (a job's networks are
    // consecutive, with consecutive parameters), or single networks where the CPU lacks the lanes'
    // instruction set.
    units_.clear();
    for (std::size_t j = 0; j < jobs_.size(); ++j) {
      const int step = lanes_ ? pack_lanes() : 1;
      for (int first = 0; first < chunk.job_count[j]; first += step) {
        units_.push_back(Unit{static_cast<int>(j), chunk.job_first[j] + first,
                              std::min(step, chunk.job_count[j] - first)});
      }
    }
  }

  void train(EpochSegment segment) override {
    const FloatChunk& chunk = *chunk_;
    parallel_for(static_cast<std::int64_t>(units_.size()), threads_, [&](std::int64_t u) {
      const Unit& unit = units_[u];
      const TrainJob& job = jobs_[unit.job];
      float* p = params_.data() + chunk.offset[unit.first];
      float* v = velocity_.data() + chunk.offset[unit.first];
      float* m2 = moment2_.empty() ? nullptr : moment2_.data() + chunk.offset[unit.first];
      TrainState* st = states_.data() + unit.first;
      const std::uint32_t* replicates = chunk.replicate.data() + unit.first;
      if (lanes_) {
        train_pack_on_host(job, chunk.kernels[unit.job], segment, unit.count, p, v, st, m2,
                           replicates);
      } else {
        train_network_on_host(job, chunk.kernels[unit.job], segment, p, v, *st, m2, *replicates);
      }
    });
  }

  void measure(double tol, std::vector<NetworkMeasure>& out, std::vector<int>& distinct) override {
    const FloatChunk& chunk = *chunk_;
    const auto count = static_cast<std::int64_t>(chunk.job_of.size());
    out.resize(count);
    distinct.assign(chunk.depth_total, 0);
    parallel_for(count, threads_, [&](std::int64_t k) {
      const NetworkShape& shape = jobs_[chunk.job_of[k]].shape;
      std::vector<int> parent(shape.width);
      std::vector<double> norm(shape.width);
      out[k].state = states_[k];
      out[k].metrics = measure_network(
          shape, params_.data() + chunk.offset[k], initial_.data() + chunk.offset[k], tol,
          distinct.data() + chunk.depth_offset[k], parent.data(), norm.data());
    });
  }

  double memory_budget() const override { return 1e9; }
  void final_parameters(std::vector<float>& params) override { params = params_; }
  void final_parameters_of(std::int64_t k, std::span<float> out) override {
    const float* first = params_.data() + chunk_->offset[k];
    std::copy(first, first + out.size(), out.begin());
  }
  int host_threads() const override { return threads_; }

 private:
  int threads_;
  bool lanes_;  // train packs of networks (else one network at a time)
  const FloatChunk* chunk_ = nullptr;
  std::vector<TrainJob> jobs_;
  std::vector<float> params_, velocity_, moment2_, initial_;
  std::vector<TrainState> states_;
  struct Unit {
    int job, first, count;  // networks first ... first + count - 1 of job
  };
  std::vector<Unit> units_;
};

}  // namespace

void train_network_on_host(const TrainJob& job, KernelChoice choice, EpochSegment segment,
                           float* params, float* velocity, TrainState& state, float* moment2,
                           std::uint32_t replicate) {
  if (choice.kind != KernelKind::layered && !fused_kernels_train(job)) {
    throw std::invalid_argument(
        "train_network_on_host: dropout and gradient noise train with the layered kernels only");
  }
  if (choice.kind == KernelKind::fused_warp &&
      !warp_kernel_trains(job.shape.depth, update_rule(job))) {
    throw std::invalid_argument(
        "train_network_on_host: no per-warp kernel for this depth and rule");
  }
  if (job.optimizer == Optimizer::adam && moment2 == nullptr) {
    throw std::invalid_argument("train_network_on_host: Adam needs the second moment's array");
  }
  switch (choice.kind) {
    case KernelKind::fused_thread:
      if (choice.bucket < 0 || choice.bucket >= static_cast<int>(kThreadBuckets.size()) ||
          kThreadBuckets[choice.bucket].rule != update_rule(job)) {
        throw std::invalid_argument(
            "train_network_on_host: no thread bucket of that index for the job's update rule");
      }
      dispatch_thread_bucket(choice.bucket, [&]<int D, int W, int I, UpdateRule R>() {
        fused_thread_train<D, W, I, R>(job, segment, params, velocity, moment2, state);
      });
      break;
    case KernelKind::fused_warp:
      train_warp(job, segment, params, velocity, moment2, state);
      break;
    case KernelKind::layered:
      train_layered(job, segment, params, velocity, moment2, replicate, state);
      break;
  }
}

std::unique_ptr<Engine> make_cpu_engine(int threads) {
  return std::make_unique<FloatEngine>("cpu", std::make_unique<CpuBackend>(threads), false);
}

}  // namespace symbreak
