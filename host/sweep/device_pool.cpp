// Each device thread trains its chunks in order and parks each in its slot until the runner takes
// it, so at most one finished chunk per device waits in memory.
#include "host/sweep/device_pool.hpp"

#include <algorithm>
#include <set>

#include "host/config/number_parse.hpp"
#include "host/config/usage_error.hpp"

namespace symbreak {

std::vector<int> parse_devices(const std::string& text, int available) {
  if (text == "all") {
    std::vector<int> all(static_cast<std::size_t>(std::max(available, 1)));
    for (std::size_t i = 0; i < all.size(); ++i)
      all[i] = static_cast<int>(i);
    return all;
  }
  std::vector<int> devices;
  std::set<int> seen;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
    const auto device = parse_integer(item, 0, 1023);
    if (!device || !seen.insert(static_cast<int>(*device)).second) {
      throw UsageError("--devices: '" + text +
                       "' is not accepted; expected all, or distinct device numbers separated by "
                       "commas, e.g. 0,1");
    }
    devices.push_back(static_cast<int>(*device));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return devices;
}

DevicePool::DevicePool(const SweepPlan& plan, const std::vector<int>& devices,
                       EngineFactory make_engine, std::int64_t first_item, std::int64_t end_item,
                       std::int64_t chunk_items)
    : plan_(plan),
      make_engine_(std::move(make_engine)),
      first_item_(first_item),
      end_item_(end_item),
      chunk_items_(chunk_items),
      slots_(devices.size()) {
  for (std::size_t i = 0; i < devices.size(); ++i)
    threads_.emplace_back([this, i, d = devices[i]] { run_device(i, d); });
}

DevicePool::~DevicePool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : threads_)
    t.join();
}

void DevicePool::run_device(std::size_t index, int device) {
  try {
    const std::unique_ptr<Engine> engine = make_engine_(device);
    const auto count = static_cast<std::int64_t>(slots_.size());
    std::vector<WorkItem> items;
    for (auto k = static_cast<std::int64_t>(index); first_item_ + k * chunk_items_ < end_item_;
         k += count) {
      {
        const std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      const std::int64_t first = first_item_ + k * chunk_items_;
      const std::int64_t n = std::min(chunk_items_, end_item_ - first);
      items.resize(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i)
        items[static_cast<std::size_t>(i)] = plan_.item(first + i);
      std::vector<NetworkResult> results(static_cast<std::size_t>(n));
      engine->train(plan_, items, results);
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !slots_[index].full; });
      if (stopping_) return;
      slots_[index] = Slot{true, k, std::move(results)};
      changed_.notify_all();
    }
  } catch (...) {
    const std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
    changed_.notify_all();
  }
}

void DevicePool::take(std::int64_t k, std::span<NetworkResult> out) {
  Slot& slot = slots_[static_cast<std::size_t>(k % static_cast<std::int64_t>(slots_.size()))];
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || (slot.full && slot.chunk == k); });
  if (error_) std::rethrow_exception(error_);
  std::move(slot.results.begin(), slot.results.end(), out.begin());
  slot.full = false;
  slot.results.clear();
  changed_.notify_all();
}

}  // namespace symbreak
