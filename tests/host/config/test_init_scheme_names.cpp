// Tests host/init_scheme_names: every scheme form of docs/method.md §5 parses to the right scheme,
// sharing and parameter, the W/B form splits into weights and bias, and malformed names are
// rejected with a message that names them.
#include "host/config/init_scheme_names.hpp"

#include <gtest/gtest.h>

#include <string>

#include "host/config/usage_error.hpp"

namespace symbreak {
namespace {

struct WeightCase {
  const char* text;
  WeightScheme scheme;
  Sharing sharing;
  double param;
};

TEST(InitSchemeNames, ParsesEveryWeightForm) {
  using S = WeightScheme;
  using H = Sharing;
  const WeightCase cases[] = {
      {"zeros", S::zeros, H::independent, 0.0},
      {"const:0.5", S::constant, H::independent, 0.5},
      {"const:-2", S::constant, H::independent, -2.0},
      {"const:0", S::constant, H::independent, 0.0},
      {"uniform:0.1", S::uniform, H::independent, 0.1},
      {"normal:1", S::normal, H::independent, 1.0},
      {"normal:1e-3", S::normal, H::independent, 1e-3},
      {"xavier-uniform", S::xavier_uniform, H::independent, 1.0},
      {"xavier-uniform:2", S::xavier_uniform, H::independent, 2.0},
      {"xavier-normal", S::xavier_normal, H::independent, 1.0},
      {"xavier-normal:0.5", S::xavier_normal, H::independent, 0.5},
      {"he-uniform", S::he_uniform, H::independent, 1.0},
      {"he-normal", S::he_normal, H::independent, 1.0},
      {"he-normal:1.4142", S::he_normal, H::independent, 1.4142},
      {"lecun-uniform", S::lecun_uniform, H::independent, 1.0},
      {"lecun-normal:3", S::lecun_normal, H::independent, 3.0},
      {"trunc-normal:0.02", S::trunc_normal, H::independent, 0.02},
      {"torch-linear", S::torch_linear, H::independent, 0.0},
      {"orthogonal", S::orthogonal, H::independent, 1.0},
      {"orthogonal:1.5", S::orthogonal, H::independent, 1.5},
      {"identity", S::identity, H::independent, 1.0},
      {"identity:0.5", S::identity, H::independent, 0.5},
      {"hadamard", S::hadamard, H::independent, 0.0},
      {"tied:normal:1", S::normal, H::tied, 1.0},
      {"tied:orthogonal", S::orthogonal, H::tied, 1.0},
      {"tied:zeros", S::zeros, H::tied, 0.0},
      {"symmetric:normal:1", S::normal, H::symmetric, 1.0},
      {"symmetric:he-uniform:2", S::he_uniform, H::symmetric, 2.0},
      {"symmetric:const:0.3", S::constant, H::symmetric, 0.3},
  };
  for (const WeightCase& c : cases) {
    SCOPED_TRACE(c.text);
    const InitChoice choice = parse_init_choice(c.text);
    EXPECT_EQ(choice.weights.scheme, c.scheme);
    EXPECT_EQ(choice.weights.sharing, c.sharing);
    EXPECT_EQ(choice.weights.param, c.param);
    EXPECT_EQ(choice.text, c.text);
    EXPECT_FALSE(choice.bias.has_value());
    EXPECT_FALSE(choice.bias_text.has_value());
  }
}

struct BiasCase {
  const char* text;
  BiasScheme scheme;
  double param;
};

constexpr BiasCase kBiasCases[] = {
    {"zeros", BiasScheme::zeros, 0.0},        {"const:0.1", BiasScheme::constant, 0.1},
    {"const:-1", BiasScheme::constant, -1.0}, {"uniform:0.5", BiasScheme::uniform, 0.5},
    {"normal:1", BiasScheme::normal, 1.0},    {"torch-linear", BiasScheme::torch_linear, 0.0},
};

TEST(InitSchemeNames, ParsesEveryBiasForm) {
  for (const BiasCase& c : kBiasCases) {
    SCOPED_TRACE(c.text);
    const BiasChoice choice = parse_bias_choice(c.text);
    EXPECT_EQ(choice.bias.scheme, c.scheme);
    EXPECT_EQ(choice.bias.param, c.param);
    EXPECT_EQ(choice.text, c.text);
  }
}

TEST(InitSchemeNames, WeightSlashBiasFormCarriesItsBias) {
  for (const BiasCase& c : kBiasCases) {
    for (const char* weights : {"zeros", "tied:normal:1", "xavier-uniform:2", "hadamard"}) {
      const std::string text = std::string(weights) + "/" + c.text;
      SCOPED_TRACE(text);
      const InitChoice choice = parse_init_choice(text);
      EXPECT_EQ(choice.weights.scheme, parse_init_choice(weights).weights.scheme);
      EXPECT_EQ(choice.weights.sharing, parse_init_choice(weights).weights.sharing);
      EXPECT_EQ(choice.weights.param, parse_init_choice(weights).weights.param);
      ASSERT_TRUE(choice.bias.has_value());
      EXPECT_EQ(choice.bias->scheme, c.scheme);
      EXPECT_EQ(choice.bias->param, c.param);
      EXPECT_EQ(choice.text, text);
      ASSERT_TRUE(choice.bias_text.has_value());
      EXPECT_EQ(*choice.bias_text, c.text);
    }
  }
  const InitChoice torch = parse_init_choice("torch-linear/torch-linear");
  EXPECT_EQ(torch.weights.scheme, WeightScheme::torch_linear);
  EXPECT_EQ(torch.bias->scheme, BiasScheme::torch_linear);
}

// Built with append: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(...) chains.
std::string quoted(const std::string& text) {
  std::string q = "'";
  q.append(text).append("'");
  return q;
}

// Each rejection must be a UsageError whose one-line message quotes the offending text.
void expect_rejected_weight(const std::string& text, const std::string& named) {
  SCOPED_TRACE(text);
  try {
    parse_init_choice(text);
    ADD_FAILURE() << "accepted";
  } catch (const UsageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(named), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(InitSchemeNames, RejectsMalformedWeightSchemes) {
  for (const char* bad : {
           "const:",              // parameter missing after ':'
           "const",               // const needs c
           "const:abc",           // not a number
           "const:inf",           // not finite
           "uniform:0",           // a scale must be > 0
           "uniform:-1",          //
           "uniform",             // no default for a
           "normal:-1",           // a standard deviation must be > 0
           "normal:nan",          // not finite
           "normal:1e999",        // overflows
           "normal:1x",           // trailing characters
           "normal: 1",           // spaces are not part of a number
           "trunc-normal",        // s required
           "he-normal:abc",       // a gain is a number
           "he-normal:0",         // a gain must be > 0
           "xavier-uniform:-2",   //
           "orthogonal:",         // an empty gain
           "zeros:3",             // zeros takes no parameter
           "hadamard:2",          //
           "torch-linear:1",      //
           "tied:tied:normal:1",  // sharing does not nest
           "tied:symmetric:normal:1",
           "symmetric:tied:normal:1",
           "tied:",                 // sharing of nothing
           "symmetric:foo",         //
           "foo",                   // unknown
           "Zeros",                 // names are case-sensitive
           "",                      //
           "zeros/",                // W/B without B
           "/normal:1",             // W/B without W
           "/",                     //
           "zeros/he-normal",       // not a bias scheme
           "zeros/normal:0",        // bias scale must be > 0
           "zeros/normal:1/zeros",  // one slash only
       }) {
    expect_rejected_weight(bad, quoted(bad));
  }
}

TEST(InitSchemeNames, RejectsMalformedBiasSchemes) {
  for (const char* bad :
       {"he-normal", "xavier-uniform", "const:", "uniform:0", "normal:-1", "normal:nan", "zeros:3",
        "torch-linear:1", "tied:normal:1", "foo", "", "zeros/normal:1"}) {
    SCOPED_TRACE(bad);
    try {
      parse_bias_choice(bad);
      ADD_FAILURE() << "accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(quoted(bad)), std::string::npos) << e.what();
    }
  }
}

// The float engines hold parameters in float: a parameter that is infinite there is refused with
// a message naming float's range, while the largest float itself is accepted.
TEST(InitSchemeNames, RejectsParametersBeyondFloatRange) {
  for (const char* bad : {"const:1e39", "const:-1e39", "uniform:3.5e38", "normal:1e300",
                          "he-normal:1e39", "trunc-normal:4e38", "tied:const:1e39",
                          "symmetric:normal:1e39", "zeros/const:1e39", "zeros/const:-1e39"}) {
    expect_rejected_weight(bad, "float's range");
  }
  for (const char* bad : {"const:1e39", "uniform:1e39", "normal:3.5e38"}) {
    SCOPED_TRACE(bad);
    try {
      parse_bias_choice(bad);
      ADD_FAILURE() << "accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("float's range"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(quoted(bad)), std::string::npos) << e.what();
    }
  }
  // 3.4028235e38 is FLT_MAX as printed: it rounds to FLT_MAX, not to infinity.
  EXPECT_EQ(parse_init_choice("const:3.4028235e38").weights.param, 3.4028235e38);
  EXPECT_EQ(parse_init_choice("const:-3.4e38").weights.param, -3.4e38);
  EXPECT_EQ(parse_bias_choice("const:1e38").bias.param, 1e38);
}

TEST(InitSchemeNames, FormsListEveryScheme) {
  const std::string weights(weight_scheme_forms());
  for (const char* name :
       {"zeros", "const:c", "uniform:a", "normal:s", "xavier-uniform[:g]", "xavier-normal[:g]",
        "he-uniform[:g]", "he-normal[:g]", "lecun-uniform[:g]", "lecun-normal[:g]",
        "trunc-normal:s", "torch-linear", "orthogonal[:g]", "identity[:g]", "hadamard",
        "tied:<scheme>", "symmetric:<scheme>"}) {
    EXPECT_NE(weights.find(name), std::string::npos) << name;
  }
  const std::string biases(bias_scheme_forms());
  for (const char* name : {"zeros", "const:c", "uniform:a", "normal:s", "torch-linear"})
    EXPECT_NE(biases.find(name), std::string::npos) << name;
}

}  // namespace
}  // namespace symbreak
