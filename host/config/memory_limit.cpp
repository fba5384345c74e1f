// The memory limit of memory_limit.hpp.
#include "host/config/memory_limit.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "host/config/number_parse.hpp"

namespace symbreak {

double physical_memory_bytes() {
  return static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double memory_limit_bytes() {
  double limit = physical_memory_bytes() / 2.0;
  if (const char* given = std::getenv("SYMBREAK_MEMORY_LIMIT")) {
    if (const auto bytes = parse_finite_double(given); bytes && *bytes > 0.0) {
      limit = std::min(limit, *bytes);
    }
  }
  return limit;
}

std::string memory_text(double bytes) {
  const char* unit = "GiB";
  double scale = 1024.0 * 1024.0 * 1024.0;
  if (bytes < 1024.0 * 1024.0) {
    unit = "KiB";
    scale = 1024.0;
  } else if (bytes < scale) {
    unit = "MiB";
    scale = 1024.0 * 1024.0;
  }
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.1f %s", bytes / scale, unit);
  return buffer;
}

}  // namespace symbreak
