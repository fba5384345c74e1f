// Parses the init-scheme names of docs/method.md §5 ("he-normal:2", "tied:normal:1",
// "zeros/normal:1").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kernels/init_scheme.cuh"

namespace symbreak {

// One value of --init: a weight scheme and, in the W/B form, the bias scheme that replaces
// --bias-init for it.
struct InitChoice {
  WeightInit weights;
  std::optional<BiasInit> bias;          // set by the W/B form
  std::string text;                      // as written, names in our spelling: "zeros/normal:1"
  std::optional<std::string> bias_text;  // the B of W/B
};

struct BiasChoice {
  BiasInit bias;
  std::string text;
};

// Throw UsageError naming the value and what is accepted. PyTorch's and Keras's spellings are
// accepted and written back in ours (xavier_uniform, glorot-uniform: xavier-uniform;
// kaiming-normal: he-normal).
InitChoice parse_init_choice(std::string_view text);
BiasChoice parse_bias_choice(std::string_view text);

// The accepted forms, for messages and --help.
std::string_view weight_scheme_forms();
std::string_view bias_scheme_forms();

}  // namespace symbreak
