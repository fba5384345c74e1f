# Script mode (cmake -P), run at every build by the symbreak_build_info target: writes the source
# that `symbreak --version` reads, with the git commit of SOURCE_DIR as it is now. configure_file
# rewrites OUTPUT only when its text changes, so an unchanged commit recompiles nothing.
# Inputs (-D): SOURCE_DIR, OUTPUT, GIT (may be empty), VERSION, BUILD_TYPE, CUDA_RUNTIME,
# CUDA_ARCHITECTURES (comma-separated).
set(SYMBREAK_COMMIT unknown)
if(GIT)
  # Only a checkout of symbreak itself counts, not an enclosing repository of someone else's.
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --show-toplevel
                  OUTPUT_VARIABLE toplevel RESULT_VARIABLE toplevel_rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(toplevel_rc EQUAL 0)
    file(REAL_PATH "${toplevel}" toplevel)
    file(REAL_PATH "${SOURCE_DIR}" source_dir)
  endif()
  if(toplevel_rc EQUAL 0 AND toplevel STREQUAL source_dir)
    execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE commit RESULT_VARIABLE commit_rc
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(commit_rc EQUAL 0 AND NOT commit STREQUAL "")
      set(SYMBREAK_COMMIT ${commit})
      # Tracked files changed since the commit (untracked files do not count).
      execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
                      OUTPUT_VARIABLE changes ERROR_QUIET)
      if(NOT changes STREQUAL "")
        string(APPEND SYMBREAK_COMMIT "-dirty")
      endif()
    endif()
  endif()
endif()

set(SYMBREAK_VERSION ${VERSION})
set(SYMBREAK_BUILD_TYPE ${BUILD_TYPE})
set(SYMBREAK_CUDA_RUNTIME ${CUDA_RUNTIME})
set(SYMBREAK_CUDA_ARCHITECTURES ${CUDA_ARCHITECTURES})
configure_file(${SOURCE_DIR}/host/build_info.cpp.in ${OUTPUT} @ONLY)
