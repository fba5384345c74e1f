// Trains only the sampled replicates (0 ... K-1 of every configuration) with both engines, so a
// verification costs K networks per configuration twice.
#include "host/cli/verify_command.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>

#include "host/engines/engine.hpp"
#include "host/verify/exact_comparison.hpp"
#include "host/sweep/memory_budget.hpp"
#include "host/config/number_parse.hpp"
#include "host/sweep/stop_request.hpp"
#include "host/sweep/sweep_runner.hpp"
#include "host/config/usage_error.hpp"
#include "host/verify/verification.hpp"

namespace symbreak::cli {
namespace {

// Without --sample: every network of small sweeps, otherwise enough per configuration to keep the
// whole verification near 50,000 networks, and never fewer than 100.
constexpr std::int64_t kAllUpTo = 50000;

std::int64_t sample_size(const std::optional<std::string>& text, std::int64_t seeds,
                         std::int64_t configs) {
  if (text) {
    const auto k = parse_integer(*text, 1, std::numeric_limits<std::uint32_t>::max());
    if (!k) throw UsageError("--sample: '" + *text + "' is not accepted; expected an integer >= 1");
    return std::min<std::int64_t>(*k, seeds);
  }
  if (configs * seeds <= kAllUpTo) return seeds;
  return std::min(seeds,
                  std::max<std::int64_t>(100, kAllUpTo / std::max<std::int64_t>(configs, 1)));
}

// Trains `items` with `engine` in chunks, stopping early on Ctrl-C. Returns false if interrupted.
bool train_items(Engine& engine, const SweepPlan& plan, const std::vector<WorkItem>& items,
                 std::vector<NetworkResult>& results, bool progress, const char* what) {
  results.assign(items.size(), NetworkResult{});
  const std::int64_t chunk = std::max<std::int64_t>(1, engine.preferred_chunk_items(plan));
  for (std::size_t first = 0; first < items.size(); first += chunk) {
    if (stop_requested()) return false;
    const std::size_t count = std::min<std::size_t>(chunk, items.size() - first);
    engine.train(plan, std::span(items).subspan(first, count),
                 std::span(results).subspan(first, count));
    if (progress) {
      std::fprintf(stderr, "symbreak verify: %s %zu/%zu networks\n", what, first + count,
                   items.size());
    }
  }
  return true;
}

}  // namespace

CLI::App* setup_verify(CLI::App& parent, VerifyOptions& o) {
  CLI::App& app = *parent.add_subcommand(
      "verify", "train a sweep with an engine and check it against cpu-ref on the same networks");
  add_grid_options(app, o.grid);
  add_run_options(app, o.run);
  app.add_option("--sample", o.sample,
                 "networks per configuration to compare (default: all for small sweeps)")
      ->type_name("K")
      ->group("Run");
  app.add_flag("--exact", o.exact,
               "compare with the cpu engine bit for bit instead of with cpu-ref (engines cuda, "
               "cpu): the GPU kernels and the cpu engine compute the same float arithmetic")
      ->group("Run");
  app.add_flag("--quiet", o.quiet, "print only the verdict")->group("Run");
  return &app;
}

int run_verify_command(const VerifyOptions& o) {
  const SweepGrid grid = build_grid(o.grid);
  RunSettings run = build_run_settings(o.run);
  check_grid_fits(configuration_count(grid), run.seeds);
  const std::int64_t k = sample_size(o.sample, run.seeds, configuration_count(grid));
  run.seeds = k;  // only replicates 0 ... K-1 are trained, by both engines
  const SweepPlan plan = make_plan(grid, run);
  const int threads = thread_count(o.run);
  const std::unique_ptr<Engine> engine = make_engine(o.run.engine, threads);
  const std::string engine_name(engine->name());
  if (o.exact && engine_name != "cuda" && engine_name != "cpu") {
    throw UsageError("--exact: engine '" + engine_name +
                     "' is not accepted; --exact compares cuda (or cpu itself) with the cpu "
                     "engine bit for bit, while cublas and cpu-ref are judged statistically "
                     "(cuBLAS promises no bitwise results, cpu-ref computes in double)");
  }
  const std::unique_ptr<Engine> reference = make_engine(o.exact ? "cpu" : "cpu-ref", threads);
  const std::string reference_name(reference->name());
  check_sweep_fits(plan, threads, engine->preferred_chunk_items(plan));

  std::vector<WorkItem> items;
  items.reserve(plan.item_count());
  for (std::int64_t i = 0; i < plan.item_count(); ++i)
    items.push_back(plan.item(i));
  install_stop_handlers();
  std::vector<NetworkResult> engine_results, reference_results;
  if (!train_items(*engine, plan, items, engine_results, !o.quiet, engine_name.c_str()) ||
      !train_items(*reference, plan, items, reference_results, !o.quiet, reference_name.c_str())) {
    std::fprintf(stderr, "symbreak verify: interrupted before the comparison\n");
    return 128 + stop_signal();  // 130 for SIGINT, 143 for SIGTERM
  }
  if (o.exact) {
    const ExactReport report = compare_exactly(engine_results, reference_results);
    std::cout << (o.quiet ? (report.passed() ? "PASS\n" : "FAIL\n")
                          : format_exact_comparison(plan, items, report, engine_name));
    return report.passed() ? 0 : 1;
  }
  const VerificationReport report =
      compare_with_reference(plan, items, engine_results, reference_results);
  if (o.quiet) {
    std::cout << (report.passed() ? "PASS\n" : "FAIL\n");
  } else {
    std::cout << format_verification(plan, report, engine_name, k);
  }
  return report.passed() ? 0 : 1;
}

}  // namespace symbreak::cli
