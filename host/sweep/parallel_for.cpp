// A minimal work-sharing loop: an atomic counter hands out indices one at a time, which balances
// networks of very different cost without any tuning.
#include "host/sweep/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace symbreak {

int resolve_thread_count(int threads) {
  if (threads > 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void parallel_for(std::int64_t count, int threads, const std::function<void(std::int64_t)>& body) {
  const int workers =
      static_cast<int>(std::min<std::int64_t>(resolve_thread_count(threads), count));
  if (workers <= 1) {
    for (std::int64_t i = 0; i < count; ++i)
      body(i);
    return;
  }
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::int64_t i = next++; i < count && !failed; i = next++) {
      try {
        body(i);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (int t = 1; t < workers; ++t)
    pool.emplace_back(work);
  work();
  for (auto& thread : pool)
    thread.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace symbreak
