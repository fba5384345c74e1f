// CUBLAS_CHECK: like CUDA_CHECK for cuBLAS status codes. Host code only. The status is named
// without calling cuBLAS, which is loaded only by the cublas engine (cublas_library.hpp).
#pragma once

#include <cublas_v2.h>

#include "cublas_library.hpp"
#include "cuda_check.cuh"

#define CUBLAS_CHECK(call)                                                                  \
  do {                                                                                      \
    const cublasStatus_t symbreak_status_ = (call);                                         \
    if (symbreak_status_ != CUBLAS_STATUS_SUCCESS) {                                        \
      ::symbreak::throw_cuda_error(::symbreak::cublas_status_name(symbreak_status_), #call, \
                                   __FILE__, __LINE__);                                     \
    }                                                                                       \
  } while (0)
