// SIMD across networks for the `cpu` engine (docs/method.md §13.1): up to kPackLanes networks of
// one configuration trained together, one network per lane of a pack of floats, by the kernels'
// own code instantiated on the pack (float_pack.hpp). Every lane computes bit for bit what
// the scalar float code (and the GPU) computes for its network.
#pragma once

#include <cstdint>

#include "kernels/kernel_choice.cuh"
#include "kernels/train_job.cuh"

namespace symbreak {

// Networks per pack.
int pack_lanes();

// One segment of training of `lanes` (1 ... pack_lanes()) networks of `job` with the kernel
// `choice` names (fused per thread, fused per warp, or the layered element operations). Network i's
// parameters and velocity start at params + i * P and velocity + i * P (P =
// job.shape.parameter_count()); its state is states[i]; with Adam its second moment starts at
// moment2 + i * P; its replicate (which keys dropout masks and gradient noise) is replicates[i]
// (all 0 when replicates is null).
void train_pack_on_host(const TrainJob& job, KernelChoice choice, EpochSegment segment, int lanes,
                        float* params, float* velocity, TrainState* states,
                        float* moment2 = nullptr, const std::uint32_t* replicates = nullptr);

}  // namespace symbreak
