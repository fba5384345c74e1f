// Tests host/config/width_choice and --width's list parsing: plain widths and ranges as before,
// per-layer sizes (10x5) with their bounds, the refusal of --depth beside them, how the sweep grid
// expands them (they fix the depth) and how tables and CSV files write them.
#include "host/config/width_choice.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/cli/grid_options.hpp"
#include "host/config/config.hpp"
#include "host/config/usage_error.hpp"
#include "kernels/network_shape.cuh"

namespace symbreak {
namespace {

// The message of the UsageError `f` throws, or "" when it throws none.
template <class F>
std::string usage_message(F f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(WidthChoice, ParsesPerLayerSizesAndLeavesPlainWidthsAlone) {
  const auto w = parse_listed_widths("--width", "10x5", 65535);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->layers, (std::vector<int>{10, 5}));
  EXPECT_EQ(w->width, 10);
  EXPECT_TRUE(w->listed());
  EXPECT_EQ(width_text(w->width, w->layers), "10x5");
  const auto narrow_first = parse_listed_widths("--width", "3X8x1", 65535);
  ASSERT_TRUE(narrow_first);
  EXPECT_EQ(narrow_first->width, 8);
  EXPECT_EQ(width_text(narrow_first->width, narrow_first->layers), "3x8x1");
  EXPECT_FALSE(parse_listed_widths("--width", "16", 65535));
  EXPECT_EQ(width_text(16, {}), "16");
}

TEST(WidthChoice, RefusesMalformedListsNamingTheItem) {
  for (const char* bad : {"10x", "x5", "10xx5", "10x0", "10x-5", "10x5.5", "10x70000", "10xa"}) {
    const std::string m = usage_message([&] { parse_listed_widths("--width", bad, 65535); });
    EXPECT_NE(m.find(std::string("'") + bad + "'"), std::string::npos) << bad << ": " << m;
    EXPECT_NE(m.find("H1xH2x...xHL"), std::string::npos) << m;
  }
  std::string longest = "1", too_long;
  for (int l = 1; l < kMaxListedLayers; ++l)
    longest += "x1";
  too_long = longest + "x1";
  EXPECT_TRUE(parse_listed_widths("--width", longest, 65535));
  EXPECT_NE(usage_message([&] {
              parse_listed_widths("--width", too_long, 65535);
            }).find("more than 16 layers"),
            std::string::npos);
}

SweepGrid grid_from(std::optional<std::string> width, std::optional<std::string> depth) {
  cli::GridOptions o;
  o.width = std::move(width);
  o.depth = std::move(depth);
  return cli::build_grid(o);
}

TEST(WidthOption, MixesPlainWidthsRangesAndPerLayerSizes) {
  const SweepGrid g = grid_from("4, 10x5, 8..16:x2", std::nullopt);
  ASSERT_EQ(g.widths.size(), 4u);
  EXPECT_EQ(g.widths[0], WidthChoice(4));
  EXPECT_EQ(g.widths[1], WidthChoice(std::vector<int>{10, 5}));
  EXPECT_EQ(g.widths[2], WidthChoice(8));
  EXPECT_EQ(g.widths[3], WidthChoice(16));
}

TEST(WidthOption, RefusesPerLayerSizesWithAnExplicitDepth) {
  const std::string m = usage_message([] { grid_from("10x5", "2"); });
  EXPECT_NE(m.find("--width: '10x5'"), std::string::npos) << m;
  EXPECT_NE(m.find("--depth"), std::string::npos) << m;
  EXPECT_EQ(usage_message([] { grid_from("10", "2"); }), "");
  EXPECT_NE(usage_message([] { grid_from("4,10x5", "1,2"); }), "");
}

TEST(WidthOption, PerLayerSizesFixTheDepthAndPlainWidthsCrossWithIt) {
  SweepGrid g = grid_from("4,10x5", std::nullopt);
  g.depths = {1, 3};  // as a config file's depth list would, had it been allowed: here, by hand
  g.tasks = {"xor"};
  g.activations = {Activation::tanh};
  g.inits = {parse_init_choice("zeros")};
  RunSettings run;
  const SweepPlan plan = make_plan(g, run);
  ASSERT_EQ(configuration_count(g), 3);
  ASSERT_EQ(plan.configs.size(), 3u);
  std::vector<std::string> shapes;
  for (const Config& c : plan.configs)
    shapes.push_back(std::to_string(c.depth) + ":" + width_text(c));
  EXPECT_EQ(shapes, (std::vector<std::string>{"1:4", "2:10x5", "3:4"}));
  const NetworkShape s = plan.shape_of(plan.configs[1]);
  EXPECT_EQ(s.units(1), 10);
  EXPECT_EQ(s.units(2), 5);
  EXPECT_EQ(s.units(3), 1);
}

}  // namespace
}  // namespace symbreak
