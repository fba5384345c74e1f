// `--devices`: one host thread per device, each with its own engine, made on that thread (so a
// CUDA engine lives on its device). Chunk k of the sweep is trained on device k mod D, ahead of
// time; the sweep runner takes the chunks in order, so the results are aggregated and written
// exactly as with one device. On a machine without GPUs the `cpu` engine stands in per device,
// which is how the tests exercise this path.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "host/engines/engine.hpp"

namespace symbreak {

// "all" or a comma-separated list of distinct device numbers >= 0; `available` devices for "all"
// (at least 1). Throws UsageError naming the value.
std::vector<int> parse_devices(const std::string& text, int available);

class DevicePool {
 public:
  using EngineFactory = std::function<std::unique_ptr<Engine>(int device)>;

  // Trains the chunks of [first_item, end_item), chunk_items each, over `devices`.
  DevicePool(const SweepPlan& plan, const std::vector<int>& devices, EngineFactory make_engine,
             std::int64_t first_item, std::int64_t end_item, std::int64_t chunk_items);
  ~DevicePool();  // stops the devices after their current chunk
  DevicePool(const DevicePool&) = delete;
  DevicePool& operator=(const DevicePool&) = delete;

  // Waits for chunk k (counted from first_item) and moves its results into `out`. Rethrows what a
  // device thread threw.
  void take(std::int64_t k, std::span<NetworkResult> out);

 private:
  struct Slot {
    bool full = false;
    std::int64_t chunk = -1;
    std::vector<NetworkResult> results;
  };
  void run_device(std::size_t index, int device);

  const SweepPlan& plan_;
  EngineFactory make_engine_;
  std::int64_t first_item_, end_item_, chunk_items_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;  // one per device: its next finished chunk
  std::exception_ptr error_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace symbreak
