// Marks functions that nvcc compiles for both the GPU and the host, so the CPU engines and
// tests execute exactly the code the kernels run. Plain C++ compilers see nothing.
#pragma once

#if defined(__CUDACC__)
#define SYMBREAK_HD __host__ __device__
#else
#define SYMBREAK_HD
#endif

// Full unrolling of loops with constant trip counts, so per-thread arrays stay in registers on the
// GPU. Host compilers choose for themselves: forcing it there only multiplies compile time.
#if defined(__CUDA_ARCH__)
#define SYMBREAK_UNROLL _Pragma("unroll")
#else
#define SYMBREAK_UNROLL
#endif
