// Runs body(i) for i in [0, count) on `threads` std::threads with dynamic scheduling. The first
// exception thrown by any body is rethrown on the caller's thread after all threads stop.
#pragma once

#include <cstdint>
#include <functional>

namespace symbreak {

// threads <= 0 means every hardware thread.
int resolve_thread_count(int threads);

void parallel_for(std::int64_t count, int threads, const std::function<void(std::int64_t)>& body);

}  // namespace symbreak
