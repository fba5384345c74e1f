// Table-driven parsing of scheme names and their parameters.
#include "host/config/init_scheme_names.hpp"

#include <array>
#include <cmath>
#include <string>

#include "host/config/name_suggestion.hpp"
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

// PyTorch's and Keras's spellings of a scheme name in ours: '_' for '-' (xavier_uniform),
// glorot for xavier (Keras), kaiming for he (PyTorch).
std::string canonical_scheme_name(std::string_view name) {
  std::string canonical(name);
  for (char& c : canonical) {
    if (c == '_') c = '-';
  }
  for (const auto& [alias, ours] : {std::pair{std::string_view("glorot-"), "xavier-"},
                                    std::pair{std::string_view("kaiming-"), "he-"}}) {
    if (canonical.starts_with(alias)) canonical = ours + canonical.substr(alias.size());
  }
  return canonical;
}

template <class Scheme>
struct ParsedScheme {
  Scheme scheme;
  double param;
  std::string text;  // in the canonical spelling, e.g. "xavier-uniform:2"
};

// Splits "name:param" and looks the name (or its alias) up in `table`.
template <class Scheme, std::size_t N>
std::optional<ParsedScheme<Scheme>> parse_scheme(std::string_view whole, std::string_view text,
                                                 const std::array<SchemeName<Scheme>, N>& table) {
  const std::size_t colon = text.find(':');
  const std::string name = canonical_scheme_name(text.substr(0, colon));
  std::optional<std::string_view> arg;
  if (colon != std::string_view::npos) arg = text.substr(colon + 1);
  for (const auto& entry : table) {
    if (entry.name == name) {
      std::string canonical = name;
      if (arg) canonical.append(":").append(*arg);
      return ParsedScheme<Scheme>{entry.scheme, parse_param(whole, name, arg, entry.rule),
                                  canonical};
    }
  }
  return std::nullopt;
}

// " (did you mean ...?)" against the names of `table`.
template <class Scheme, std::size_t N>
std::string suggestion(std::string_view text, const std::array<SchemeName<Scheme>, N>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table)
    names.emplace_back(entry.name);
  return did_you_mean(canonical_scheme_name(text.substr(0, text.find(':'))), names);
}

// Sets `canonical` to the text in the canonical spelling.
WeightInit parse_weight_init(std::string_view whole, std::string_view text,
                             std::string& canonical) {
  WeightInit init;
  canonical.clear();
  for (const auto& [prefix, sharing] :
       {std::pair{std::string_view("tied:"), Sharing::tied},
        std::pair{std::string_view("symmetric:"), Sharing::symmetric}}) {
    if (text.starts_with(prefix)) {
      init.sharing = sharing;
      canonical = prefix;
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
    throw UsageError("unknown init scheme " + quoted(whole) + suggestion(text, kWeightSchemes) +
                     "; accepted: " + std::string(kWeightForms));
  }
  init.scheme = parsed->scheme;
  init.param = parsed->param;
  canonical += parsed->text;
  return init;
}

BiasInit parse_bias_init(std::string_view whole, std::string_view text, std::string& canonical) {
  const auto parsed = parse_scheme(whole, text, kBiasSchemes);
  if (!parsed) {
    throw UsageError("unknown bias scheme " + quoted(whole) + suggestion(text, kBiasSchemes) +
                     "; accepted: " + std::string(kBiasForms));
  }
  canonical = parsed->text;
  return BiasInit{parsed->scheme, parsed->param};
}

}  // namespace

InitChoice parse_init_choice(std::string_view text) {
  InitChoice choice;
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    choice.weights = parse_weight_init(text, text, choice.text);
    return choice;
  }
  const std::string_view weights = text.substr(0, slash);
  const std::string_view bias = text.substr(slash + 1);
  if (weights.empty() || bias.empty()) {
    throw UsageError(quoted(text) +
                     ": the W/B form needs a weight scheme and a bias scheme, e.g. "
                     "zeros/normal:1");
  }
  choice.weights = parse_weight_init(text, weights, choice.text);
  std::string bias_text;
  choice.bias = parse_bias_init(text, bias, bias_text);
  choice.text += "/" + bias_text;
  choice.bias_text = bias_text;
  return choice;
}

BiasChoice parse_bias_choice(std::string_view text) {
  BiasChoice choice;
  choice.bias = parse_bias_init(text, text, choice.text);
  return choice;
}

std::string_view weight_scheme_forms() {
  return kWeightForms;
}
std::string_view bias_scheme_forms() {
  return kBiasForms;
}

}  // namespace symbreak
