// libFuzzer target: the list and number grammar of every grid option (--task … --batch) and of the
// run options' numbers (--epochs, --seeds, --seed, --tol, --threads), parsed as `sweep` parses
// them. The input is lines `name=value` (name without the dashes, e.g. `width=4,,8`); each option
// is parsed alone, so that an error in one does not hide the others, then all of them together.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "host/cli/grid_options.hpp"
#include "host/cli/run_options.hpp"
#include "host/config/task.hpp"
#include "host/config/usage_error.hpp"
#include "host/sweep/sweep_grid.hpp"
#include "number_grammar.hpp"

namespace {

using symbreak::UsageError;
using symbreak::cli::GridOptions;
using symbreak::cli::RunOptions;

void check(bool ok) {
  if (!ok) std::abort();  // a parsed value outside what the option accepts
}

// Every value that build_grid returns is one the options accept (README's table).
void check_grid(const symbreak::SweepGrid& g) {
  for (const std::string& task : g.tasks)
    symbreak::check_task_name(task);  // throws (and so aborts) for a name it should refuse
  for (int depth : g.depths)
    check(depth >= 1 && depth <= symbreak::cli::kMaxDepth);
  for (const symbreak::WidthChoice& width : g.widths) {
    check(width.width >= 1 && width.width <= symbreak::cli::kMaxWidth);
    check(width.layers.size() <= static_cast<std::size_t>(symbreak::kMaxListedLayers));
    for (const int h : width.layers)
      check(h >= 1 && h <= width.width);
  }
  for (double lr : g.lrs)
    check(std::isfinite(lr) && lr > 0.0);
  for (double momentum : g.momenta)
    check(momentum >= 0.0 && momentum < 1.0);
  for (int batch : g.batches)
    check(batch >= 0);
  for (double lambda : g.weight_decays)
    check(std::isfinite(lambda) && lambda >= 0.0);
  for (double p : g.dropouts)
    check(p >= 0.0 && p < 1.0);
  for (double sigma : g.grad_noises)
    check(std::isfinite(sigma) && sigma >= 0.0);
  for (const symbreak::InitChoice& init : g.inits)
    check(std::isfinite(init.weights.param));
  for (const symbreak::BiasChoice& bias : g.bias_inits)
    check(std::isfinite(bias.bias.param));
}

// Every item of an accepted list is written as the number grammar says ("+-1" is not a number),
// spaces around it aside; a range item (A..B:N) is checked by the values it gives (check_grid).
void check_items(const std::optional<std::string>& text, bool (*grammar)(std::string_view)) {
  if (!text) return;
  std::string_view rest = *text;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    check(item.find("..") != std::string_view::npos || grammar(item));
    if (comma == std::string_view::npos) return;
    rest.remove_prefix(comma + 1);
  }
}

void check_run(const RunOptions& o) {
  const symbreak::RunSettings run = symbreak::cli::build_run_settings(o);
  check(run.epochs >= 0 && run.seeds >= 1 && std::isfinite(run.tol) && run.tol > 0.0);
  const int threads = symbreak::cli::thread_count(o);
  check(threads >= 0 && threads <= 4096);
  for (const auto* text : {&o.epochs, &o.seeds, &o.seed, &o.threads})
    check_items(*text, symbreak::fuzz::is_integer_text);
  check_items(o.tol, symbreak::fuzz::is_decimal_text);
}

struct Options {
  GridOptions grid;
  RunOptions run;
};

std::optional<std::string>* field(Options& o, std::string_view name) {
  const std::pair<std::string_view, std::optional<std::string>*> fields[] = {
      {"task", &o.grid.task},
      {"depth", &o.grid.depth},
      {"width", &o.grid.width},
      {"activation", &o.grid.activation},
      {"init", &o.grid.init},
      {"bias-init", &o.grid.bias_init},
      {"loss", &o.grid.loss},
      {"lr", &o.grid.lr},
      {"momentum", &o.grid.momentum},
      {"batch", &o.grid.batch},
      {"epochs", &o.run.epochs},
      {"seeds", &o.run.seeds},
      {"seed", &o.run.seed},
      {"tol", &o.run.tol},
      {"threads", &o.run.threads},
      {"optimizer", &o.grid.optimizer},
      {"weight-decay", &o.grid.weight_decay},
      {"dropout", &o.grid.dropout},
      {"grad-noise", &o.grid.grad_noise},
  };
  for (const auto& [n, f] : fields) {
    if (n == name) return f;
  }
  return nullptr;
}

// Parses as `sweep` does; `name` is the one option set, or empty when several are. A message of
// a lone option's error starts with the option's name.
void parse(const Options& o, std::string_view name) {
  const auto check_message = [name](const UsageError& e) {
    if (!name.empty())
      check(std::string_view(e.what()).starts_with("--" + std::string(name) + ":"));
  };
  try {
    check_grid(symbreak::cli::build_grid(o.grid));
    for (const auto* text : {&o.grid.depth, &o.grid.batch})
      check_items(*text, symbreak::fuzz::is_integer_text);
    check_items(o.grid.width, symbreak::fuzz::is_width_text);
    for (const auto* text :
         {&o.grid.lr, &o.grid.momentum, &o.grid.weight_decay, &o.grid.dropout, &o.grid.grad_noise})
      check_items(*text, symbreak::fuzz::is_decimal_text);
  } catch (const UsageError& e) {
    check_message(e);
  }
  try {
    check_run(o.run);
  } catch (const UsageError& e) {
    check_message(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Options all;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, equals);
    const std::string value(line.substr(equals + 1));
    Options alone;
    std::optional<std::string>* one = field(alone, name);
    if (one == nullptr) continue;
    *one = value;
    parse(alone, name);
    *field(all, name) = value;
  }
  parse(all, {});
  return 0;
}
