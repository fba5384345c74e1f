// The theory of docs/method.md §4.1 on the cpu engine (float_breakers_theory.hpp): Adam, RMSprop
// and weight decay keep symmetric starts collapsed, dropout breaks them where a gradient reaches
// the neurons and leaves zeros with tanh or relu frozen, gradient noise breaks every symmetric
// start.
#include <gtest/gtest.h>

#include <memory>

#include "float_breakers_theory.hpp"
#include "host/engines/cpu_engine.hpp"

namespace symbreak {
namespace {

TEST(BreakerTheoryCpu, AdamRmspropAndWeightDecayKeepSymmetricStartsCollapsed) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(2);
  expect_per_parameter_breakers_keep_symmetry(*engine);
}

TEST(BreakerTheoryCpu, DropoutBreaksSymmetryWhereAGradientReachesTheNeurons) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(2);
  expect_dropout_breaks_where_gradient_reaches(*engine);
}

TEST(BreakerTheoryCpu, GradientNoiseBreaksEverySymmetricStart) {
  const std::unique_ptr<Engine> engine = make_cpu_engine(2);
  expect_gradient_noise_breaks_every_symmetric_start(*engine);
}

}  // namespace
}  // namespace symbreak
