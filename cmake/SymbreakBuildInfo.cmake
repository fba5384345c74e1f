# symbreak_build_info: regenerates the source behind `symbreak --version` (cmake/build_info.cmake)
# at every build, so the commit it reports is the one built, not the one configured. Sets
# SYMBREAK_BUILD_INFO_SOURCE for the executable. Include after SymbreakCuda.
find_package(Git QUIET)

set(SYMBREAK_BUILD_INFO_SOURCE ${CMAKE_CURRENT_BINARY_DIR}/generated/build_info.cpp)
if(SYMBREAK_HAVE_CUDA)
  set(symbreak_cuda_runtime ${CUDAToolkit_VERSION})
  string(REPLACE ";" "," symbreak_cuda_architectures "${CMAKE_CUDA_ARCHITECTURES}")
else()
  set(symbreak_cuda_runtime "")
  set(symbreak_cuda_architectures "")
endif()

add_custom_target(symbreak_build_info
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
          -DOUTPUT=${SYMBREAK_BUILD_INFO_SOURCE}
          -DGIT=${GIT_EXECUTABLE}
          -DVERSION=${PROJECT_VERSION}
          -DBUILD_TYPE=$<CONFIG>
          -DCUDA_RUNTIME=${symbreak_cuda_runtime}
          -DCUDA_ARCHITECTURES=${symbreak_cuda_architectures}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/build_info.cmake
  BYPRODUCTS ${SYMBREAK_BUILD_INFO_SOURCE}
  COMMENT "Recording the git commit for symbreak --version"
  VERBATIM)
