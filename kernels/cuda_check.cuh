// CUDA_CHECK and CUBLAS_CHECK: every runtime and cuBLAS call goes through one of them, and a
// failure throws CudaError naming the call, the file and the line. Host code only.
#pragma once

#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace symbreak {

class CudaError : public std::runtime_error {
 public:
  explicit CudaError(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] inline void throw_cuda_error(const char* what, const char* call, const char* file,
                                          int line) {
  throw CudaError(std::string(call) + " failed at " + file + ":" + std::to_string(line) + ": " +
                  what);
}

}  // namespace symbreak

#define CUDA_CHECK(call)                                                                  \
  do {                                                                                    \
    const cudaError_t symbreak_status_ = (call);                                          \
    if (symbreak_status_ != cudaSuccess) {                                                \
      ::symbreak::throw_cuda_error(cudaGetErrorString(symbreak_status_), #call, __FILE__, \
                                   __LINE__);                                             \
    }                                                                                     \
  } while (0)
