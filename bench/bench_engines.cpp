// Question: how many network-epochs per second does each engine train? One benchmark per engine and
// shape, BM_Train/<engine>/<shape>, timing one whole Engine::train call as the sweep runner makes
// it. And what do the options of docs/method.md §4.1 cost on the float engines?
// BM_Breakers/<engine>/<shape>/<option>, with plain SGD on the same shape as the baseline.
#include <benchmark/benchmark.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_shapes.hpp"
#include "host/engines/cuda_devices.hpp"
#include "host/engines/engine.hpp"
#include "host/engines/network_result.hpp"

namespace symbreak::bench {
namespace {

bool runs_on_gpu(const std::string& engine) {
  return engine == "cuda" || engine == "cublas";
}

// Times Engine::train on `networks` networks of one configuration for kEpochs epochs: initial
// parameters, training, and the measurement of every network (docs/method.md §6), all included. The
// engine API is synchronous (the GPU engines synchronise and download the results before
// returning), so wall-clock time around the call is the right time for every engine; it is passed
// as manual time so that nothing else in the loop is counted.
// `breaker`: the options to train with (nullptr: the plain configuration of bench_plan).
void train_benchmark(benchmark::State& state, const EngineInfo& info, const BenchShape& shape,
                     const BenchBreaker* breaker = nullptr) {
  if (!info.available) {
    state.SkipWithError(info.unavailable_reason.c_str());
    return;
  }
  try {
    const std::unique_ptr<Engine> engine = make_engine(info.name, 0);
    const double flop_per_epoch = flop_per_network_epoch(bench_plan(shape, 1));
    const std::int64_t networks = networks_for(info.name, flop_per_epoch * kEpochs);
    const SweepPlan plan =
        breaker ? bench_plan(shape, *breaker, networks) : bench_plan(shape, networks);
    std::vector<WorkItem> items(networks);
    for (std::int64_t i = 0; i < networks; ++i)
      items[i] = plan.item(i);
    std::vector<NetworkResult> results(networks);
    state.SetLabel(engine->kernel_for(plan, plan.configs.front()));
    // GPU: the first call pays for the CUDA context, lazy kernel loading and cuBLAS set-up.
    if (runs_on_gpu(info.name)) engine->train(plan, items, results);

    for (auto _ : state) {
      const auto start = std::chrono::steady_clock::now();
      engine->train(plan, items, results);
      const auto stop = std::chrono::steady_clock::now();
      state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
    }

    std::int64_t solved = 0;
    for (const NetworkResult& r : results)
      solved += r.solved ? 1 : 0;
    const double net_epochs = static_cast<double>(state.iterations()) * networks * kEpochs;
    state.counters["net_epochs_per_second"] =
        benchmark::Counter(net_epochs, benchmark::Counter::kIsRate);
    // FLOP formula in bench_shapes.hpp: n (6 W - 2 d H) per network-epoch, an estimate.
    state.counters["flop_per_second"] = benchmark::Counter(
        net_epochs * flop_per_epoch, benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
    state.counters["networks"] = static_cast<double>(networks);
    state.counters["epochs"] = kEpochs;
    // The fraction of networks that learnt the task: a sanity check that training happened.
    state.counters["solved_rate"] = static_cast<double>(solved) / static_cast<double>(networks);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

void register_benchmarks(const std::vector<EngineInfo>& engines) {
  // Shape-major, so that a shape's engines sit next to each other in the output and the figure.
  for (const BenchShape& shape : kShapes) {
    for (const EngineInfo& info : engines) {
      std::string name = "BM_Train/";
      name += info.name;
      name += '/';
      name += shape.label;
      benchmark::RegisterBenchmark(
          name.c_str(),
          [info, shape](benchmark::State& state) { train_benchmark(state, info, shape); })
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
  // The breakers on the float engines, each option next to plain SGD on the same shape. The
  // network count per iteration is the plain configuration's, so the times compare directly.
  for (const BenchShape& shape : kBreakerShapes) {
    for (const EngineInfo& info : engines) {
      if (info.name == "cpu-ref") continue;
      for (const BenchBreaker& breaker : kBreakers) {
        const std::string name =
            "BM_Breakers/" + info.name + '/' + shape.label + '/' + breaker.label;
        benchmark::RegisterBenchmark(name.c_str(),
                                     [info, shape, &breaker](benchmark::State& state) {
                                       train_benchmark(state, info, shape, &breaker);
                                     })
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
}

// The machine the numbers belong to, in the JSON's "context".
void add_context(const std::vector<EngineInfo>& engines) {
  benchmark::AddCustomContext("symbreak_threads", std::to_string(resolve_thread_count(0)));
  std::string devices;
  for (const CudaDevice& d : query_cuda_devices().devices) {
    if (!devices.empty()) devices += "; ";
    devices += d.name;
  }
  benchmark::AddCustomContext("cuda_devices", devices.empty() ? "none" : devices);
  for (const EngineInfo& info : engines) {
    std::string key = "engine_";
    key += info.name;
    std::string value = info.available ? "available" : "unavailable: ";
    value += info.unavailable_reason;
    benchmark::AddCustomContext(key, value);
  }
}

}  // namespace
}  // namespace symbreak::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::vector<symbreak::EngineInfo> engines = symbreak::list_engines();
  symbreak::bench::register_benchmarks(engines);
  symbreak::bench::add_context(engines);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
