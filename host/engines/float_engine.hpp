// What the float engines (cpu, cuda, cublas) share: turning work items into TrainJobs, choosing
// the kernel per configuration, training in epoch segments (one, or one per traced epoch),
// measuring the networks and filling NetworkResults. A backend supplies the memory and the
// execution: the host (cpu engine) or the GPU.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/init_scheme.cuh"
#include "kernels/kernel_choice.cuh"
#include "kernels/metrics.cuh"
#include "kernels/train_job.cuh"
#include "host/engines/engine.hpp"

namespace symbreak {

// The samples of a task as floats: x [sample][input], y [sample].
struct FloatTask {
  std::vector<float> x;
  std::vector<float> y;
};

// A chunk's networks grouped by configuration: networks of job j are
// [job_first[j], job_first[j] + job_count[j]), and network k's parameters start at offset[k] in
// the chunk's flat arrays. TrainJob::x / y point at host data; device backends re-point them.
struct FloatChunk {
  std::vector<TrainJob> jobs;
  std::vector<KernelChoice> kernels;      // [job]
  std::vector<WeightInit> weight_init;    // [job]
  std::vector<BiasInit> bias_init;        // [job]
  std::vector<int> job_task;              // [job] index into the plan's tasks
  std::vector<int> job_first, job_count;  // [job]
  std::vector<int> job_of;                // [network]
  std::vector<std::uint32_t> replicate;   // [network]
  std::vector<std::int64_t> offset;       // [network]
  std::int64_t parameter_total = 0;
  // Network k's D_l go to [depth_offset[k], + its depth) of the chunk's distinct array, and its
  // measurement scratch (a few values per neuron) to [width_offset[k], + its width): sized by
  // what each network needs, not by the chunk's widest or deepest one.
  std::vector<std::int64_t> depth_offset, width_offset;  // [network]
  std::int64_t depth_total = 0, width_total = 0;
  std::uint32_t seed = 0;
};

// What a backend reports per network after a segment.
struct NetworkMeasure {
  TrainState state;
  NetworkMetrics metrics;
};

class FloatBackend {
 public:
  virtual ~FloatBackend() = default;
  // Initial parameters (docs/method.md §5, rounded to float), zero velocity, fresh states.
  virtual void load(const FloatChunk& chunk, const std::vector<FloatTask>& tasks) = 0;
  virtual void train(EpochSegment segment) = 0;
  // Per network state and metrics; distinct[chunk.depth_offset[k] + l - 1] = D_l of network k.
  virtual void measure(double tol, std::vector<NetworkMeasure>& out,
                       std::vector<int>& distinct) = 0;
  // Bytes the backend may use for one chunk, to split large chunks.
  virtual double memory_budget() const = 0;
  // Every network's final parameters, at chunk.offset[k] ([chunk.parameter_total]), for the
  // test-set measurement on the host (test_set_evaluation.hpp).
  virtual void final_parameters(std::vector<float>& params) = 0;
  // Network k's final parameters only, into `out` ([its parameter_count()]): for the few networks
  // whose parameters are kept (--params), without copying every network's.
  virtual void final_parameters_of(std::int64_t k, std::span<float> out) = 0;
  // Host threads for work on the host, such as that measurement; 0 = every core.
  virtual int host_threads() const { return 0; }
};

class FloatEngine : public Engine {
 public:
  FloatEngine(std::string name, std::unique_ptr<FloatBackend> backend, bool layered_only);
  std::string_view name() const override { return name_; }
  void train(const SweepPlan& plan, std::span<const WorkItem> items,
             std::span<NetworkResult> out) override;
  std::string kernel_for(const SweepPlan& plan, const Config& config) const override;

 private:
  void train_group(const SweepPlan& plan, std::span<const WorkItem> items,
                   std::span<const std::size_t> order, std::span<NetworkResult> out);
  // test_accuracy and test_loss of the chunk's networks whose task has a test set.
  void measure_test_sets(const SweepPlan& plan, const FloatChunk& chunk,
                         std::span<const std::size_t> order, std::span<NetworkResult> out);
  // NetworkResult::parameters of the chunk's networks whose parameters are kept (--params).
  void keep_parameters(const SweepPlan& plan, const FloatChunk& chunk,
                       std::span<const std::size_t> order, std::span<NetworkResult> out);
  std::string name_;
  std::unique_ptr<FloatBackend> backend_;
  bool layered_only_;
};

// Every network's initial parameters (docs/method.md §5) rounded to float, at chunk.offset[k] of
// `params` ([chunk.parameter_total]), computed on the host with `threads` threads: every engine,
// the GPU ones included, starts from these very floats (the device's double log and cos may
// differ from the host's in the last bit).
void initial_parameters(const FloatChunk& chunk, int threads, std::vector<float>& params);

// The chunk of the networks items[order[0]], items[order[1]], ... (grouped by configuration).
FloatChunk make_float_chunk(const SweepPlan& plan, std::span<const WorkItem> items,
                            std::span<const std::size_t> order, bool layered_only);

// The float engines' view of one configuration.
TrainJob make_train_job(const SweepPlan& plan, const Config& config);
KernelChoice kernel_for_job(const TrainJob& job, bool layered_only);
std::string kernel_name(const KernelChoice& choice);

// Bytes one network of this job needs on a backend (parameters, state, activations, scratch).
double network_bytes(const TrainJob& job, const KernelChoice& choice);

}  // namespace symbreak
