// The `cpu` engine (docs/method.md §9): float precision on all cores, running the very kernels'
// code — the per-thread and per-warp fused training functions and the layered element operations —
// compiled for the host. This is how CI executes the GPU kernels' logic and checks it against
// cpu-ref.
#pragma once

#include <cstdint>
#include <memory>

#include "host/engines/engine.hpp"
#include "kernels/kernel_choice.cuh"
#include "kernels/train_job.cuh"

namespace symbreak {

std::unique_ptr<Engine> make_cpu_engine(int threads);

// One segment of training of one network on the host, with the kernel `choice` names: the
// per-thread or per-warp fused function, or the layered element operations. params / velocity:
// the network's flat vectors (network_shape.cuh); velocity also holds RMSprop's square average and
// Adam's first moment, moment2 Adam's second moment (needed with Adam only). replicate keys the
// network's dropout masks and gradient noise (docs/method.md §4.1).
void train_network_on_host(const TrainJob& job, KernelChoice choice, EpochSegment segment,
                           float* params, float* velocity, TrainState& state,
                           float* moment2 = nullptr, std::uint32_t replicate = 0);

}  // namespace symbreak
