// Tests host/number_parse: a number must be written in full, with at most one sign.
#include "host/config/number_parse.hpp"

#include <gtest/gtest.h>

namespace symbreak {
namespace {

TEST(NumberParse, AcceptsOneSign) {
  EXPECT_EQ(parse_finite_double("+0.5"), 0.5);
  EXPECT_EQ(parse_finite_double("-0.5"), -0.5);
  EXPECT_EQ(parse_integer("+7", 0, 10), 7);
  EXPECT_EQ(parse_integer("-7", -10, 10), -7);
}

// Found by fuzz/fuzz_init_schemes: "const:+-0" was accepted as -0.
TEST(NumberParse, RejectsTwoSigns) {
  for (const char* text : {"+-0", "+-1", "++1", "-+1", "--1", "+", "-"}) {
    EXPECT_FALSE(parse_finite_double(text)) << text;
    EXPECT_FALSE(parse_integer(text, -10, 10)) << text;
  }
}

TEST(NumberParse, RejectsTrailingTextAndNonFinite) {
  for (const char* text : {"", "1x", "1,", " 1", "1 ", "inf", "nan", "1e999"})
    EXPECT_FALSE(parse_finite_double(text)) << text;
  for (const char* text : {"", "1.5", "1e3", "0x10", "11"})
    EXPECT_FALSE(parse_integer(text, 0, 10)) << text;
}

}  // namespace
}  // namespace symbreak
