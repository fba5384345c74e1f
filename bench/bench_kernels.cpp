// Question: how fast is each kernel alone, on the GPU and as its CPU twin (the same function
// compiled for the host, as the cpu engine runs it)? Every kernel on every shape it can train, plus
// the two other steps of an engine's chunk (initialisation and measurement), each timed on its own.
//
//   BM_TrainSegment/gpu/<kernel>/<shape>   one launch_* call: kEpochs epochs, CUDA events
//   BM_TrainSegment/host/<kernel>/<shape>  the same function over the networks on all cores
//   BM_InitParams/host/<shape>             initial parameters (docs/method.md §5) of every network,
//                                          computed on the host for every engine
//   BM_Measure/{gpu,host}/<shape>          measurement (docs/method.md §6) of every network
//
// <kernel> is fused-thread, fused-warp, layered (custom products) or layered-cublas (GPU only).
// Host copies and resets between iterations are outside the timed region.
#include <benchmark/benchmark.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_shapes.hpp"
#include "host/engines/cpu_engine.hpp"
#include "host/engines/cuda_devices.hpp"
#include "host/engines/float_engine.hpp"
#include "kernels/init_params.cuh"
#include "kernels/kernel_choice.cuh"
#include "kernels/metrics.cuh"

#if defined(SYMBREAK_WITH_CUDA)
#include <cublas_v2.h>

#include "kernels/cublas_check.cuh"
#include "kernels/cublas_handle.hpp"
#include "kernels/device_buffer.cuh"
#include "kernels/device_launch.hpp"
#endif

namespace symbreak::bench {
namespace {

enum class Kernel { fused_thread, fused_warp, layered, layered_cublas };

const char* kernel_label(Kernel k) {
  switch (k) {
    case Kernel::fused_thread:
      return "fused-thread";
    case Kernel::fused_warp:
      return "fused-warp";
    case Kernel::layered:
      return "layered";
    case Kernel::layered_cublas:
      return "layered-cublas";
  }
  return "?";
}

// The benchmark's one configuration as the float engines see it. Move-only: job.x and job.y point
// into x and y, which a move keeps in place and a copy would not.
struct BenchNetworks {
  BenchNetworks() = default;
  BenchNetworks(BenchNetworks&&) = default;
  BenchNetworks& operator=(BenchNetworks&&) = default;
  BenchNetworks(const BenchNetworks&) = delete;
  BenchNetworks& operator=(const BenchNetworks&) = delete;

  SweepPlan plan;
  TrainJob job;  // x and y point at host memory; the GPU half re-points them
  std::vector<float> x, y;
  std::int64_t count = 0;
  std::int64_t parameters = 0;  // per network; network k's start at k * parameters
  double flop_per_epoch = 0.0;  // per network, bench_shapes.hpp
};

BenchNetworks bench_networks(const BenchShape& shape, std::int64_t count) {
  BenchNetworks n;
  n.plan = bench_plan(shape, count);
  const Config& c = n.plan.configs.front();
  const Task& task = n.plan.task_of(c);
  n.x.assign(task.x.begin(), task.x.end());
  n.y.assign(task.target.begin(), task.target.end());
  n.job = make_train_job(n.plan, c);
  n.job.x = n.x.data();
  n.job.y = n.y.data();
  n.count = count;
  n.parameters = n.job.shape.parameter_count();
  n.flop_per_epoch = flop_per_network_epoch(n.plan);
  return n;
}

// The per-thread bucket of a shape, or -1 when it fits none (kernel_choice.cuh decides).
int thread_bucket(const TrainJob& job) {
  const KernelChoice choice = choose_kernel(job);
  return choice.kind == KernelKind::fused_thread ? choice.bucket : -1;
}

bool warp_fits(const NetworkShape& s) {
  return s.depth <= kWarpMaxDepth && s.width <= kWarpMaxWidth && s.inputs <= kWarpMaxInputs;
}

bool kernel_fits(Kernel k, const TrainJob& job) {
  switch (k) {
    case Kernel::fused_thread:
      return thread_bucket(job) >= 0;
    case Kernel::fused_warp:
      return warp_fits(job.shape);
    case Kernel::layered:
    case Kernel::layered_cublas:
      return true;
  }
  return false;
}

// The kernel as the engines name it (kernel_name, float_engine.hpp), and whether the cuda engine
// would pick it for this shape, e.g. "fused-thread<d1,w4,i2>; the cuda engine's choice".
std::string kernel_note(Kernel k, const TrainJob& job) {
  const KernelChoice chosen = choose_kernel(job);
  switch (k) {
    case Kernel::fused_thread:
      return kernel_name(chosen) + "; the cuda engine's choice";  // a bucket fits: it is chosen
    case Kernel::fused_warp:
      return chosen.kind == KernelKind::fused_warp ? "fused-warp; the cuda engine's choice"
                                                   : "fused-warp";
    case Kernel::layered:
      return chosen.kind == KernelKind::layered ? "layered; the cuda engine's choice" : "layered";
    case Kernel::layered_cublas:
      return "layered+cublas; the cublas engine's choice";
  }
  return {};
}

void set_train_counters(benchmark::State& state, const BenchNetworks& n) {
  const double net_epochs = static_cast<double>(state.iterations()) * n.count * kEpochs;
  state.counters["net_epochs_per_second"] =
      benchmark::Counter(net_epochs, benchmark::Counter::kIsRate);
  // FLOP formula in bench_shapes.hpp: n (6 W - 2 d H) per network-epoch, an estimate.
  state.counters["flop_per_second"] = benchmark::Counter(
      net_epochs * n.flop_per_epoch, benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
  state.counters["networks"] = static_cast<double>(n.count);
  state.counters["epochs"] = kEpochs;
}

void set_network_counters(benchmark::State& state, const BenchNetworks& n) {
  state.SetItemsProcessed(state.iterations() * n.count);  // items_per_second = networks per second
  state.counters["networks"] = static_cast<double>(n.count);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// --- The CPU twin -------------------------------------------------------------------------------

// Initial parameters of network k exactly as the cpu engine computes them (double, then float).
void host_init(const BenchNetworks& n, std::vector<float>& params) {
  const Config& c = n.plan.configs.front();
  params.resize(static_cast<std::size_t>(n.count * n.parameters));
  parallel_for(n.count, 0, [&](std::int64_t k) {
    std::vector<double> initial(n.parameters);
    init_network(c.init.weights, c.bias.bias, n.job.shape,
                 DrawKey{n.plan.run.seed, static_cast<std::uint32_t>(k)}, initial.data());
    for (std::int64_t i = 0; i < n.parameters; ++i)
      params[k * n.parameters + i] = static_cast<float>(initial[i]);
  });
}

// One network as the cpu engine trains it, with the kernel the benchmark names.
void host_train_network(Kernel k, const TrainJob& job, EpochSegment segment, float* p, float* v,
                        TrainState& st) {
  KernelChoice choice{KernelKind::layered, -1};
  if (k == Kernel::fused_thread)
    choice = KernelChoice{KernelKind::fused_thread, thread_bucket(job)};
  if (k == Kernel::fused_warp) choice = KernelChoice{KernelKind::fused_warp, -1};
  train_network_on_host(job, choice, segment, p, v, st);
}

void host_train_all(Kernel k, const BenchNetworks& n, std::vector<float>& params,
                    std::vector<float>& velocity, std::vector<TrainState>& states) {
  parallel_for(n.count, 0, [&](std::int64_t i) {
    host_train_network(k, n.job, EpochSegment{0, kEpochs}, params.data() + i * n.parameters,
                       velocity.data() + i * n.parameters, states[i]);
  });
}

// Initialisation and measurement are cheap next to training: they get more networks than the
// training benchmarks, so that starting the threads does not dominate. Measurement runs on the
// initial parameters: with xavier-uniform every neuron is distinct, as after most trainings, and
// the cost of the tie search (one entry compared per pair of distinct neurons) is the same.
constexpr std::int64_t kHostStepNetworks = 4096;

// The CPU twin trains one network at a time (scalar, like one GPU thread), so it gets the budget
// of a scalar engine rather than the cpu engine's (which trains SIMD packs).
std::int64_t host_networks(const BenchShape& shape) {
  return cpu_networks(flop_per_network_epoch(bench_plan(shape, 1)) * kEpochs, 5e7, 4096);
}

void host_train_benchmark(benchmark::State& state, const BenchShape& shape, Kernel k) {
  const BenchNetworks n = bench_networks(shape, host_networks(shape));
  state.SetLabel(kernel_note(k, n.job));
  std::vector<float> initial, params;
  host_init(n, initial);
  std::vector<float> velocity(initial.size(), 0.0f);
  std::vector<TrainState> states;
  for (auto _ : state) {
    params = initial;  // every iteration trains fresh networks
    states.assign(n.count, TrainState{});
    const auto start = std::chrono::steady_clock::now();
    host_train_all(k, n, params, velocity, states);
    state.SetIterationTime(seconds_since(start));
  }
  set_train_counters(state, n);
}

void host_init_benchmark(benchmark::State& state, const BenchShape& shape) {
  const BenchNetworks n = bench_networks(shape, kHostStepNetworks);
  std::vector<float> params;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    host_init(n, params);
    state.SetIterationTime(seconds_since(start));
  }
  set_network_counters(state, n);
}

// Measures freshly initialised networks (see kHostStepNetworks).
void host_measure_benchmark(benchmark::State& state, const BenchShape& shape) {
  const BenchNetworks n = bench_networks(shape, kHostStepNetworks);
  std::vector<float> initial;
  host_init(n, initial);
  const std::vector<float>& params = initial;
  const int depth = n.job.shape.depth, width = n.job.shape.width;
  std::vector<int> distinct(static_cast<std::size_t>(n.count * depth));
  std::vector<NetworkMetrics> metrics(n.count);
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    parallel_for(n.count, 0, [&](std::int64_t k) {
      std::vector<int> parent(width);
      std::vector<double> norm(width);
      metrics[k] = measure_network(n.job.shape, params.data() + k * n.parameters,
                                   initial.data() + k * n.parameters, n.plan.run.tol,
                                   distinct.data() + k * depth, parent.data(), norm.data());
    });
    state.SetIterationTime(seconds_since(start));
  }
  set_network_counters(state, n);
}

// --- The GPU ------------------------------------------------------------------------------------

// Empty when a CUDA device can run the kernels, else why not.
std::string gpu_unavailable() {
  const CudaStatus status = query_cuda_devices();
  if (!status.devices.empty()) return {};
  std::string why = "no CUDA device: ";
  why += status.why_none;
  return why;
}

#if defined(SYMBREAK_WITH_CUDA)

// Times the work enqueued between start() and seconds() on the default stream.
class EventTimer {
 public:
  EventTimer() {
    CUDA_CHECK(cudaEventCreate(&start_));
    CUDA_CHECK(cudaEventCreate(&stop_));
  }
  ~EventTimer() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  EventTimer(const EventTimer&) = delete;
  EventTimer& operator=(const EventTimer&) = delete;

  void start() { CUDA_CHECK(cudaEventRecord(start_, nullptr)); }
  double seconds() {
    CUDA_CHECK(cudaEventRecord(stop_, nullptr));
    CUDA_CHECK(cudaEventSynchronize(stop_));
    float ms = 0.0f;
    CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
    return ms / 1e3;
  }

 private:
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
};

// The networks on the device, laid out as the cuda engine lays out one configuration's chunk.
class GpuNetworks {
 public:
  explicit GpuNetworks(const BenchNetworks& n)
      : x_(to_device(n.x)),
        y_(to_device(n.y)),
        velocity_(n.count * n.parameters),
        fresh_states_(to_device(std::vector<TrainState>(n.count))),
        states_(n.count) {
    job_ = n.job;
    job_.x = x_.data();
    job_.y = y_.data();
    jobs_ = to_device(std::vector<TrainJob>{job_});
    std::vector<long long> offset(n.count);
    for (std::int64_t k = 0; k < n.count; ++k)
      offset[k] = k * n.parameters;
    network_job_ = to_device(std::vector<int>(n.count, 0));
    offset_ = to_device(offset);
    // The engines compute initial parameters on the host and upload them; so does the benchmark.
    std::vector<float> initial;
    host_init(n, initial);
    params_ = to_device(initial);
    initial_ = to_device(initial);
    velocity_.zero();
    view_ = DeviceNetworks{jobs_.data(),   network_job_.data(),      offset_.data(),
                           params_.data(), velocity_.data(),         initial_.data(),
                           states_.data(), static_cast<int>(n.count)};
  }

  // Back to the initial parameters and fresh states, enqueued on the default stream.
  void reset() {
    CUDA_CHECK(cudaMemcpyAsync(params_.data(), initial_.data(), params_.size() * sizeof(float),
                               cudaMemcpyDeviceToDevice, nullptr));
    CUDA_CHECK(cudaMemcpyAsync(states_.data(), fresh_states_.data(),
                               states_.size() * sizeof(TrainState), cudaMemcpyDeviceToDevice,
                               nullptr));
  }

  const DeviceNetworks& view() const { return view_; }
  const TrainJob& job() const { return job_; }  // x and y on the device

 private:
  TrainJob job_;
  DeviceBuffer<float> x_, y_;
  DeviceBuffer<TrainJob> jobs_;
  DeviceBuffer<int> network_job_;
  DeviceBuffer<long long> offset_;
  DeviceBuffer<float> params_, velocity_, initial_;
  DeviceBuffer<TrainState> fresh_states_, states_;
  DeviceNetworks view_;
};

// Everything one kernel needs besides the networks, and the launch itself.
class GpuTrainer {
 public:
  GpuTrainer(Kernel k, const BenchNetworks& n, const GpuNetworks& nets) : kernel_(k), nets_(nets) {
    std::vector<int> list(n.count);
    for (std::int64_t i = 0; i < n.count; ++i)
      list[i] = static_cast<int>(i);
    if (k == Kernel::fused_thread) {
      bucket_ = thread_bucket(n.job);
      while (list.size() % 32 != 0)
        list.push_back(-1);  // whole warps, as the engine pads them
    }
    list_ = to_device(list);
    if (k == Kernel::layered || k == Kernel::layered_cublas) {
      batch_.job = nets.job();
      batch_.networks = static_cast<int>(n.count);
      batch_.capacity = n.job.batch;
      batch_.params = nets.view().params;
      batch_.velocity = nets.view().velocity;
      batch_.state = nets.view().states;
      z_ = DeviceBuffer<float>(batch_.total_units());
      a_ = DeviceBuffer<float>(batch_.total_units());
      delta_ = DeviceBuffer<float>(batch_.total_units());
      loss_sum_ = DeviceBuffer<float>(n.count);
      loss_sum_.zero();
      correct_ = DeviceBuffer<int>(n.count);
      correct_.zero();
      batch_.z = z_.data();
      batch_.a = a_.data();
      batch_.delta = delta_.data();
      batch_.loss_sum = loss_sum_.data();
      batch_.correct = correct_.data();
      if (k == Kernel::layered_cublas) {
        cublas_ = std::make_unique<CublasHandle>();
        grad_ = DeviceBuffer<float>(n.count * n.parameters);
        batch_.grad = grad_.data();
      }
    }
  }

  // Enqueues kEpochs epochs of training of every network on the default stream.
  void launch() const {
    const EpochSegment segment{0, kEpochs};
    const int count = static_cast<int>(list_.size());
    switch (kernel_) {
      case Kernel::fused_thread:
        launch_fused_thread(bucket_, nets_.view(), list_.data(), count, segment, nullptr);
        break;
      case Kernel::fused_warp:
        launch_fused_warp(nets_.job().shape.depth, update_rule(nets_.job()), nets_.view(),
                          list_.data(), count, segment, nullptr);
        break;
      case Kernel::layered:
        launch_layered(batch_, segment, nullptr, nullptr);
        break;
      case Kernel::layered_cublas:
        launch_layered(batch_, segment, cublas_.get(), nullptr);
        break;
    }
  }

 private:
  Kernel kernel_;
  const GpuNetworks& nets_;
  int bucket_ = -1;
  DeviceBuffer<int> list_;
  LayeredBatch batch_;
  DeviceBuffer<float> z_, a_, delta_, grad_, loss_sum_;
  DeviceBuffer<int> correct_;
  std::unique_ptr<CublasHandle> cublas_;
};

void gpu_train_benchmark(benchmark::State& state, const BenchShape& shape, Kernel k) {
  const BenchNetworks n = bench_networks(shape, kGpuNetworks);
  state.SetLabel(kernel_note(k, n.job));
  GpuNetworks nets(n);
  const GpuTrainer trainer(k, n, nets);
  EventTimer timer;
  trainer.launch();  // warm-up: lazy module loading, cuBLAS's first calls
  CUDA_CHECK(cudaDeviceSynchronize());
  for (auto _ : state) {
    nets.reset();
    timer.start();
    trainer.launch();
    state.SetIterationTime(timer.seconds());
  }
  set_train_counters(state, n);
}

// Measures freshly initialised networks, as the host twin does (see kHostStepNetworks).
void gpu_measure_benchmark(benchmark::State& state, const BenchShape& shape) {
  const BenchNetworks n = bench_networks(shape, kGpuNetworks);
  GpuNetworks nets(n);
  const int depth = n.job.shape.depth, width = n.job.shape.width;
  DeviceBuffer<NetworkMetrics> metrics(n.count);
  DeviceBuffer<int> distinct(n.count * depth), parent(n.count * width);
  DeviceBuffer<double> norm(n.count * width);
  std::vector<long long> depth_offset(n.count), width_offset(n.count);
  for (std::int64_t k = 0; k < n.count; ++k) {
    depth_offset[k] = k * depth;
    width_offset[k] = k * width;
  }
  const DeviceBuffer<long long> d_depth_offset = to_device(depth_offset);
  const DeviceBuffer<long long> d_width_offset = to_device(width_offset);
  const auto measure = [&] {
    launch_measure(nets.view(), n.plan.run.tol, d_depth_offset.data(), d_width_offset.data(),
                   metrics.data(), distinct.data(), parent.data(), norm.data(), nullptr);
  };
  measure();  // warm-up
  CUDA_CHECK(cudaDeviceSynchronize());
  EventTimer timer;
  for (auto _ : state) {
    timer.start();
    measure();
    state.SetIterationTime(timer.seconds());
  }
  set_network_counters(state, n);
}

#else  // no CUDA in this build: the GPU benchmarks are registered, and skip with the reason.

void gpu_train_benchmark(benchmark::State&, const BenchShape&, Kernel) {}
void gpu_measure_benchmark(benchmark::State&, const BenchShape&) {}

#endif

// Runs `body` unless the GPU is missing; CUDA errors become the benchmark's error.
template <class Body>
void on_gpu(benchmark::State& state, const Body& body) {
  if (const std::string why = gpu_unavailable(); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  try {
    body();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

template <class Body>
void on_host(benchmark::State& state, const Body& body) {
  try {
    body();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

template <class Fn>
void add(const std::string& name, Fn fn) {
  benchmark::RegisterBenchmark(name.c_str(), fn)->UseManualTime()->Unit(benchmark::kMillisecond);
}

std::string bench_name(const char* what, const char* where, const char* kernel, const char* shape) {
  std::string name = what;
  for (const char* part : {where, kernel, shape}) {
    if (part == nullptr) continue;
    name += '/';
    name += part;
  }
  return name;
}

void register_benchmarks() {
  constexpr Kernel kGpuKernels[] = {Kernel::fused_thread, Kernel::fused_warp, Kernel::layered,
                                    Kernel::layered_cublas};
  for (const BenchShape& shape : kShapes) {
    const TrainJob job = bench_networks(shape, 1).job;
    for (const Kernel k : kGpuKernels) {
      if (!kernel_fits(k, job)) continue;
      add(bench_name("BM_TrainSegment", "gpu", kernel_label(k), shape.label),
          [shape, k](benchmark::State& s) {
            on_gpu(s, [&] { gpu_train_benchmark(s, shape, k); });
          });
      if (k == Kernel::layered_cublas) continue;
      add(bench_name("BM_TrainSegment", "host", kernel_label(k), shape.label),
          [shape, k](benchmark::State& s) {
            on_host(s, [&] { host_train_benchmark(s, shape, k); });
          });
    }
  }
  for (const BenchShape& shape : kShapes) {
    add(bench_name("BM_InitParams", "host", nullptr, shape.label),
        [shape](benchmark::State& s) { on_host(s, [&] { host_init_benchmark(s, shape); }); });
    add(bench_name("BM_Measure", "gpu", nullptr, shape.label),
        [shape](benchmark::State& s) { on_gpu(s, [&] { gpu_measure_benchmark(s, shape); }); });
    add(bench_name("BM_Measure", "host", nullptr, shape.label),
        [shape](benchmark::State& s) { on_host(s, [&] { host_measure_benchmark(s, shape); }); });
  }
}

}  // namespace
}  // namespace symbreak::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  symbreak::bench::register_benchmarks();
  benchmark::AddCustomContext("symbreak_threads",
                              std::to_string(symbreak::resolve_thread_count(0)));
  const std::string why = symbreak::bench::gpu_unavailable();
  benchmark::AddCustomContext("gpu", why.empty() ? "available" : why);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
