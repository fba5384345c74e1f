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

// Full unrolling on the host too (the cpu engine's files, compiled by g++ alone): for the few short
// loops whose iterations are long independent chains (a layer's activations), which the CPU
// overlaps only when they sit side by side. nvcc's host pass keeps its own judgement.
#if defined(__CUDA_ARCH__)
#define SYMBREAK_UNROLL_ALWAYS _Pragma("unroll")
#elif defined(__CUDACC__)
#define SYMBREAK_UNROLL_ALWAYS
#else
#define SYMBREAK_UNROLL_ALWAYS _Pragma("GCC unroll 64")
#endif

// Functions the cpu engine instantiates on packs of lanes (float_pack.hpp): the branch-free math
// pieces, the per-layer activations, the fused kernels' forward and backward passes. A call g++
// does not inline passes its vectors through memory and ends the stretch of code the CPU can
// overlap, so optimising g++ builds must inline them. Unoptimised builds (the sanitizers' Debug
// build) leave them calls: forced inlining there grows the lanes' file into functions that took
// cc1plus over 15 minutes and 7 GB. nvcc keeps its own judgement.
#if defined(__CUDACC__) || !defined(__OPTIMIZE__)
#define SYMBREAK_MATH_INLINE inline
#else
#define SYMBREAK_MATH_INLINE [[gnu::always_inline]] inline
#endif
