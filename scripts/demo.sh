#!/usr/bin/env bash
# The main job: set-up on a fresh machine (packages), build symbreak, run the built-in
# demonstration sweep. Extra arguments go to `symbreak sweep`, e.g. scripts/demo.sh --seeds 1000.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup-deps.sh
symbreak_setup_deps

mapfile -t cuda_args < <(symbreak_cmake_cuda_args)
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release "${cuda_args[@]}" >/dev/null
cmake --build --preset release -j "$jobs" --target symbreak >/dev/null
build/release/symbreak sweep "$@"
