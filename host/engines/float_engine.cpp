// Orchestration common to the float engines; the backends only move memory and run kernels.
#include "host/engines/float_engine.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "host/engines/test_set_evaluation.hpp"
#include "host/sweep/parallel_for.hpp"
#include "kernels/breaker_values.cuh"
#include "kernels/init_params.cuh"

namespace symbreak {
namespace {

FloatTask float_task(const Task& task) {
  FloatTask t;
  t.x.assign(task.x.begin(), task.x.end());
  t.y.assign(task.target.begin(), task.target.end());
  return t;
}

// Epochs at which training pauses to be measured: 0, K, 2K, ..., E with a trace; E without.
std::vector<int> segment_ends(const RunSettings& run) {
  if (run.trace_every <= 0) return {run.epochs};
  std::vector<int> ends;
  for (int e = 0; e < run.epochs; e += run.trace_every)
    ends.push_back(e);
  ends.push_back(run.epochs);
  return ends;
}

// Fills the verdicts of docs/method.md §6 from a backend's measurement.
void fill_result(const NetworkMeasure& m, const int* distinct, const NetworkShape& shape,
                 int samples, NetworkResult& r) {
  r.final_loss = m.state.loss;
  r.accuracy = static_cast<double>(m.state.correct) / samples;
  r.epoch_solved = m.state.epoch_solved;
  r.diverged = !m.metrics.finite || !std::isfinite(m.state.loss);
  r.solved = !r.diverged && m.state.correct == samples;
  r.distinct.assign(distinct, distinct + shape.depth);
  set_symmetry_verdicts(r, shape);
  r.frozen = !r.diverged && m.metrics.frozen;
  r.fingerprint = m.metrics.fingerprint;
}

TracePoint trace_point(int epoch, const NetworkResult& r, const NetworkShape& shape) {
  return TracePoint{epoch,    r.final_loss, r.solved,  distinct_fraction(r.distinct, shape),
                    r.broken, r.collapsed,  r.diverged};
}

}  // namespace

void initial_parameters(const FloatChunk& chunk, int threads, std::vector<float>& params) {
  params.assign(chunk.parameter_total, 0.0f);
  parallel_for(static_cast<std::int64_t>(chunk.job_of.size()), threads, [&](std::int64_t k) {
    const int j = chunk.job_of[k];
    const NetworkShape& shape = chunk.jobs[j].shape;
    std::vector<double> initial(shape.parameter_count());
    init_network(chunk.weight_init[j], chunk.bias_init[j], shape,
                 DrawKey{chunk.seed, chunk.replicate[k]}, initial.data());
    for (std::size_t i = 0; i < initial.size(); ++i)
      params[chunk.offset[k] + i] = static_cast<float>(initial[i]);
  });
}

TrainJob make_train_job(const SweepPlan& plan, const Config& c) {
  const Task& task = plan.task_of(c);
  TrainJob job;
  job.shape = plan.shape_of(c);
  job.samples = task.samples;
  job.batch = effective_batch(c.batch, task.samples);
  job.activation = c.activation;
  job.loss = c.loss;
  job.lr = static_cast<float>(c.lr);
  job.momentum = static_cast<float>(c.momentum);
  set_breakers(job, c.optimizer, c.weight_decay, c.dropout, c.grad_noise, plan.run.seed);
  return job;
}

KernelChoice kernel_for_job(const TrainJob& job, bool layered_only) {
  return layered_only ? KernelChoice{KernelKind::layered, -1} : choose_kernel(job);
}

namespace {

// How a thread bucket's update rule shows in its kernel name: nothing for plain SGD.
const char* rule_suffix(UpdateRule rule) {
  switch (rule) {
    case UpdateRule::momentum:
      return ",m";
    case UpdateRule::adam:
      return ",adam";
    case UpdateRule::rmsprop:
      return ",rmsprop";
    case UpdateRule::sgd:
      break;
  }
  return "";
}

}  // namespace

std::string kernel_name(const KernelChoice& choice) {
  switch (choice.kind) {
    case KernelKind::fused_thread: {
      const ThreadBucket& b = kThreadBuckets[choice.bucket];
      return "fused-thread<d" + std::to_string(b.depth) + ",w" + std::to_string(b.max_width) +
             ",i" + std::to_string(b.max_inputs) + rule_suffix(b.rule) + ">";
    }
    case KernelKind::fused_warp:
      return "fused-warp";
    case KernelKind::layered:
      break;
  }
  return "layered";
}

double network_bytes(const TrainJob& job, const KernelChoice& choice) {
  const NetworkShape& s = job.shape;
  const double params = static_cast<double>(s.parameter_count());
  // params, velocity, initial copy and gradient as floats (and Adam's second moment), the double
  // scratch of initialisation, and the metrics scratch.
  const double arrays = job.optimizer == Optimizer::adam ? 5.0 : 4.0;
  double bytes = params * (arrays * 4.0 + 8.0) + 12.0 * s.width + 64.0;
  if (choice.kind == KernelKind::layered) {
    double units = 0.0;
    for (int l = 1; l <= s.layers(); ++l)
      units += s.units(l);
    // z, a and delta for a batch, and the dropout masks
    bytes += (job.dropout > 0.0f ? 4.0 : 3.0) * 4.0 * units * job.batch;
  }
  return bytes;
}

FloatEngine::FloatEngine(std::string name, std::unique_ptr<FloatBackend> backend, bool layered_only)
    : name_(std::move(name)), backend_(std::move(backend)), layered_only_(layered_only) {}

std::string FloatEngine::kernel_for(const SweepPlan& plan, const Config& config) const {
  const std::string kernel =
      kernel_name(kernel_for_job(make_train_job(plan, config), layered_only_));
  return layered_only_ ? kernel + "+cublas" : kernel;
}

void FloatEngine::train(const SweepPlan& plan, std::span<const WorkItem> items,
                        std::span<NetworkResult> out) {
  // Group by configuration (stable, so replicates keep their order), then cut into groups that
  // fit the backend's memory.
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return items[a].config < items[b].config; });
  const double budget = backend_->memory_budget();
  std::size_t begin = 0;
  double used = 0.0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const TrainJob job = make_train_job(plan, plan.configs[items[order[k]].config]);
    const double bytes = network_bytes(job, kernel_for_job(job, layered_only_));
    if (k > begin && used + bytes > budget) {
      train_group(plan, items, std::span(order).subspan(begin, k - begin), out);
      begin = k;
      used = 0.0;
    }
    used += bytes;
  }
  if (begin < order.size()) train_group(plan, items, std::span(order).subspan(begin), out);
}

FloatChunk make_float_chunk(const SweepPlan& plan, std::span<const WorkItem> items,
                            std::span<const std::size_t> order, bool layered_only) {
  FloatChunk chunk;
  chunk.seed = plan.run.seed;
  std::int64_t current_config = -1;
  for (const std::size_t index : order) {
    const WorkItem& item = items[index];
    const Config& c = plan.configs[item.config];
    if (item.config != current_config) {
      current_config = item.config;
      const TrainJob job = make_train_job(plan, c);
      chunk.jobs.push_back(job);
      chunk.kernels.push_back(kernel_for_job(job, layered_only));
      chunk.weight_init.push_back(c.init.weights);
      chunk.bias_init.push_back(c.bias.bias);
      chunk.job_task.push_back(c.task);
      chunk.job_first.push_back(static_cast<int>(chunk.job_of.size()));
      chunk.job_count.push_back(0);
    }
    ++chunk.job_count.back();
    chunk.job_of.push_back(static_cast<int>(chunk.jobs.size()) - 1);
    chunk.replicate.push_back(item.replicate);
    const NetworkShape& shape = chunk.jobs.back().shape;
    chunk.offset.push_back(chunk.parameter_total);
    chunk.parameter_total += shape.parameter_count();
    chunk.depth_offset.push_back(chunk.depth_total);
    chunk.depth_total += shape.depth;
    chunk.width_offset.push_back(chunk.width_total);
    chunk.width_total += shape.width;  // the metrics' scratch for the widest layer
  }
  return chunk;
}

void FloatEngine::train_group(const SweepPlan& plan, std::span<const WorkItem> items,
                              std::span<const std::size_t> order, std::span<NetworkResult> out) {
  const FloatChunk chunk = make_float_chunk(plan, items, order, layered_only_);
  std::vector<FloatTask> tasks;
  for (const Task& t : plan.tasks)
    tasks.push_back(float_task(t));

  for (const std::size_t index : order)
    out[index] = NetworkResult{};
  backend_->load(chunk, tasks);
  std::vector<NetworkMeasure> measures;
  std::vector<int> distinct;
  const std::vector<int> ends = segment_ends(plan.run);
  const bool traced = plan.run.trace_every > 0;
  int previous = 0;
  for (const int end : ends) {
    backend_->train(EpochSegment{previous, end});
    previous = end;
    backend_->measure(plan.run.tol, measures, distinct);
    for (std::size_t k = 0; k < order.size(); ++k) {
      const TrainJob& job = chunk.jobs[chunk.job_of[k]];
      NetworkResult& r = out[order[k]];
      std::vector<TracePoint> trace = std::move(r.trace);
      const int epoch_broken = r.epoch_broken;
      fill_result(measures[k], distinct.data() + chunk.depth_offset[k], job.shape, job.samples, r);
      r.trace = std::move(trace);
      r.epoch_broken = epoch_broken;
      if (!traced) continue;
      r.trace.push_back(trace_point(end, r, job.shape));
      const bool split =
          std::all_of(r.distinct.begin(), r.distinct.end(), [](int d) { return d > 1; });
      if (r.epoch_broken < 0 && split && !r.diverged) r.epoch_broken = end;
    }
  }
  measure_test_sets(plan, chunk, order, out);
  keep_parameters(plan, chunk, order, out);
}

void FloatEngine::keep_parameters(const SweepPlan& plan, const FloatChunk& chunk,
                                  std::span<const std::size_t> order,
                                  std::span<NetworkResult> out) {
  std::vector<float> params;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (!plan.run.keeps_parameters(chunk.replicate[k])) continue;
    params.resize(chunk.jobs[chunk.job_of[k]].shape.parameter_count());
    backend_->final_parameters_of(static_cast<std::int64_t>(k), params);
    NetworkResult& r = out[order[k]];
    r.parameters.assign(params.begin(), params.end());
    r.parameters_are_float = true;
  }
}

void FloatEngine::measure_test_sets(const SweepPlan& plan, const FloatChunk& chunk,
                                    std::span<const std::size_t> order,
                                    std::span<NetworkResult> out) {
  const bool any = std::any_of(chunk.job_task.begin(), chunk.job_task.end(),
                               [&](int t) { return plan.tasks[t].has_test_set(); });
  if (!any) return;
  std::vector<float> params;
  backend_->final_parameters(params);
  parallel_for(static_cast<std::int64_t>(order.size()), backend_->host_threads(),
               [&](std::int64_t k) {
                 const int j = chunk.job_of[k];
                 const Task& task = plan.tasks[chunk.job_task[j]];
                 if (!task.has_test_set()) return;
                 const TrainJob& job = chunk.jobs[j];
                 const SetEvaluation e = evaluate_float_network(
                     job.shape, job.activation, job.loss, params.data() + chunk.offset[k],
                     task.test_x.data(), task.test_target.data(), task.test_samples);
                 NetworkResult& r = out[order[k]];
                 r.test_accuracy = static_cast<double>(e.correct) / task.test_samples;
                 r.test_loss = e.loss;
                 const SetEvaluation train = evaluate_float_network(
                     job.shape, job.activation, job.loss, params.data() + chunk.offset[k],
                     task.x.data(), task.target.data(), task.samples);
                 r.single_class = train.positive == 0 || train.positive == task.samples;
               });
}

}  // namespace symbreak
