// What FP32 rate do this machine's cores sustain? Independent chains of 512-bit (or 256-bit) fused
// multiply-adds, enough of them to cover the FMA latency, per core and on every core at once. The
// peers script (bench/peers/run.py) derives the peak from the CPU model and its nominal clock; this
// measures what the cores really issue, turbo clock included, so that a fraction of the peak can be
// stated against both (README "Performance"). Counters: FLOP/s (an FMA is 2 FLOPs per lane).
// Compiled for the cpu engine's SIMD level (cmake/SymbreakSimdLevel.cmake); at the SSE2 level it
// has no benchmark to run.
#include <benchmark/benchmark.h>

#include <immintrin.h>

#include <cstdint>
#include <thread>

namespace {

// kChains independent accumulators: more than latency × pipes (4 × 2 on Zen 4/5, 4 × 2 on recent
// Intel), so the loop is bound by FMA throughput alone.
constexpr int kChains = 12;

template <class V, V (*Fma)(V, V, V), V (*Set)(float)>
[[gnu::noinline]] V fma_chains(std::int64_t iterations) {
  V acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = Set(1.0f + 0.001f * static_cast<float>(i));
  const V m = Set(0.999999f), c = Set(1e-7f);
  for (std::int64_t k = 0; k < iterations; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i)
      acc[i] = Fma(acc[i], m, c);
  }
  V sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = Fma(sum, m, acc[i]);
  return sum;
}

#if defined(__AVX512F__)
[[gnu::always_inline]] inline __m512 fma512(__m512 a, __m512 b, __m512 c) {
  return _mm512_fmadd_ps(a, b, c);
}
[[gnu::always_inline]] inline __m512 set512(float x) {
  return _mm512_set1_ps(x);
}
#endif
#if defined(__AVX2__) && defined(__FMA__)
[[gnu::always_inline]] inline __m256 fma256(__m256 a, __m256 b, __m256 c) {
  return _mm256_fmadd_ps(a, b, c);
}
[[gnu::always_inline]] inline __m256 set256(float x) {
  return _mm256_set1_ps(x);
}
#endif

// `threads` cores at once, each its own chains; FLOP/s of all of them together.
template <class V, V (*Fma)(V, V, V), V (*Set)(float)>
void run_fma(benchmark::State& state, int lanes) {
  const int threads = static_cast<int>(state.range(0));
  constexpr std::int64_t kIterations = 20'000'000;
  for (auto _ : state) {
    std::thread workers[64];
    for (int t = 0; t < threads; ++t)
      workers[t] =
          std::thread([] { benchmark::DoNotOptimize(fma_chains<V, Fma, Set>(kIterations)); });
    for (int t = 0; t < threads; ++t)
      workers[t].join();
  }
  const double flops = 2.0 * lanes * kChains * static_cast<double>(kIterations) * threads;
  state.counters["FLOP/s"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["threads"] = threads;
}

void thread_counts(benchmark::internal::Benchmark* b) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  b->Arg(1);
  if (cores > 1) b->Arg(cores < 64 ? cores : 64);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

#if defined(__AVX512F__)
void BM_Fma512(benchmark::State& state) {
  run_fma<__m512, fma512, set512>(state, 16);
}
BENCHMARK(BM_Fma512)->Apply(thread_counts);
#endif
#if defined(__AVX2__) && defined(__FMA__)
void BM_Fma256(benchmark::State& state) {
  run_fma<__m256, fma256, set256>(state, 8);
}
BENCHMARK(BM_Fma256)->Apply(thread_counts);
#endif

}  // namespace

BENCHMARK_MAIN();
