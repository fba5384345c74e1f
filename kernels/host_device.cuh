// Marks functions that nvcc compiles for both the GPU and the host, so the CPU engines and
// tests execute exactly the code the kernels run. Plain C++ compilers see nothing.
#pragma once

#if defined(__CUDACC__)
#define SYMBREAK_HD __host__ __device__
#else
#define SYMBREAK_HD
#endif
