# CUDA is enabled when nvcc is found. SYMBREAK_REQUIRE_CUDA turns "not found" into an error, so a
# machine that has nvcc can never pass its tests with the CUDA code silently left out.
include(CheckLanguage)

option(SYMBREAK_REQUIRE_CUDA "Fail when no CUDA compiler is found" OFF)
# OFF builds the CPU engines only, even where nvcc exists: the asan preset uses it, because the
# sanitizers instrument host code and the CUDA objects would only lengthen its build.
option(SYMBREAK_ENABLE_CUDA "Build the CUDA engines when a CUDA compiler is found" ON)

if(NOT SYMBREAK_ENABLE_CUDA)
  if(SYMBREAK_REQUIRE_CUDA)
    message(FATAL_ERROR "SYMBREAK_REQUIRE_CUDA and SYMBREAK_ENABLE_CUDA=OFF contradict each other")
  endif()
  set(SYMBREAK_HAVE_CUDA OFF)
  message(STATUS "symbreak: CUDA disabled (SYMBREAK_ENABLE_CUDA=OFF); building the CPU engines only")
  return()
endif()

if(NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX}
   AND EXISTS /usr/local/cuda/bin/nvcc)
  set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
endif()
check_language(CUDA)

if(CMAKE_CUDA_COMPILER)
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 80 90)
  endif()
  enable_language(CUDA)
  # CMake 3.25 does not know nvcc's C++20 flag; tell it.
  set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA_STANDARD 20)
  set(CMAKE_CUDA_STANDARD_REQUIRED ON)
  find_package(CUDAToolkit REQUIRED)
  set(SYMBREAK_HAVE_CUDA ON)
  message(STATUS "symbreak: CUDA ${CMAKE_CUDA_COMPILER_VERSION} for architectures ${CMAKE_CUDA_ARCHITECTURES}")
elseif(SYMBREAK_REQUIRE_CUDA)
  message(FATAL_ERROR "SYMBREAK_REQUIRE_CUDA is ON but no CUDA compiler was found "
                      "(set CUDACXX or CMAKE_CUDA_COMPILER to nvcc)")
else()
  set(SYMBREAK_HAVE_CUDA OFF)
  message(STATUS "symbreak: no CUDA compiler found; building the CPU engines only")
endif()
