// Tests requires_exact_distinct (host/verify/verification.cpp) with the options of
// docs/method.md §4.1: Adam, RMSprop and weight decay keep the exact D_l requirement of symmetric
// starts; gradient noise drops it; dropout keeps it only for zero weights and biases with
// f(0) = 0, which stay frozen.
#include <gtest/gtest.h>

#include <string>

#include "host/config/init_scheme_names.hpp"
#include "host/verify/verification.hpp"

namespace symbreak {
namespace {

Config config(const std::string& init, Activation f = Activation::tanh) {
  Config c;
  c.init = parse_init_choice(init);
  c.bias = c.init.bias ? BiasChoice{*c.init.bias, *c.init.bias_text} : parse_bias_choice("zeros");
  c.activation = f;
  return c;
}

TEST(ExactDistinct, PerParameterOptimisersKeepTheRequirement) {
  for (const char* init : {"zeros", "const:0.5", "symmetric:normal:1", "identity", "hadamard"}) {
    for (const Optimizer o : {Optimizer::sgd, Optimizer::adam, Optimizer::rmsprop}) {
      Config c = config(init);
      c.optimizer = o;
      c.weight_decay = 0.01;
      EXPECT_TRUE(requires_exact_distinct(c)) << init;
    }
  }
  EXPECT_FALSE(requires_exact_distinct(config("xavier-uniform")));
  EXPECT_FALSE(requires_exact_distinct(config("zeros/normal:1")));
}

TEST(ExactDistinct, GradientNoiseDropsIt) {
  for (const char* init : {"zeros", "const:0.5", "symmetric:normal:1"}) {
    Config c = config(init);
    c.grad_noise = 0.01;
    EXPECT_FALSE(requires_exact_distinct(c)) << init;
  }
}

TEST(ExactDistinct, DropoutKeepsItOnlyWhereNoGradientReachesTheNeurons) {
  for (const Activation f : {Activation::tanh, Activation::relu, Activation::leaky_relu,
                             Activation::linear, Activation::sigmoid}) {
    Config zeros = config("zeros", f);
    zeros.dropout = 0.5;
    EXPECT_EQ(requires_exact_distinct(zeros), f != Activation::sigmoid);
    for (const char* init : {"const:0.5", "symmetric:normal:1", "zeros/const:0.1", "identity"}) {
      Config c = config(init, f);
      c.dropout = 0.5;
      EXPECT_FALSE(requires_exact_distinct(c)) << init;
    }
  }
}

}  // namespace
}  // namespace symbreak
