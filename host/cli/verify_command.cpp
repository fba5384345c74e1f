// Trains only the sampled replicates (0 ... K-1 of every configuration) with both engines, so a
// verification costs K networks per configuration twice.
#include "host/cli/verify_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>

#include "host/cli/config_errors.hpp"
#include "host/cli/config_file.hpp"
#include "host/cli/config_selection.hpp"
#include "host/config/config_columns.hpp"
#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"
#include "host/engines/engine.hpp"
#include "host/engines/engine_choice.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/output_file.hpp"
#include "host/sweep/memory_budget.hpp"
#include "host/sweep/stop_request.hpp"
#include "host/sweep/sweep_runner.hpp"
#include "host/verify/exact_comparison.hpp"
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
  // As sweep's progress: redrawn on a terminal; in a log, a line at most every 10 s and the last.
  const bool tty = isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  double last_line = -1e9;
  for (std::size_t first = 0; first < items.size(); first += chunk) {
    if (stop_requested()) return false;
    const std::size_t count = std::min<std::size_t>(chunk, items.size() - first);
    engine.train(plan, std::span(items).subspan(first, count),
                 std::span(results).subspan(first, count));
    const bool last = first + count == items.size();
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress && (tty || last || now - last_line >= 10.0)) {
      last_line = now;
      std::fprintf(stderr, "%ssymbreak verify: %s %zu/%zu networks%s", tty ? "\r" : "", what,
                   first + count, items.size(), tty && !last ? "\033[K" : "\n");
      std::fflush(stderr);
    }
  }
  return true;
}

// The engine to verify: "auto" as in sweep but never cpu-ref, which would be compared with itself.
std::string engine_to_verify(const VerifyOptions& o, const SweepPlan& plan) {
  check_engine_name(o.run.engine);
  if (o.run.engine == "cpu-ref") {
    throw UsageError(
        "--engine: 'cpu-ref' is not accepted for verify: cpu-ref is the reference every other "
        "engine is compared with, so it would be compared with itself; give cpu, cuda or cublas");
  }
  return o.run.engine == "auto" ? choose_auto_engine(plan, false) : o.run.engine;
}

// The checks run_verify_command makes of option values, without side effects; for --config.
void check_values(const VerifyOptions& o) {
  build_grid(o.grid);
  sample_configs_count(o.grid);
  build_run_settings(o.run);
  thread_count(o.run);
  check_engine_name(o.run.engine);
  if (o.run.engine == "cpu-ref") engine_to_verify(o, SweepPlan{});
  if (o.sample) sample_size(o.sample, 1, 1);
}

// --out: one CSV row per configuration, the configuration's columns and then how the engine and
// the reference agreed on its networks.
std::string comparison_csv(const SweepPlan& plan, const std::vector<WorkItem>& items,
                           const std::vector<NetworkResult>& engine,
                           const std::vector<NetworkResult>& reference, bool exact,
                           std::string_view engine_name, std::string_view reference_name) {
  std::string csv;
  for (const ConfigColumn& col : config_columns())
    csv.append(col.name).append(",");
  csv += exact ? "n,mismatches" : "n,exact_required,exact_mismatches";
  if (!exact) {
    for (int v = 0; v < kVerdicts; ++v)
      csv.append(",").append(kRateNames[v]).append("_agreement");
    for (const char* rate : kRateNames) {
      csv.append(",").append(rate).append("_engine,").append(rate).append("_reference");
    }
  }
  csv += ",engine,reference";
  // Informational, after the columns above: mean training and test accuracy in each engine and
  // the largest difference on one network (test columns empty without a test set).
  if (!exact) {
    csv +=
        ",accuracy_engine,accuracy_reference,largest_accuracy_difference,test_accuracy_engine,"
        "test_accuracy_reference,largest_test_accuracy_difference";
  }
  csv += "\n";
  std::vector<Agreement> agreement(plan.configs.size());
  std::vector<std::int64_t> n(plan.configs.size()), mismatches(plan.configs.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::int64_t c = items[i].config;
    ++n[c];
    if (exact) {
      mismatches[c] += first_difference(engine[i], reference[i]).empty() ? 0 : 1;
    } else {
      agreement[c].add(plan.configs[c], engine[i], reference[i]);
    }
  }
  for (std::size_t c = 0; c < plan.configs.size(); ++c) {
    for (const ConfigColumn& col : config_columns())
      csv.append(col.value(plan, plan.configs[c])).append(",");
    csv += std::to_string(n[c]);
    if (exact) {
      csv += "," + std::to_string(mismatches[c]);
    } else {
      const Agreement& a = agreement[c];
      csv += "," + std::to_string(a.exact_required) + "," + std::to_string(a.exact_mismatches);
      for (int v = 0; v < kVerdicts; ++v)
        csv += "," + format_number(a.verdict_agreement(v));
      for (int r = 0; r < kRates; ++r) {
        const double count = static_cast<double>(std::max<std::int64_t>(a.n, 1));
        csv += "," + format_number(static_cast<double>(a.engine_counts[r]) / count) + "," +
               format_number(static_cast<double>(a.reference_counts[r]) / count);
      }
    }
    csv.append(",").append(engine_name).append(",").append(reference_name);
    if (!exact) {
      const Agreement& a = agreement[c];
      const double count = static_cast<double>(std::max<std::int64_t>(a.n, 1));
      csv += "," + format_number(a.engine_accuracy_sum / count) + "," +
             format_number(a.reference_accuracy_sum / count) + "," +
             format_number(a.largest_accuracy_difference) + ",";
      if (a.test_measured > 0) {
        const double tested = static_cast<double>(a.test_measured);
        csv += format_number(a.engine_test_sum / tested) + "," +
               format_number(a.reference_test_sum / tested) + "," +
               format_number(a.largest_test_difference);
      } else {
        csv += ",,";
      }
    }
    csv += "\n";
  }
  return csv;
}

}  // namespace

CLI::App* setup_verify(CLI::App& parent, VerifyOptions& o) {
  CLI::App& app = *parent.add_subcommand(
      "verify", "train a sweep with an engine and check it against cpu-ref on the same networks");
  add_grid_options(app, o.grid);
  add_run_options(app, o.run);
  app.add_option(
         "--sample", o.sample,
         "networks per configuration to compare, replicates 0 ... K-1 (default: all of them "
         "up to 50,000 networks in all, else about 50,000 in all but at least 100 per "
         "configuration)")
      ->type_name("K")
      ->group("Run");
  app.add_flag("--exact", o.exact,
               "compare with the cpu engine bit for bit instead of with cpu-ref (engines cuda, "
               "cpu): the GPU kernels and the cpu engine compute the same float arithmetic")
      ->group("Run");
  app.add_flag("--quiet", o.quiet, "print only the verdict")->group("Run");
  app.add_option("--out", o.out,
                 "per-configuration CSV of the comparison (configuration columns, then the "
                 "agreement); - for standard output")
      ->type_name("FILE.csv")
      ->group("Output");
  auto config = std::make_shared<std::string>();
  app.add_option("--config", *config, "read these options from a TOML file (as sweep does)")
      ->type_name("FILE")
      ->group("Output");
  app.callback([&app, &o, config] {
    if (config->empty()) return;
    check_config_values(*config, apply_config_file(app, *config), [&o] { check_values(o); });
  });
  return &app;
}

int run_verify_command(const VerifyOptions& o) {
  const SweepGrid grid = build_grid(o.grid);
  RunSettings run = build_run_settings(o.run);
  const std::optional<std::int64_t> sample_configs = sample_configs_count(o.grid);
  check_grid_fits(configuration_count(grid), run.seeds);
  const std::int64_t configs =
      std::min(configuration_count(grid), sample_configs.value_or(configuration_count(grid)));
  const std::int64_t k = sample_size(o.sample, run.seeds, configs);
  run.seeds = k;  // only replicates 0 ... K-1 are trained, by both engines
  const SelectedPlan selected = select_configurations(grid, run, sample_configs);
  const SweepPlan& plan = selected.plan;
  const int threads = thread_count(o.run);
  const std::unique_ptr<Engine> engine = make_engine(engine_to_verify(o, plan), threads);
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
  std::unique_ptr<OutputFile> out;
  if (o.out) out = std::make_unique<OutputFile>("--out", *o.out, resolve_output("--out", *o.out));
  if (!o.quiet && !selected.note().empty()) std::fprintf(stderr, "%s\n", selected.note().c_str());

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
  if (out) {
    out->write(comparison_csv(plan, items, engine_results, reference_results, o.exact, engine_name,
                              reference_name));
    if (const std::string error = out->commit(); !error.empty()) {
      std::fprintf(stderr, "symbreak: error: %s\n", error.c_str());
      return 1;
    }
  }
  // With the CSV on standard output (`--out -`), the verdict goes to stderr.
  std::ostream& text = out && out->writes_standard_output() ? std::cerr : std::cout;
  if (o.exact) {
    const ExactReport report = compare_exactly(engine_results, reference_results);
    text << (o.quiet ? (report.passed() ? "PASS\n" : "FAIL\n")
                     : format_exact_comparison(plan, items, report, engine_name));
    return report.passed() ? 0 : 1;
  }
  const VerificationReport report =
      compare_with_reference(plan, items, engine_results, reference_results);
  if (o.quiet) {
    text << (report.passed() ? "PASS\n" : "FAIL\n");
  } else {
    text << format_verification(plan, report, engine_name, k);
  }
  return report.passed() ? 0 : 1;
}

}  // namespace symbreak::cli
