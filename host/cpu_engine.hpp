// The `cpu` engine (SPEC §9): float precision on all cores, running the very kernels' code — the
// per-thread and per-warp fused training functions and the layered element operations — compiled
// for the host. This is how CI executes the GPU kernels' logic and checks it against cpu-ref.
#pragma once

#include <memory>

#include "engine.hpp"

namespace symbreak {

std::unique_ptr<Engine> make_cpu_engine(int threads);

}  // namespace symbreak
