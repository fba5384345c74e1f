#!/usr/bin/env bash
# The test command: set-up on a fresh machine (packages), configure, build everything, run ctest.
# Extra arguments go to ctest, e.g. scripts/test.sh -R Init -L cpu.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup-deps.sh
symbreak_setup_deps

mapfile -t cuda_args < <(symbreak_cmake_cuda_args)
jobs=$(nproc 2>/dev/null || echo 2)
# Each step announces itself on stderr, so that a long first build is visibly under way.
echo "symbreak test: configuring" >&2
cmake --preset release "${cuda_args[@]}"
echo "symbreak test: building everything with $jobs jobs (a first build takes several minutes)" >&2
started=$SECONDS
cmake --build --preset release -j "$jobs"
echo "symbreak test: built in $((SECONDS - started)) s; running the tests" >&2
ctest --preset release -j "$jobs" "$@"
