// "Did you mean ...?" for mistyped names: the accepted name nearest by edit distance, when it is
// near enough that the typo is likely (a swapped, missing or extra letter or two).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace symbreak {

// Edit distance: insertions, deletions and substitutions of single characters, and swaps of two
// neighbouring ones (the optimal string alignment distance).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The name of `accepted` nearest to `given`, if within max(1, |given| / 3) edits; ties go to the
// first listed.
std::optional<std::string> closest_name(std::string_view given,
                                        const std::vector<std::string>& accepted);

// " (did you mean 'NAME'?)" for the closest name, or "" when none is near.
std::string did_you_mean(std::string_view given, const std::vector<std::string>& accepted);

}  // namespace symbreak
