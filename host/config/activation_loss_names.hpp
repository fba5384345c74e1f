// Command-line names of activations (docs/method.md §2) and losses (docs/method.md §3).
#pragma once

#include <string>
#include <string_view>

#include "kernels/activation.cuh"
#include "kernels/loss.cuh"

namespace symbreak {

std::string_view activation_name(Activation f);
Activation parse_activation(std::string_view name);  // throws UsageError

std::string_view loss_name(Loss loss);
Loss parse_loss(std::string_view name);  // throws UsageError

}  // namespace symbreak
