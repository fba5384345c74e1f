// Registration and parsing of the grid options.
#include "host/cli/grid_options.hpp"

#include <cmath>
#include <limits>

#include "host/cli/list_parse.hpp"
#include "host/config/activation_loss_names.hpp"
#include "host/config/number_parse.hpp"
#include "host/config/task.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak::cli {

bool GridOptions::any_given() const {
  return task || depth || width || activation || init || bias_init || loss || lr || momentum ||
         batch || optimizer || weight_decay || dropout || grad_noise;
}

void add_grid_options(CLI::App& app, GridOptions& o) {
  const auto add = [&app](const char* name, std::optional<std::string>& target, const char* help) {
    app.add_option(name, target, help)->type_name("LIST")->group("Grid (comma-separated lists)");
  };
  app.footer(
      "Grid lists: comma-separated values (\"4, 8\" works too) or ranges: A..B:N (N values "
      "evenly spaced, --momentum 0..0.9:4), A..B:logN (log-spaced, --lr 1e-3..1:log7), A..B:xF "
      "(A, A*F, ... up to B, --width 4..64:x2) and, for integers, A..B. Names as PyTorch and "
      "Keras write them are accepted too (xavier_uniform, glorot-uniform, kaiming-normal, "
      "leaky-relu). An option given twice takes the last value.");
  add("--task", o.task,
      "xor, and, or, parity:N (1 <= N <= 12), circles[:n[:noise[:factor]]], moons[:n[:noise]], "
      "spiral[:n[:noise]], csv:TRAIN.csv[:TEST.csv] [xor]");
  add("--depth", o.depth, "hidden layers, 1 ... 10000 [1]");
  add("--width", o.width, "neurons per hidden layer, 1 ... 65535 [4]");
  add("--activation", o.activation,
      "sigmoid, tanh, relu, leaky_relu (slope 0.01 below 0), linear [tanh,sigmoid,relu]");
  add("--init", o.init,
      "weight schemes, W/B form allowed [zeros,const:0.5,symmetric:normal:1,tied:normal:1,"
      "zeros/normal:1,xavier-uniform,he-normal]");
  add("--bias-init", o.bias_init, "zeros, const:c, uniform:a, normal:s, torch-linear [zeros]");
  add("--loss", o.loss, "bce, mse [bce]");
  add("--lr", o.lr, "learning rates, > 0 [0.5]");
  add("--momentum", o.momentum, "classical momentum of sgd, 0 <= mu < 1 [0]");
  add("--batch", o.batch, "samples per update, 0 = full batch [0]");
  add("--optimizer", o.optimizer,
      "sgd, adam, rmsprop, with PyTorch's definitions and defaults; --lr is the optimizer's "
      "learning rate, --momentum applies to sgd only [sgd]");
  add("--weight-decay", o.weight_decay,
      "coupled L2 as PyTorch's weight_decay: gradient += lambda * parameter, on weights and "
      "biases, lambda >= 0 [0]");
  add("--dropout", o.dropout,
      "inverted dropout on every hidden layer's activations in training, 0 <= p < 1 [0]");
  add("--grad-noise", o.grad_noise,
      "standard deviation of Gaussian noise added to every gradient at every update, >= 0 [0]");
  app.add_option("--sample-configs", o.sample_configs,
                 "train a random N of the grid's configurations, drawn reproducibly from --seed "
                 "(random search) [all]")
      ->type_name("N")
      ->group("Grid (comma-separated lists)");
}

std::optional<std::int64_t> sample_configs_count(const GridOptions& o) {
  if (!o.sample_configs) return std::nullopt;
  const auto n = parse_integer(*o.sample_configs, 1, std::numeric_limits<std::int64_t>::max());
  if (!n) {
    throw UsageError("--sample-configs: '" + *o.sample_configs +
                     "' is not accepted; expected an integer >= 1");
  }
  return *n;
}

SweepGrid build_grid(const GridOptions& o) {
  SweepGrid g = demo_grid();
  if (o.task) {
    g.tasks = parse_named_list<std::string>("--task", *o.task, [](const std::string& name) {
      check_task_name(name);  // reads no data file yet: make_plan does
      return name;
    });
  }
  if (o.depth) {
    g.depths = parse_int_list("--depth", *o.depth, 1, kMaxDepth, "integers from 1 to 10000");
  }
  if (o.width) {
    g.widths = parse_int_list("--width", *o.width, 1, kMaxWidth, "integers from 1 to 65535");
  }
  if (o.activation) {
    g.activations = parse_named_list<Activation>(
        "--activation", *o.activation, [](const std::string& s) { return parse_activation(s); });
  }
  if (o.init) {
    g.inits = parse_named_list<InitChoice>(
        "--init", *o.init, [](const std::string& s) { return parse_init_choice(s); });
  }
  if (o.bias_init) {
    g.bias_inits = parse_named_list<BiasChoice>(
        "--bias-init", *o.bias_init, [](const std::string& s) { return parse_bias_choice(s); });
  }
  if (o.loss) {
    g.losses = parse_named_list<Loss>("--loss", *o.loss,
                                      [](const std::string& s) { return parse_loss(s); });
  }
  if (o.lr) {
    // The float engines round the learning rate to float, where 1e39 is infinite.
    g.lrs = parse_double_list(
        "--lr", *o.lr, [](double v) { return v > 0.0 && fits_float(v); },
        "numbers > 0 within float's range (at most 3.4e38), which the float engines use");
  }
  if (o.momentum) {
    g.momenta = parse_double_list(
        "--momentum", *o.momentum, [](double v) { return v >= 0.0 && v < 1.0; },
        "numbers with 0 <= momentum < 1");
  }
  if (o.batch) {
    g.batches = parse_int_list("--batch", *o.batch, 0, std::numeric_limits<int>::max(),
                               "integers >= 0 (0 = full batch)");
  }
  if (o.optimizer) {
    g.optimizers = parse_named_list<Optimizer>(
        "--optimizer", *o.optimizer, [](const std::string& s) { return parse_optimizer(s); });
  }
  // The float engines use lambda and sigma in float, so both must be finite there too.
  if (o.weight_decay) {
    g.weight_decays = parse_double_list(
        "--weight-decay", *o.weight_decay, [](double v) { return v >= 0.0 && fits_float(v); },
        "numbers >= 0 within float's range (at most 3.4e38)");
  }
  if (o.dropout) {
    g.dropouts = parse_double_list(
        "--dropout", *o.dropout, [](double v) { return v >= 0.0 && v < 1.0; },
        "probabilities with 0 <= p < 1");
  }
  if (o.grad_noise) {
    g.grad_noises = parse_double_list(
        "--grad-noise", *o.grad_noise, [](double v) { return v >= 0.0 && fits_float(v); },
        "standard deviations >= 0 within float's range (at most 3.4e38)");
  }
  return g;
}

}  // namespace symbreak::cli
