// CublasHandle: owns a cuBLAS handle set to pedantic math (no TF32, no reduced-precision
// shortcuts), as the cublas engine requires. Host code only.
#pragma once

#include <cublas_v2.h>

#include "cublas_check.cuh"
#include "owned_handle.hpp"

namespace symbreak {

class CublasHandle {
 public:
  // The handle is owned before the math mode is set, so a failure there does not leak it.
  CublasHandle() : handle_(create()) {
    CUBLAS_CHECK(cublasSetMathMode(handle_.get(), CUBLAS_PEDANTIC_MATH));
  }
  cublasHandle_t get() const { return handle_.get(); }

 private:
  static cublasHandle_t create() {
    cublasHandle_t handle = nullptr;
    CUBLAS_CHECK(cublasCreate(&handle));
    return handle;
  }

  OwnedHandle<cublasHandle_t, cublasDestroy> handle_;
};

}  // namespace symbreak
