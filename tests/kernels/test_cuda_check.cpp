// Tests kernels/cuda_check.cuh: a failing CUDA runtime call (or cuBLAS call) inside CUDA_CHECK
// (CUBLAS_CHECK) throws symbreak::CudaError whose message names the call as written, the file and
// the line, and CUDA's own description (cuBLAS's status name). The calls used fail with and without
// a driver or device; the cuBLAS one goes through the library the cublas engine loads at run time.
#include <gtest/gtest.h>

#include <string>

#if defined(SYMBREAK_WITH_CUDA)
#include <cstddef>

#include "kernels/cublas_check.cuh"
#include "kernels/cublas_library.hpp"
#include "kernels/cuda_check.cuh"
#endif

namespace symbreak {
namespace {

#if defined(SYMBREAK_WITH_CUDA)

// The message of the CudaError that `f` throws; fails the test if it throws nothing else.
template <class F>
std::string cuda_error_message(F f) {
  try {
    f();
  } catch (const CudaError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw something else than CudaError: " << e.what();
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

void expect_names_call_file_and_line(const std::string& message, const std::string& call,
                                     int line) {
  EXPECT_NE(message.find(call), std::string::npos) << message;
  EXPECT_NE(message.find("test_cuda_check.cpp"), std::string::npos) << message;
  std::string at = ":";
  at.append(std::to_string(line)).append(":");
  EXPECT_NE(message.find(at), std::string::npos) << message;
}

TEST(CudaCheck, FailingMallocThrowsCudaErrorNamingCallFileAndLine) {
  int line = 0;
  const std::string message = cuda_error_message([&] {
    void* p = nullptr;
    line = __LINE__ + 1;
    CUDA_CHECK(cudaMalloc(&p, static_cast<std::size_t>(-1)));
  });
  expect_names_call_file_and_line(message, "cudaMalloc(&p, static_cast<std::size_t>(-1))", line);
  EXPECT_NE(message.find("failed at"), std::string::npos) << message;
}

TEST(CudaCheck, FailingSetDeviceThrowsCudaErrorNamingCallFileAndLine) {
  int line = 0;
  const std::string message = cuda_error_message([&] {
    line = __LINE__ + 1;
    CUDA_CHECK(cudaSetDevice(9999));
  });
  expect_names_call_file_and_line(message, "cudaSetDevice(9999)", line);
  cudaGetLastError();  // leave no sticky error behind
}

TEST(CudaCheck, SuccessDoesNotThrow) {
  EXPECT_NO_THROW(CUDA_CHECK(cudaSuccess));
}

TEST(CublasCheck, FailingStatusThrowsCudaErrorNamingCallFileAndLine) {
  const CublasLibrary cublas;
  int line = 0;
  const std::string message = cuda_error_message([&] {
    line = __LINE__ + 1;
    CUBLAS_CHECK(cublas.destroy(nullptr));
  });
  expect_names_call_file_and_line(message, "cublas.destroy(nullptr)", line);
  EXPECT_NE(message.find("CUBLAS_STATUS_NOT_INITIALIZED"), std::string::npos) << message;
}

#else

TEST(CudaCheck, NeedsCuda) {
  GTEST_SKIP() << "built without CUDA: kernels/cuda_check.cuh is not compiled";
}

#endif

}  // namespace
}  // namespace symbreak
