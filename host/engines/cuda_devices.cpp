// Device query through the CUDA runtime API; compiled without CUDA it reports that instead.
#include "host/engines/cuda_devices.hpp"

#include <stdexcept>
#include <string>

#if defined(SYMBREAK_WITH_CUDA)
#include <cuda_runtime_api.h>
#endif

namespace symbreak {

CudaStatus query_cuda_devices() {
  CudaStatus status;
#if defined(SYMBREAK_WITH_CUDA)
  status.built_with_cuda = true;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later queries start clean
    if (err == cudaErrorNoDevice) {
      status.why_none = "no CUDA device found (the driver reports none)";
    } else if (err == cudaErrorInsufficientDriver) {
      status.why_none = "no CUDA driver found, or it is older than this CUDA runtime";
    } else {
      status.why_none = std::string("CUDA unavailable: ") + cudaGetErrorString(err);
    }
    return status;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    status.devices.push_back(CudaDevice{i, prop.name, prop.major, prop.minor,
                                        static_cast<double>(prop.totalGlobalMem) / (1 << 30),
                                        prop.multiProcessorCount});
  }
  if (status.devices.empty()) status.why_none = "no CUDA device found";
#else
  status.why_none = "this build of symbreak has no CUDA support (nvcc was not found at build time)";
#endif
  return status;
}

void use_cuda_device(int device) {
#if defined(SYMBREAK_WITH_CUDA)
  const cudaError_t err = cudaSetDevice(device);
  if (err != cudaSuccess) {
    throw std::runtime_error("CUDA device " + std::to_string(device) + ": " +
                             cudaGetErrorString(err));
  }
#else
  (void)device;
#endif
}

}  // namespace symbreak
