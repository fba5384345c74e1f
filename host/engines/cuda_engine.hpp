// The GPU engines (docs/method.md §9): `cuda` runs the custom kernels (fused per thread or per warp
// where the shape fits, layered otherwise); `cublas` runs the layered algorithm with cuBLAS
// products, the baseline the custom kernels must beat. Both only exist in builds with CUDA.
#pragma once

#include <memory>
#include <string>

#include "host/engines/engine.hpp"

namespace symbreak {

// Empty when a CUDA device can run the engines, else why not.
std::string cuda_unavailable_reason();

std::unique_ptr<Engine> make_cuda_engine(int threads);
std::unique_ptr<Engine> make_cublas_engine(int threads);

}  // namespace symbreak
