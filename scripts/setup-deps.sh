#!/usr/bin/env bash
# Sourced by demo.sh, test.sh and fuzz.sh: makes sure the Debian packages symbreak builds with are
# installed. As root it installs what is missing; otherwise it prints the exact command and stops.
# CUDA is not installed here: on machines of this kind it lives in /usr/local/cuda.

# libopenmpi-dev and openmpi-bin: optional for the build (mpirun -np N symbreak sweep), wanted for
# the tests of it.
symbreak_packages=(cmake make g++ libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
                   librandom123-dev nlohmann-json3-dev libopenmpi-dev openmpi-bin help2man
                   python3-matplotlib python3-numpy)
# scripts/fuzz.sh adds these: clang, and libFuzzer with the sanitizer runtimes (libclang-rt-14-dev
# is only recommended by clang-14's packages, so --no-install-recommends would leave it out).
symbreak_fuzz_packages=(clang libclang-rt-14-dev)

symbreak_missing_packages() {
  local pkg
  for pkg in "${symbreak_packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      printf '%s\n' "$pkg"
  done
}

# symbreak_setup_deps [EXTRA_PACKAGE...]: the packages above, and the extra ones given.
symbreak_setup_deps() {
  if ! command -v dpkg-query >/dev/null; then
    echo "symbreak: this script expects a Debian-based machine (dpkg-query not found)" >&2
    return 1
  fi
  local missing
  mapfile -t missing < <(symbreak_missing_packages "$@")
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "symbreak: missing packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "symbreak: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Configure arguments: CUDA is required wherever nvcc exists, so a broken CUDA build cannot pass.
symbreak_cmake_cuda_args() {
  local nvcc=${CUDACXX:-}
  [[ -z $nvcc && -x /usr/local/cuda/bin/nvcc ]] && nvcc=/usr/local/cuda/bin/nvcc
  [[ -z $nvcc ]] && nvcc=$(command -v nvcc || true)
  if [[ -n $nvcc ]]; then
    printf '%s\n' -DSYMBREAK_REQUIRE_CUDA=ON "-DCMAKE_CUDA_COMPILER=$nvcc"
  fi
}
