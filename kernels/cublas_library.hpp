// cuBLAS, loaded when the cublas engine first needs it (dlopen) instead of when symbreak starts:
// CUDA 13's libcublasLt initialises itself at load time, which cost every symbreak process about
// 0.1 s and 210 MB of memory — every cpu sweep, every `symbreak version` — although only the
// cublas engine calls cuBLAS. The few functions it calls are looked up by the names cublas_v2.h
// gives them and called through the pointers below. Host code only.
#pragma once

#include <cublas_v2.h>

namespace symbreak {

class CublasLibrary {
 public:
  // Loads cuBLAS (the toolkit's library this build was configured with, else the soname on the
  // loader's search path); throws std::runtime_error naming the library and the loader's reason.
  CublasLibrary();
  ~CublasLibrary();
  CublasLibrary(const CublasLibrary&) = delete;
  CublasLibrary& operator=(const CublasLibrary&) = delete;

  decltype(&cublasCreate) create = nullptr;
  decltype(&cublasDestroy) destroy = nullptr;
  decltype(&cublasSetMathMode) set_math_mode = nullptr;
  decltype(&cublasSetStream) set_stream = nullptr;
  decltype(&cublasSgemmStridedBatched) sgemm_strided_batched = nullptr;

 private:
  void* library_ = nullptr;
};

// The name of a cuBLAS status ("CUBLAS_STATUS_NOT_INITIALIZED"), without the library.
const char* cublas_status_name(cublasStatus_t status);

}  // namespace symbreak
