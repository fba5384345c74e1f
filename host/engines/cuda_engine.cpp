// The device backend of FloatEngine: uploads a chunk with its initial parameters (computed on the
// host, so that every engine starts from the same floats), launches the chosen kernels per
// segment and downloads only per-network results.
#include "host/engines/cuda_engine.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <span>
#include <vector>

#include "host/engines/cuda_devices.hpp"
#include "host/engines/float_engine.hpp"
#include "kernels/cublas_handle.hpp"
#include "kernels/device_buffer.cuh"
#include "kernels/device_launch.hpp"

namespace symbreak {
namespace {

// Activations and accumulators of one configuration trained by the layered kernels.
struct LayeredScratch {
  int job = 0;
  DeviceBuffer<float> z, a, delta, mask, grad, loss_sum;
  DeviceBuffer<int> correct;
};

class CudaBackend final : public FloatBackend {
 public:
  CudaBackend(bool use_cublas, int threads) : threads_(threads) {
    if (use_cublas) cublas_ = std::make_unique<CublasHandle>();
  }

  void load(const FloatChunk& chunk, const std::vector<FloatTask>& tasks) override {
    chunk_ = &chunk;
    task_x_.clear();
    task_y_.clear();
    for (const FloatTask& t : tasks) {
      task_x_.push_back(to_device(t.x));
      task_y_.push_back(to_device(t.y));
    }
    jobs_ = chunk.jobs;
    for (std::size_t j = 0; j < jobs_.size(); ++j) {
      jobs_[j].x = task_x_[chunk.job_task[j]].data();
      jobs_[j].y = task_y_[chunk.job_task[j]].data();
    }
    const auto count = static_cast<int>(chunk.job_of.size());
    std::vector<long long> offset(chunk.offset.begin(), chunk.offset.end());
    d_jobs_ = to_device(jobs_);
    d_network_job_ = to_device(chunk.job_of);
    d_offset_ = to_device(offset);
    {
      std::vector<float> initial;
      initial_parameters(chunk, threads_, initial);
      params_ = to_device(initial);
      initial_ = to_device(initial);
    }
    velocity_ = DeviceBuffer<float>(chunk.parameter_total);
    velocity_.zero();
    const bool adam = std::any_of(jobs_.begin(), jobs_.end(), [](const TrainJob& job) {
      return job.optimizer == Optimizer::adam;
    });
    moment2_ = DeviceBuffer<float>(adam ? chunk.parameter_total : 0);
    if (adam) moment2_.zero();
    replicate_ = to_device(chunk.replicate);
    d_depth_offset_ =
        to_device(std::vector<long long>(chunk.depth_offset.begin(), chunk.depth_offset.end()));
    d_width_offset_ =
        to_device(std::vector<long long>(chunk.width_offset.begin(), chunk.width_offset.end()));
    states_ = to_device(std::vector<TrainState>(count));
    nets_ =
        DeviceNetworks{d_jobs_.data(),   d_network_job_.data(), d_offset_.data(), params_.data(),
                       velocity_.data(), initial_.data(),       states_.data(),   count};
    nets_.moment2 = adam ? moment2_.data() : nullptr;
    plan_launches(chunk);
  }

  void train(EpochSegment segment) override {
    for (const auto& [bucket, slots] : thread_slots_) {
      launch_fused_thread(bucket, nets_, slots.data(), static_cast<int>(slots.size()), segment,
                          nullptr);
    }
    for (const auto& [key, networks] : warp_networks_) {
      launch_fused_warp(key.first, key.second, nets_, networks.data(),
                        static_cast<int>(networks.size()), segment, nullptr);
    }
    for (LayeredScratch& s : layered_)
      launch_layered(layered_batch(s), segment, cublas_.get(), nullptr);
    CUDA_CHECK(cudaDeviceSynchronize());
  }

  void measure(double tol, std::vector<NetworkMeasure>& out, std::vector<int>& distinct) override {
    const FloatChunk& chunk = *chunk_;
    const auto count = static_cast<std::size_t>(nets_.count);
    DeviceBuffer<NetworkMetrics> metrics(count);
    // The kernel writes each field, never the padding between them; zeroing first keeps the copy
    // back from reading bytes nothing wrote (compute-sanitizer initcheck reports them).
    metrics.zero();
    DeviceBuffer<int> d_distinct(chunk.depth_total);
    DeviceBuffer<int> parent(chunk.width_total);
    DeviceBuffer<double> norm(chunk.width_total);
    launch_measure(nets_, tol, d_depth_offset_.data(), d_width_offset_.data(), metrics.data(),
                   d_distinct.data(), parent.data(), norm.data(), nullptr);
    CUDA_CHECK(cudaDeviceSynchronize());
    std::vector<NetworkMetrics> host_metrics;
    std::vector<TrainState> host_states;
    metrics.download(host_metrics, count);
    states_.download(host_states, count);
    d_distinct.download(distinct, chunk.depth_total);
    out.resize(count);
    for (std::size_t k = 0; k < count; ++k)
      out[k] = NetworkMeasure{host_states[k], host_metrics[k]};
  }

  void final_parameters(std::vector<float>& params) override {
    params_.download(params, chunk_->parameter_total);
  }
  void final_parameters_of(std::int64_t k, std::span<float> out) override {
    CUDA_CHECK(cudaMemcpy(out.data(), params_.data() + chunk_->offset[k], out.size_bytes(),
                          cudaMemcpyDeviceToHost));
  }
  int host_threads() const override { return threads_; }

  double memory_budget() const override {
    std::size_t free_bytes = 0, total_bytes = 0;
    CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    return 0.6 * static_cast<double>(free_bytes);
  }

 private:
  // Groups networks by kernel: per-thread slots padded so that no warp mixes configurations,
  // per-warp lists by (depth, update rule), and one layered batch per configuration.
  void plan_launches(const FloatChunk& chunk) {
    std::map<int, std::vector<int>> slots;
    std::map<std::pair<int, UpdateRule>, std::vector<int>> warps;
    layered_.clear();
    for (std::size_t j = 0; j < chunk.jobs.size(); ++j) {
      const KernelChoice choice = chunk.kernels[j];
      const int first = chunk.job_first[j], count = chunk.job_count[j];
      if (choice.kind == KernelKind::fused_thread) {
        std::vector<int>& list = slots[choice.bucket];
        for (int k = first; k < first + count; ++k)
          list.push_back(k);
        while (list.size() % 32 != 0)
          list.push_back(-1);
      } else if (choice.kind == KernelKind::fused_warp) {
        std::vector<int>& list = warps[{jobs_[j].shape.depth, update_rule(jobs_[j])}];
        for (int k = first; k < first + count; ++k)
          list.push_back(k);
      } else {
        layered_.push_back(make_scratch(static_cast<int>(j)));
      }
    }
    thread_slots_.clear();
    for (const auto& [bucket, list] : slots)
      thread_slots_.emplace_back(bucket, to_device(list));
    warp_networks_.clear();
    for (const auto& [key, list] : warps)
      warp_networks_.emplace_back(key, to_device(list));
  }

  LayeredScratch make_scratch(int job) {
    LayeredScratch s;
    s.job = job;
    const LayeredBatch shape_only = layered_batch_for(job, nullptr);
    s.z = DeviceBuffer<float>(shape_only.total_units());
    s.a = DeviceBuffer<float>(shape_only.total_units());
    s.delta = DeviceBuffer<float>(shape_only.total_units());
    if (jobs_[job].dropout > 0.0f) s.mask = DeviceBuffer<float>(shape_only.total_units());
    if (cublas_) {
      s.grad = DeviceBuffer<float>(static_cast<std::size_t>(shape_only.networks) *
                                   shape_only.parameter_count());
    }
    s.loss_sum = DeviceBuffer<float>(shape_only.networks);
    s.loss_sum.zero();
    s.correct = DeviceBuffer<int>(shape_only.networks);
    s.correct.zero();
    return s;
  }

  LayeredBatch layered_batch_for(int job, LayeredScratch* s) const {
    const FloatChunk& chunk = *chunk_;
    const int first = chunk.job_first[job];
    LayeredBatch b;
    b.job = jobs_[job];
    b.networks = chunk.job_count[job];
    b.capacity = jobs_[job].batch;
    b.params = params_.data() + chunk.offset[first];
    b.velocity = velocity_.data() + chunk.offset[first];
    if (jobs_[job].optimizer == Optimizer::adam) b.moment2 = moment2_.data() + chunk.offset[first];
    b.replicate = replicate_.data() + first;
    b.state = states_.data() + first;
    if (s != nullptr) {
      b.z = s->z.data();
      b.a = s->a.data();
      b.delta = s->delta.data();
      b.mask = s->mask.data();
      b.grad = s->grad.data();
      b.loss_sum = s->loss_sum.data();
      b.correct = s->correct.data();
    }
    return b;
  }

  LayeredBatch layered_batch(LayeredScratch& s) const { return layered_batch_for(s.job, &s); }

  std::unique_ptr<CublasHandle> cublas_;
  int threads_;  // host threads for the initial parameters
  const FloatChunk* chunk_ = nullptr;
  std::vector<TrainJob> jobs_;
  std::vector<DeviceBuffer<float>> task_x_, task_y_;
  DeviceBuffer<TrainJob> d_jobs_;
  DeviceBuffer<int> d_network_job_;
  DeviceBuffer<long long> d_offset_, d_depth_offset_, d_width_offset_;
  DeviceBuffer<float> params_, velocity_, moment2_, initial_;
  DeviceBuffer<std::uint32_t> replicate_;
  DeviceBuffer<TrainState> states_;
  DeviceNetworks nets_;
  std::vector<std::pair<int, DeviceBuffer<int>>> thread_slots_;
  std::vector<std::pair<std::pair<int, UpdateRule>, DeviceBuffer<int>>> warp_networks_;
  std::vector<LayeredScratch> layered_;
};

// GPU chunks are large: launches and transfers pay off only with many networks at once.
class CudaEngine final : public FloatEngine {
 public:
  using FloatEngine::FloatEngine;
  std::int64_t preferred_chunk_items(const SweepPlan& plan) const override {
    return std::max<std::int64_t>(FloatEngine::preferred_chunk_items(plan), 1 << 18);
  }
};

}  // namespace

std::string cuda_unavailable_reason() {
  const CudaStatus status = query_cuda_devices();
  return status.devices.empty() ? status.why_none : std::string();
}

std::unique_ptr<Engine> make_cuda_engine(int threads) {
  return std::make_unique<CudaEngine>("cuda", std::make_unique<CudaBackend>(false, threads), false);
}

std::unique_ptr<Engine> make_cublas_engine(int threads) {
  return std::make_unique<CudaEngine>("cublas", std::make_unique<CudaBackend>(true, threads), true);
}

}  // namespace symbreak
