// CUBLAS_CHECK: like CUDA_CHECK for cuBLAS status codes. Host code only.
#pragma once

#include <cublas_v2.h>

#include "cuda_check.cuh"

#define CUBLAS_CHECK(call)                                                                     \
  do {                                                                                         \
    const cublasStatus_t symbreak_status_ = (call);                                            \
    if (symbreak_status_ != CUBLAS_STATUS_SUCCESS) {                                           \
      ::symbreak::throw_cuda_error(cublasGetStatusString(symbreak_status_), #call, __FILE__,   \
                                   __LINE__);                                                  \
    }                                                                                          \
  } while (0)
