// What `symbreak --version` reports about the build: version, git commit, build type, CUDA
// runtime and the architectures the kernels were compiled for. build_info() is defined in a source
// generated at build time (host/build_info.cpp.in), linked into the symbreak executable only.
#pragma once

#include <string_view>

namespace symbreak {

struct BuildInfo {
  std::string_view version;             // the project's version, e.g. "0.1.0"
  std::string_view commit;              // git commit of the source tree, "-dirty" if modified;
                                        // "unknown" outside a git checkout
  std::string_view build_type;          // CMake build type, e.g. "Release"
  std::string_view cuda_runtime;        // CUDA toolkit (runtime) version; empty without CUDA
  std::string_view cuda_architectures;  // CMAKE_CUDA_ARCHITECTURES, e.g. "80,90"
};

BuildInfo build_info();

}  // namespace symbreak
