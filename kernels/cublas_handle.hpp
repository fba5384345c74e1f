// CublasHandle: loads cuBLAS (cublas_library.hpp) and owns a handle set to pedantic math (no TF32,
// no reduced-precision shortcuts), as the cublas engine requires. Host code only.
#pragma once

#include <cublas_v2.h>

#include "cublas_check.cuh"
#include "cublas_library.hpp"

namespace symbreak {

class CublasHandle {
 public:
  // The handle is destroyed again if setting the math mode fails.
  CublasHandle() {
    CUBLAS_CHECK(library_.create(&handle_));
    try {
      CUBLAS_CHECK(library_.set_math_mode(handle_, CUBLAS_PEDANTIC_MATH));
    } catch (...) {
      library_.destroy(handle_);
      throw;
    }
  }
  ~CublasHandle() { library_.destroy(handle_); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;

  cublasHandle_t get() const { return handle_; }
  const CublasLibrary& library() const { return library_; }

 private:
  CublasLibrary library_;  // declared first: loaded before the handle exists, closed after
  cublasHandle_t handle_ = nullptr;
};

}  // namespace symbreak
