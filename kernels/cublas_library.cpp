// Loading cuBLAS at run time: see cublas_library.hpp.
#include "kernels/cublas_library.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace symbreak {
namespace {

// The exported name behind a cublas_v2.h name (cublasCreate is a macro for cublasCreate_v2).
#define SYMBREAK_SYMBOL_NAME(name) SYMBREAK_SYMBOL_NAME_EXPANDED(name)
#define SYMBREAK_SYMBOL_NAME_EXPANDED(name) #name

template <class Function>
void resolve(void* library, const char* symbol, Function& function) {
  function = reinterpret_cast<Function>(dlsym(library, symbol));
  if (function == nullptr) {
    throw std::runtime_error(std::string("cuBLAS (") + SYMBREAK_CUBLAS_SONAME + ") lacks " +
                             symbol + ": not the cuBLAS this build was configured with");
  }
}

// RTLD_NODELETE: dlclose only drops the reference; cuBLAS stays mapped until the process ends, so
// nothing it registered for exit can run after its code is gone.
void* open_library() {
  const std::string configured = std::string(SYMBREAK_CUBLAS_DIR) + "/" + SYMBREAK_CUBLAS_SONAME;
  if (void* library = dlopen(configured.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))
    return library;
  const std::string first_reason = dlerror();
  if (void* library = dlopen(SYMBREAK_CUBLAS_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))
    return library;
  throw std::runtime_error("the cublas engine needs cuBLAS, and " + configured +
                           " could not be loaded: " + first_reason);
}

}  // namespace

CublasLibrary::CublasLibrary() : library_(open_library()) {
  try {
    resolve(library_, SYMBREAK_SYMBOL_NAME(cublasCreate), create);
    resolve(library_, SYMBREAK_SYMBOL_NAME(cublasDestroy), destroy);
    resolve(library_, SYMBREAK_SYMBOL_NAME(cublasSetMathMode), set_math_mode);
    resolve(library_, SYMBREAK_SYMBOL_NAME(cublasSetStream), set_stream);
    resolve(library_, SYMBREAK_SYMBOL_NAME(cublasSgemmStridedBatched), sgemm_strided_batched);
  } catch (...) {
    dlclose(library_);
    throw;
  }
}

CublasLibrary::~CublasLibrary() {
  dlclose(library_);
}

const char* cublas_status_name(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS:
      return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH:
      return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR:
      return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR:
      return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR:
      return "CUBLAS_STATUS_LICENSE_ERROR";
    default:
      return "an unknown cuBLAS status";
  }
}

}  // namespace symbreak
