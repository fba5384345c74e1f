# The instruction set of the cpu engine's SIMD lanes (host/engines/cpu_lanes.cpp, one network per
# vector lane, docs/method.md §13.1). With SYMBREAK_NATIVE_SIMD (the default) that one file is
# compiled for the widest x86-64 level the build machine runs: x86-64-v4 (AVX-512, 16 lanes) or
# x86-64-v3 (AVX2, 8 lanes); otherwise for the compiler's default (SSE2 on x86-64, 4 lanes). The
# rest of the program keeps the default, and the engine checks the CPU at run time
# (SYMBREAK_SIMD_LEVEL) before it enters the lanes, training one network at a time where the CPU
# lacks the level. Sets SYMBREAK_SIMD_OPTIONS (compile options for files that include
# kernels/float_pack.hpp the engine's way) and SYMBREAK_SIMD_LEVEL (4, 3 or 0).
option(SYMBREAK_NATIVE_SIMD
       "Compile the cpu engine's SIMD lanes for the widest x86-64 level the build machine runs" ON)

set(SYMBREAK_SIMD_MAX_LEVEL 4 CACHE STRING
    "Highest x86-64 level for the cpu engine's SIMD lanes: 4 (AVX-512), 3 (AVX2) or 0 (SSE2)")
set_property(CACHE SYMBREAK_SIMD_MAX_LEVEL PROPERTY STRINGS 4 3 0)
if(NOT SYMBREAK_SIMD_MAX_LEVEL MATCHES "^[034]$")
  message(FATAL_ERROR "SYMBREAK_SIMD_MAX_LEVEL is '${SYMBREAK_SIMD_MAX_LEVEL}'; expected 4, 3 or 0")
endif()
set(SYMBREAK_SIMD_LEVEL 0)
set(SYMBREAK_SIMD_OPTIONS "")
if(SYMBREAK_NATIVE_SIMD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
   AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(symbreak_probe ${CMAKE_BINARY_DIR}/CMakeFiles/symbreak_simd_level.cpp)
  file(WRITE ${symbreak_probe}
       "int main() {\n  __builtin_cpu_init();\n"
       "  return __builtin_cpu_supports(\"x86-64-v4\") ? 4 : "
       "__builtin_cpu_supports(\"x86-64-v3\") ? 3 : 0;\n}\n")
  try_run(symbreak_simd_run symbreak_simd_compiled ${CMAKE_BINARY_DIR}/symbreak_simd_level
          ${symbreak_probe})
  if(symbreak_simd_compiled AND symbreak_simd_run MATCHES "^[34]$")
    set(SYMBREAK_SIMD_LEVEL ${symbreak_simd_run})
  endif()
  # A binary built on an AVX-512 machine for AVX2-only ones (a cluster's login node and its
  # compute nodes): the lanes of a higher level than the running CPU has are not used at all.
  if(SYMBREAK_SIMD_LEVEL GREATER SYMBREAK_SIMD_MAX_LEVEL)
    set(SYMBREAK_SIMD_LEVEL ${SYMBREAK_SIMD_MAX_LEVEL})
  endif()
  if(SYMBREAK_SIMD_LEVEL MATCHES "^[34]$")
    set(SYMBREAK_SIMD_OPTIONS -march=x86-64-v${SYMBREAK_SIMD_LEVEL})
  else()
    set(SYMBREAK_SIMD_LEVEL 0)
  endif()
endif()
message(STATUS "cpu engine SIMD lanes: x86-64 level ${SYMBREAK_SIMD_LEVEL} (0: compiler default)")
