// Cartesian expansion of the grid into the plan's configurations.
#include "host/sweep/sweep_grid.hpp"

#include <limits>

namespace symbreak {

SweepGrid demo_grid() {
  SweepGrid g;
  g.tasks = {"xor"};
  g.depths = {1};
  g.widths = {4};
  g.activations = {Activation::tanh, Activation::sigmoid, Activation::relu};
  for (const char* scheme : {"zeros", "const:0.5", "symmetric:normal:1", "tied:normal:1",
                             "zeros/normal:1", "xavier-uniform", "he-normal"}) {
    g.inits.push_back(parse_init_choice(scheme));
  }
  g.bias_inits = {parse_bias_choice("zeros")};
  g.losses = {Loss::bce};
  g.lrs = {0.5};
  g.momenta = {0.0};
  g.batches = {0};
  return g;
}

namespace {

std::int64_t bias_variants(const InitChoice& init, const SweepGrid& g) {
  return init.bias ? 1 : static_cast<std::int64_t>(g.bias_inits.size());
}

}  // namespace

std::int64_t configuration_count(const SweepGrid& g) {
  std::int64_t inits = 0;
  for (const InitChoice& init : g.inits)
    inits += bias_variants(init, g);
  const std::int64_t sizes[] = {static_cast<std::int64_t>(g.tasks.size()),
                                static_cast<std::int64_t>(g.depths.size()),
                                static_cast<std::int64_t>(g.widths.size()),
                                static_cast<std::int64_t>(g.activations.size()),
                                inits,
                                static_cast<std::int64_t>(g.losses.size()),
                                static_cast<std::int64_t>(g.lrs.size()),
                                static_cast<std::int64_t>(g.momenta.size()),
                                static_cast<std::int64_t>(g.batches.size()),
                                static_cast<std::int64_t>(g.optimizers.size()),
                                static_cast<std::int64_t>(g.weight_decays.size()),
                                static_cast<std::int64_t>(g.dropouts.size()),
                                static_cast<std::int64_t>(g.grad_noises.size())};
  std::int64_t count = 1;
  for (const std::int64_t s : sizes) {
    if (s != 0 && count > std::numeric_limits<std::int64_t>::max() / s) {
      return std::numeric_limits<std::int64_t>::max();  // saturate: the caller rejects it
    }
    count *= s;
  }
  return count;
}

SweepPlan make_plan(const SweepGrid& g, const RunSettings& run) {
  SweepPlan plan;
  plan.run = run;
  for (const std::string& name : g.tasks)
    plan.tasks.push_back(make_task(name, run.data_seed));
  plan.configs.reserve(configuration_count(g));
  for (int t = 0; t < static_cast<int>(g.tasks.size()); ++t)
    for (const int depth : g.depths)
      for (const int width : g.widths)
        for (const Activation activation : g.activations)
          for (const InitChoice& init : g.inits)
            for (std::int64_t b = 0; b < bias_variants(init, g); ++b)
              for (const Loss loss : g.losses)
                for (const double lr : g.lrs)
                  for (const double momentum : g.momenta)
                    for (const int batch : g.batches)
                      for (const Optimizer optimizer : g.optimizers)
                        for (const double weight_decay : g.weight_decays)
                          for (const double dropout : g.dropouts)
                            for (const double grad_noise : g.grad_noises) {
                              Config c;
                              c.task = t;
                              c.depth = depth;
                              c.width = width;
                              c.activation = activation;
                              c.init = init;
                              c.bias = init.bias ? BiasChoice{*init.bias, *init.bias_text}
                                                 : g.bias_inits[b];
                              c.loss = loss;
                              c.lr = lr;
                              // --momentum is SGD's; Adam and RMSprop run without one
                              // (docs/method.md §4.1), so theirs resolves to 0.
                              c.momentum = optimizer == Optimizer::sgd ? momentum : 0.0;
                              c.batch = batch;
                              c.optimizer = optimizer;
                              c.weight_decay = weight_decay;
                              c.dropout = dropout;
                              c.grad_noise = grad_noise;
                              plan.configs.push_back(c);
                            }
  return plan;
}

}  // namespace symbreak
