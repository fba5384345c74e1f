// Table-driven parsing of scheme names and their parameters.
#include "host/config/init_scheme_names.hpp"

#include <array>
#include <cmath>
#include <string>

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

// What may follow the name after ':'.
enum class ParamRule {
  none,      // nothing
  any,       // a required finite number (const:c)
  positive,  // a required finite number > 0 (scales, standard deviations)
  gain,      // an optional finite number > 0, default 1
};

template <class Scheme>
struct SchemeName {
  std::string_view name;
  Scheme scheme;
  ParamRule rule;
};

constexpr std::array<SchemeName<WeightScheme>, 15> kWeightSchemes = {{
    {"zeros", WeightScheme::zeros, ParamRule::none},
    {"const", WeightScheme::constant, ParamRule::any},
    {"uniform", WeightScheme::uniform, ParamRule::positive},
    {"normal", WeightScheme::normal, ParamRule::positive},
    {"xavier-uniform", WeightScheme::xavier_uniform, ParamRule::gain},
    {"xavier-normal", WeightScheme::xavier_normal, ParamRule::gain},
    {"he-uniform", WeightScheme::he_uniform, ParamRule::gain},
    {"he-normal", WeightScheme::he_normal, ParamRule::gain},
    {"lecun-uniform", WeightScheme::lecun_uniform, ParamRule::gain},
    {"lecun-normal", WeightScheme::lecun_normal, ParamRule::gain},
    {"trunc-normal", WeightScheme::trunc_normal, ParamRule::positive},
    {"torch-linear", WeightScheme::torch_linear, ParamRule::none},
    {"orthogonal", WeightScheme::orthogonal, ParamRule::gain},
    {"identity", WeightScheme::identity, ParamRule::gain},
    {"hadamard", WeightScheme::hadamard, ParamRule::none},
}};

constexpr std::array<SchemeName<BiasScheme>, 5> kBiasSchemes = {{
    {"zeros", BiasScheme::zeros, ParamRule::none},
    {"const", BiasScheme::constant, ParamRule::any},
    {"uniform", BiasScheme::uniform, ParamRule::positive},
    {"normal", BiasScheme::normal, ParamRule::positive},
    {"torch-linear", BiasScheme::torch_linear, ParamRule::none},
}};

constexpr std::string_view kWeightForms =
    "zeros, const:c, uniform:a, normal:s, xavier-uniform[:g], xavier-normal[:g], "
    "he-uniform[:g], he-normal[:g], lecun-uniform[:g], lecun-normal[:g], trunc-normal:s, "
    "torch-linear, orthogonal[:g], identity[:g], hadamard, tied:<scheme>, symmetric:<scheme>, "
    "each optionally followed by /<bias scheme>";
constexpr std::string_view kBiasForms = "zeros, const:c, uniform:a, normal:s, torch-linear";

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

double parse_param(std::string_view whole, std::string_view name,
                   std::optional<std::string_view> arg, ParamRule rule) {
  if (rule == ParamRule::none) {
    if (arg) throw UsageError(quoted(whole) + ": " + std::string(name) + " takes no parameter");
    return 0.0;
  }
  if (!arg) {
    if (rule == ParamRule::gain) return 1.0;
    throw UsageError(quoted(whole) + ": " + std::string(name) + " needs a parameter, e.g. " +
                     std::string(name) + (rule == ParamRule::any ? ":0.5" : ":1"));
  }
  const std::optional<double> value = parse_finite_double(*arg);
  const char* wanted = rule == ParamRule::any ? "a finite number" : "a finite number > 0";
  if (!value || (rule != ParamRule::any && !(*value > 0.0))) {
    throw UsageError(quoted(whole) + ": the parameter of " + std::string(name) + " must be " +
                     wanted + ", got " + quoted(*arg));
  }
  if (!fits_float(*value)) {
    // The cpu, cuda and cublas engines hold parameters in float, where this is infinite.
    throw UsageError(quoted(whole) + " is not accepted; its parameter " + std::string(*arg) +
                     " is outside float's range (" + std::string(kFloatRange) +
                     "), which the float engines use");
  }
  return *value;
}

// Splits "name:param" and looks the name up in `table`.
template <class Scheme, std::size_t N>
std::optional<std::pair<Scheme, double>> parse_scheme(
    std::string_view whole, std::string_view text, const std::array<SchemeName<Scheme>, N>& table) {
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  std::optional<std::string_view> arg;
  if (colon != std::string_view::npos) arg = text.substr(colon + 1);
  for (const auto& entry : table) {
    if (entry.name == name)
      return std::pair{entry.scheme, parse_param(whole, name, arg, entry.rule)};
  }
  return std::nullopt;
}

WeightInit parse_weight_init(std::string_view whole, std::string_view text) {
  WeightInit init;
  for (const auto& [prefix, sharing] :
       {std::pair{std::string_view("tied:"), Sharing::tied},
        std::pair{std::string_view("symmetric:"), Sharing::symmetric}}) {
    if (text.starts_with(prefix)) {
      init.sharing = sharing;
      text.remove_prefix(prefix.size());
      if (text.starts_with("tied:") || text.starts_with("symmetric:")) {
        throw UsageError(quoted(whole) +
                         ": tied: and symmetric: take a plain scheme, not another "
                         "tied: or symmetric:");
      }
      break;
    }
  }
  const auto parsed = parse_scheme(whole, text, kWeightSchemes);
  if (!parsed) {
    throw UsageError("unknown init scheme " + quoted(whole) +
                     "; accepted: " + std::string(kWeightForms));
  }
  init.scheme = parsed->first;
  init.param = parsed->second;
  return init;
}

BiasInit parse_bias_init(std::string_view whole, std::string_view text) {
  const auto parsed = parse_scheme(whole, text, kBiasSchemes);
  if (!parsed) {
    throw UsageError("unknown bias scheme " + quoted(whole) +
                     "; accepted: " + std::string(kBiasForms));
  }
  return BiasInit{parsed->first, parsed->second};
}

}  // namespace

InitChoice parse_init_choice(std::string_view text) {
  InitChoice choice;
  choice.text = std::string(text);
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    choice.weights = parse_weight_init(text, text);
    return choice;
  }
  const std::string_view weights = text.substr(0, slash);
  const std::string_view bias = text.substr(slash + 1);
  if (weights.empty() || bias.empty()) {
    throw UsageError(quoted(text) +
                     ": the W/B form needs a weight scheme and a bias scheme, e.g. "
                     "zeros/normal:1");
  }
  choice.weights = parse_weight_init(text, weights);
  choice.bias = parse_bias_init(text, bias);
  choice.bias_text = std::string(bias);
  return choice;
}

BiasChoice parse_bias_choice(std::string_view text) {
  return BiasChoice{parse_bias_init(text, text), std::string(text)};
}

std::string_view weight_scheme_forms() {
  return kWeightForms;
}
std::string_view bias_scheme_forms() {
  return kBiasForms;
}

}  // namespace symbreak
