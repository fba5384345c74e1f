// Builds without CUDA still know the GPU engines' names, so that `symbreak devices` can say why
// they cannot run and `--engine cuda` fails with a clear message.
#include <stdexcept>

#include "host/engines/cuda_engine.hpp"

namespace symbreak {

std::string cuda_unavailable_reason() {
  return "this build of symbreak has no CUDA support (nvcc was not found at build time)";
}

std::unique_ptr<Engine> make_cuda_engine(int) {
  throw std::runtime_error(cuda_unavailable_reason());
}
std::unique_ptr<Engine> make_cublas_engine(int) {
  throw std::runtime_error(cuda_unavailable_reason());
}

}  // namespace symbreak
