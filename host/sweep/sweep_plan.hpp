// A sweep as (configuration x replicate) work items, numbered config-major so that the items of
// one configuration are contiguous: item i is replicate i % seeds of configuration i / seeds.
#pragma once

#include <cstdint>
#include <vector>

#include "host/config/config.hpp"
#include "host/config/task.hpp"
#include "kernels/network_shape.cuh"

namespace symbreak {

struct WorkItem {
  std::int64_t config = 0;
  std::uint32_t replicate = 0;
};

struct SweepPlan {
  std::vector<Task> tasks;
  std::vector<Config> configs;
  RunSettings run;

  std::int64_t item_count() const { return static_cast<std::int64_t>(configs.size()) * run.seeds; }

  WorkItem item(std::int64_t index) const {
    return WorkItem{index / run.seeds, static_cast<std::uint32_t>(index % run.seeds)};
  }

  const Task& task_of(const Config& c) const { return tasks[c.task]; }

  NetworkShape shape_of(const Config& c) const {
    if (!c.layer_widths.empty()) {
      return shape_with_widths(tasks[c.task].inputs, c.layer_widths.data(),
                               static_cast<int>(c.layer_widths.size()));
    }
    return NetworkShape{tasks[c.task].inputs, c.width, c.depth};
  }
};

}  // namespace symbreak
