// Writes a task's samples with every value in the shortest form that reads back as the same
// double, through OutputFile (a file is replaced only when complete). Every check, including
// reading a csv: task's files, happens before any output is opened.
#include "host/cli/data_command.hpp"

#include <cstdio>
#include <limits>
#include <memory>
#include <vector>

#include "host/config/number_parse.hpp"
#include "host/config/task.hpp"
#include "host/config/usage_error.hpp"
#include "host/report/csv_writer.hpp"
#include "host/report/output_file.hpp"

namespace symbreak::cli {
namespace {

// Header x1, ..., xd, label, then one row per sample.
std::string samples_csv(int inputs, int samples, const std::vector<double>& x,
                        const std::vector<double>& target) {
  std::string text;
  for (int j = 0; j < inputs; ++j)
    text += "x" + std::to_string(j + 1) + ",";
  text += "label\n";
  for (int s = 0; s < samples; ++s) {
    for (int j = 0; j < inputs; ++j)
      text += format_number(x[static_cast<std::size_t>(s) * inputs + j]) + ",";
    text += target[s] > 0.5 ? "1\n" : "0\n";
  }
  return text;
}

}  // namespace

CLI::App* setup_data(CLI::App& parent, DataOptions& o) {
  CLI::App& app = *parent.add_subcommand(
      "data",
      "write a task's training set (and test set) as CSV, e.g. symbreak data circles "
      "--out train.csv --test test.csv");
  app.add_option("task", o.task,
                 "the task, as for sweep --task: circles[:n[:noise[:factor]]], moons[:n[:noise]], "
                 "spiral[:n[:noise]], csv:TRAIN.csv[:TEST.csv], xor, and, or, parity:N")
      ->required()
      ->type_name("NAME");
  app.add_option("--out", o.out, "the training set; - for standard output")
      ->required()
      ->type_name("FILE.csv");
  app.add_option("--test", o.test, "the test set (data tasks)")->type_name("FILE.csv");
  app.add_option("--data-seed", o.data_seed,
                 "seed of the noise of circles, moons and spiral, 0 ... 4294967295 [0]")
      ->type_name("S");
  return &app;
}

int run_data_command(const DataOptions& o) {
  std::uint32_t data_seed = 0;
  if (o.data_seed) {
    const auto seed = parse_integer(*o.data_seed, 0, std::numeric_limits<std::uint32_t>::max());
    if (!seed) {
      throw UsageError("--data-seed: '" + *o.data_seed +
                       "' is not accepted; expected an integer from 0 to 4294967295");
    }
    data_seed = static_cast<std::uint32_t>(*seed);
  }
  check_task_name(o.task);
  const Task task = make_task(o.task, data_seed);
  if (o.test && !task.has_test_set()) {
    throw UsageError("--test: task '" + o.task +
                     "' has no test set (xor, and, or, parity:N and csv:TRAIN without :TEST)");
  }
  const OutputTarget out_target = resolve_output("--out", *o.out);
  std::optional<OutputTarget> test_target;
  if (o.test) {
    test_target = resolve_output("--test", *o.test);
    if (!out_target.identity().empty() && out_target.identity() == test_target->identity()) {
      throw UsageError("'" + *o.test + "' is given for --out and --test; each needs its own file");
    }
  }
  OutputFile out("--out", *o.out, out_target);
  std::unique_ptr<OutputFile> test;
  if (test_target) test = std::make_unique<OutputFile>("--test", *o.test, *test_target);
  out.write(samples_csv(task.inputs, task.samples, task.x, task.target));
  if (test) {
    test->write(samples_csv(task.inputs, task.test_samples, task.test_x, task.test_target));
  }
  int status = 0;
  for (OutputFile* file : {&out, test.get()}) {
    if (!file) continue;
    if (const std::string error = file->commit(); !error.empty()) {
      std::fprintf(stderr, "symbreak: error: %s\n", error.c_str());
      status = 1;
    }
  }
  return status;
}

}  // namespace symbreak::cli
