// Command-line names of activations (docs/method.md §2), losses (§3) and optimisers (§4.1).
#pragma once

#include <string>
#include <string_view>

#include "kernels/activation.cuh"
#include "kernels/loss.cuh"
#include "kernels/optimizer.cuh"

namespace symbreak {

std::string_view activation_name(Activation f);
Activation parse_activation(std::string_view name);  // throws UsageError

std::string_view loss_name(Loss loss);
Loss parse_loss(std::string_view name);  // throws UsageError

// Optimisers (docs/method.md §4.1): sgd, adam, rmsprop; PyTorch's class names (Adam, RMSprop,
// SGD) are accepted too, as any capitalisation.
std::string_view optimizer_name(Optimizer optimizer);
Optimizer parse_optimizer(std::string_view name);  // throws UsageError

}  // namespace symbreak
