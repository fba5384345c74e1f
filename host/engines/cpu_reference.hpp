// cpu-ref: the double-precision oracle of docs/method.md §9. Plain, readable training code that
// shares only the initialisation (kernels/init_params.cuh) and the random draws of dropout and
// gradient noise (kernels/breaker_draws.cuh, §4.1) with the other engines.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "host/engines/engine.hpp"

namespace symbreak {

class CpuReferenceEngine final : public Engine {
 public:
  explicit CpuReferenceEngine(int threads) : threads_(threads) {}
  std::string_view name() const override { return "cpu-ref"; }
  void train(const SweepPlan& plan, std::span<const WorkItem> items,
             std::span<NetworkResult> out) override;
  std::string kernel_for(const SweepPlan&, const Config&) const override { return "reference"; }

 private:
  int threads_;
};

// The initial parameters of one replicate, in the layout of network_shape.cuh.
std::vector<double> reference_initial_parameters(const SweepPlan& plan, WorkItem item);

// Trains one network and measures it (docs/method.md §4, §6).
NetworkResult train_reference_network(const SweepPlan& plan, WorkItem item);

struct LossAndGradient {
  double loss = 0.0;             // mean over the samples
  std::vector<double> gradient;  // d loss / d params, same layout as params
};

// Mean loss and its gradient over samples first ... first + count - 1 of `task`.
LossAndGradient reference_loss_and_gradient(const Task& task, const NetworkShape& shape,
                                            Activation activation, Loss loss,
                                            std::span<const double> params, int first, int count);

}  // namespace symbreak
