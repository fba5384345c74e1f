// How much memory symbreak allows itself: half of the machine's physical memory, or less when the
// environment variable SYMBREAK_MEMORY_LIMIT (bytes) says so, e.g. on a shared machine. Sweeps and
// data files that would need more are refused before any work starts.
#pragma once

#include <string>

namespace symbreak {

double physical_memory_bytes();

// min(physical / 2, SYMBREAK_MEMORY_LIMIT when it is set to a number > 0).
double memory_limit_bytes();

// An amount of memory for messages: "1.5 GiB", or MiB / KiB for small amounts.
std::string memory_text(double bytes);

}  // namespace symbreak
