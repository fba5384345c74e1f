// libFuzzer target: the init-scheme grammar (`tied:`, `symmetric:`, `W/B`, parameters) of --init
// and --bias-init. The input is one scheme as written on the command line.
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "host/config/init_scheme_names.hpp"
#include "host/config/usage_error.hpp"
#include "number_grammar.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();  // a parsed value outside what the grammar accepts
}

// In an accepted scheme, whatever follows a scheme name's ':' and is not a name is a number
// written as the number grammar says ("const:+-1" is not).
void check_params(std::string_view text) {
  for (std::size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    std::string_view param = text.substr(colon + 1);
    param = param.substr(0, param.find_first_of(":/"));
    const bool name = !param.empty() && std::isalpha(static_cast<unsigned char>(param.front()));
    if (!name) check(symbreak::fuzz::is_decimal_text(param));
  }
}

// A refusal quotes the value as written. what() ends at a NUL byte, which a command-line value
// cannot hold and a config file may not (host/cli/config_file.cpp refuses it).
bool names_value(const symbreak::UsageError& e, std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return true;
  return std::string_view(e.what()).find("'" + std::string(text) + "'") != std::string_view::npos;
}

// Text written with PyTorch's or Keras's spelling of a name ('_' for '-', glorot, kaiming), which
// is accepted and written back in symbreak's.
bool alias_spelling(std::string_view text) {
  return text.find('_') != std::string_view::npos ||
         text.find("glorot") != std::string_view::npos ||
         text.find("kaiming") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const symbreak::InitChoice choice = symbreak::parse_init_choice(text);
    check(choice.text == text || alias_spelling(text));
    check(symbreak::parse_init_choice(choice.text).text == choice.text);  // canonical is a fixpoint
    check_params(text);
    check(std::isfinite(choice.weights.param));
    check(choice.bias.has_value() == choice.bias_text.has_value());
    if (choice.bias) check(std::isfinite(choice.bias->param));
    // What was accepted once is accepted again, with the same meaning.
    const symbreak::InitChoice again = symbreak::parse_init_choice(choice.text);
    check(again.weights.scheme == choice.weights.scheme &&
          again.weights.sharing == choice.weights.sharing &&
          again.weights.param == choice.weights.param);
  } catch (const symbreak::UsageError& e) {
    check(names_value(e, text));
  }
  try {
    const symbreak::BiasChoice bias = symbreak::parse_bias_choice(text);
    check(bias.text == text || alias_spelling(text));
    check_params(text);
    check(std::isfinite(bias.bias.param));
  } catch (const symbreak::UsageError&) {
  }
  return 0;
}
