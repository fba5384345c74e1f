// What CUDA can see on this machine, asked through the CUDA runtime when symbreak was built with
// CUDA. A missing driver or device is an answer, not an error.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace symbreak {

struct CudaDevice {
  int index = 0;
  std::string name;
  int major = 0, minor = 0;  // compute capability
  double memory_gib = 0.0;
  int multiprocessors = 0;
};

struct CudaStatus {
  bool built_with_cuda = false;
  std::vector<CudaDevice> devices;
  std::string why_none;  // set when devices is empty: no driver, no device, or not built
};

CudaStatus query_cuda_devices();

// Under mpirun, the device of the rank numbered `local_rank` among its machine's ranks: round
// robin over the machine's devices, so N ranks on a machine with N GPUs get one GPU each.
// `cuda.devices` must not be empty.
inline int local_rank_device(int local_rank, const CudaStatus& cuda) {
  return cuda.devices[static_cast<std::size_t>(local_rank) % cuda.devices.size()].index;
}

// Makes `device` the calling thread's current CUDA device (cudaSetDevice), so that an engine made
// on this thread afterwards works there; throws std::runtime_error when that fails. Without CUDA:
// nothing to do.
void use_cuda_device(int device);

}  // namespace symbreak
