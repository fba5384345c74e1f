// Maps activation and loss names to their enums and back.
#include "host/config/activation_loss_names.hpp"

#include <array>
#include <string>

#include "host/config/name_suggestion.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

constexpr std::array<std::string_view, kActivationCount> kActivationNames = {
    "sigmoid", "tanh", "relu", "leaky_relu", "linear"};
constexpr std::array<std::string_view, 2> kLossNames = {"bce", "mse"};
constexpr std::array<std::string_view, 3> kOptimizerNames = {"sgd", "adam", "rmsprop"};

}  // namespace

std::string_view activation_name(Activation f) {
  return kActivationNames[static_cast<int>(f)];
}

Activation parse_activation(std::string_view name) {
  // leaky-relu (the spelling of PyTorch's nn.LeakyReLU docs) is leaky_relu.
  std::string canonical(name);
  for (char& c : canonical) {
    if (c == '-') c = '_';
  }
  for (int i = 0; i < kActivationCount; ++i) {
    if (kActivationNames[i] == canonical) return static_cast<Activation>(i);
  }
  throw UsageError("unknown activation '" + std::string(name) + "'" +
                   did_you_mean(canonical, std::vector<std::string>(kActivationNames.begin(),
                                                                    kActivationNames.end())) +
                   "; accepted: sigmoid, tanh, relu, leaky_relu, linear");
}

std::string_view loss_name(Loss loss) {
  return kLossNames[static_cast<int>(loss)];
}

Loss parse_loss(std::string_view name) {
  for (int i = 0; i < 2; ++i) {
    if (kLossNames[i] == name) return static_cast<Loss>(i);
  }
  throw UsageError(
      "unknown loss '" + std::string(name) + "'" +
      did_you_mean(name, std::vector<std::string>(kLossNames.begin(), kLossNames.end())) +
      "; accepted: bce, mse");
}

std::string_view optimizer_name(Optimizer optimizer) {
  return kOptimizerNames[static_cast<int>(optimizer)];
}

Optimizer parse_optimizer(std::string_view name) {
  std::string canonical(name);
  for (char& c : canonical) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (int i = 0; i < static_cast<int>(kOptimizerNames.size()); ++i) {
    if (kOptimizerNames[i] == canonical) return static_cast<Optimizer>(i);
  }
  throw UsageError("unknown optimizer '" + std::string(name) + "'" +
                   did_you_mean(canonical, std::vector<std::string>(kOptimizerNames.begin(),
                                                                    kOptimizerNames.end())) +
                   "; accepted: sgd, adam, rmsprop");
}

}  // namespace symbreak
