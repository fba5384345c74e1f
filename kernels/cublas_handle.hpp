// CublasHandle: owns a cuBLAS handle set to pedantic math (no TF32, no reduced-precision
// shortcuts), as the cublas engine requires. Host code only.
#pragma once

#include <cublas_v2.h>

#include "cublas_check.cuh"

namespace symbreak {

class CublasHandle {
 public:
  CublasHandle() {
    CUBLAS_CHECK(cublasCreate(&handle_));
    CUBLAS_CHECK(cublasSetMathMode(handle_, CUBLAS_PEDANTIC_MATH));
  }
  ~CublasHandle() { cublasDestroy(handle_); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

}  // namespace symbreak
