// Host entry points of the CUDA kernels, for the cuda and cublas engines. Each takes device
// pointers (documented in its struct) and enqueues its kernels on `stream`; every launch is
// checked. Defined in the .cu files of this folder, compiled only when CUDA is available.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "init_scheme.cuh"
#include "layered_batch.cuh"
#include "metrics.cuh"
#include "optimizer_step.cuh"
#include "train_job.cuh"

namespace symbreak {

class CublasHandle;

// The networks of a chunk on the device. Network k belongs to job network_job[k] and its
// parameters (and optimiser state, initial copy) start at offset[k] of the flat arrays.
struct DeviceNetworks {
  const TrainJob* jobs = nullptr;     // [job], x / y pointing at device memory
  const int* network_job = nullptr;   // [network]
  const long long* offset = nullptr;  // [network]
  float* params = nullptr;            // [parameter_total]
  float* velocity = nullptr;          // [parameter_total]: velocity, square average, Adam's m
  float* initial = nullptr;           // [parameter_total]
  TrainState* states = nullptr;       // [network]
  int count = 0;
  float* moment2 = nullptr;  // [parameter_total], Adam's second moment; only when a job uses Adam
};

// Per-thread fused training of the networks listed in `slots` ([slot_count], -1 = padding), all
// of thread bucket `bucket` (kernel_choice.cuh); each warp's 32 slots belong to one job, so the
// threads of a warp never diverge.
void launch_fused_thread(int bucket, const DeviceNetworks& nets, const int* slots, int slot_count,
                         EpochSegment segment, cudaStream_t stream);

// Per-warp fused training: one warp per network of `networks` ([count]), all of one depth and
// update rule (update_rule of their jobs).
void launch_fused_warp(int depth, UpdateRule rule, const DeviceNetworks& nets, const int* networks,
                       int count, EpochSegment segment, cudaStream_t stream);

// Layered training of one configuration's networks (layered_batch.cuh), with the custom dense
// products or with cuBLAS (pedantic math, no TF32) when `cublas` is given.
void launch_layered(const LayeredBatch& batch, EpochSegment segment, const CublasHandle* cublas,
                    cudaStream_t stream);

// Metrics of every network: metrics[k], distinct[depth_offset[k] + l - 1] = D_l. Scratch per
// network, at width_offset[k]: parent ints and norm doubles, one per neuron of its widest layer.
// Every offset array is [count], on the device.
void launch_measure(const DeviceNetworks& nets, double tol, const long long* depth_offset,
                    const long long* width_offset, NetworkMetrics* metrics, int* distinct,
                    int* parent, double* norm, cudaStream_t stream);

}  // namespace symbreak
