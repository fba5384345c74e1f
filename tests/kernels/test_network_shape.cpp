// Tests kernels/network_shape.cuh: layer sizes and the flat parameter layout, for uniform widths
// and for hidden layers of their own sizes ([2, 10, 5, 1], --width 10x5).
#include "kernels/network_shape.cuh"

#include <gtest/gtest.h>

#include <vector>

namespace symbreak {
namespace {

TEST(NetworkShape, ListedWidthsGiveEachLayerItsOwnSizeAndOffsets) {
  const int sizes[] = {10, 5};
  const NetworkShape s = shape_with_widths(2, sizes, 2);
  EXPECT_TRUE(s.has_listed_widths());
  EXPECT_EQ(s.depth, 2);
  EXPECT_EQ(s.width, 10) << "width is the widest layer: it sizes per-layer scratch";
  EXPECT_EQ(s.layers(), 3);
  const std::vector<int> units = {s.units(0), s.units(1), s.units(2), s.units(3)};
  EXPECT_EQ(units, (std::vector<int>{2, 10, 5, 1}));
  // [W_1 10x2][b_1 10][W_2 5x10][b_2 5][W_3 1x5][b_3 1]
  EXPECT_EQ(s.weight_offset(1), 0);
  EXPECT_EQ(s.bias_offset(1), 20);
  EXPECT_EQ(s.weight_offset(2), 30);
  EXPECT_EQ(s.bias_offset(2), 80);
  EXPECT_EQ(s.weight_offset(3), 85);
  EXPECT_EQ(s.bias_offset(3), 90);
  EXPECT_EQ(s.parameter_count(), 91);
  EXPECT_EQ(s.hidden_units(), 15);
}

TEST(NetworkShape, WidestLayerMayBeAnyAndUniformShapesAreUnchanged) {
  const int narrow_first[] = {1, 7, 3};
  const NetworkShape s = shape_with_widths(4, narrow_first, 3);
  EXPECT_EQ(s.width, 7);
  EXPECT_EQ(s.units(1), 1);
  EXPECT_EQ(s.units(3), 3);
  EXPECT_EQ(s.units(4), 1);
  EXPECT_EQ(s.parameter_count(), (4 + 1) * 1 + (1 + 1) * 7 + (7 + 1) * 3 + (3 + 1));

  const NetworkShape uniform{3, 6, 4};
  EXPECT_FALSE(uniform.has_listed_widths());
  for (int l = 1; l <= 4; ++l)
    EXPECT_EQ(uniform.units(l), 6);
  EXPECT_EQ(uniform.parameter_count(), (3 + 1) * 6 + 3 * (6 + 1) * 6 + (6 + 1));
  // Listing the same size for every layer is the uniform shape's layout.
  const int same[] = {6, 6, 6, 6};
  const NetworkShape listed = shape_with_widths(3, same, 4);
  for (int l = 0; l <= 5; ++l)
    EXPECT_EQ(listed.weight_offset(l == 0 ? 1 : l), uniform.weight_offset(l == 0 ? 1 : l));
  EXPECT_EQ(listed.parameter_count(), uniform.parameter_count());
}

TEST(NetworkShape, TheLongestListFits) {
  std::vector<int> sizes(kMaxListedLayers);
  for (int l = 0; l < kMaxListedLayers; ++l)
    sizes[l] = l + 1;
  const NetworkShape s = shape_with_widths(2, sizes.data(), kMaxListedLayers);
  EXPECT_EQ(s.depth, kMaxListedLayers);
  EXPECT_EQ(s.units(kMaxListedLayers), kMaxListedLayers);
  EXPECT_EQ(s.units(kMaxListedLayers + 1), 1);
  EXPECT_EQ(s.width, kMaxListedLayers);
}

}  // namespace
}  // namespace symbreak
