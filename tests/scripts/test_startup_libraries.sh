#!/bin/sh
# symbreak must not load cuBLAS when it starts: CUDA 13's libcublasLt initialises itself at load
# time (about 0.1 s and 210 MB per process), and only the cublas engine calls cuBLAS, which it loads
# itself (kernels/cublas_library.hpp). Checks the binary's NEEDED entries and, as the effect users
# see, the peak memory of `symbreak version` (6.5 MB on the 2-core VM; 222 MB with cuBLAS linked).
# Usage: test_startup_libraries.sh SYMBREAK_BINARY. Exit 0 pass, 1 fail, 77 skip (no readelf).
binary=$1
command -v readelf > /dev/null || { echo "SKIP: readelf is not installed"; exit 77; }
needed=$(readelf -d "$binary" | grep NEEDED) || { echo "FAIL: readelf -d $binary"; exit 1; }
echo "$needed"
if echo "$needed" | grep -qi cublas; then
  echo "FAIL: $binary links cuBLAS; it must load it only for the cublas engine"
  exit 1
fi
# The peak resident set of a process that trains nothing, in KiB (/usr/bin/time is optional; a
# binary built with AddressSanitizer maps its shadow memory, about 130 MB, so it is not weighed).
if echo "$needed" | grep -q libasan; then
  echo "memory not weighed: an AddressSanitizer build"
elif [ -x /usr/bin/time ]; then
  kib=$(/usr/bin/time -f %M "$binary" version 2>&1 > /dev/null | tail -1)
  echo "symbreak version: peak resident memory $kib KiB"
  if [ "$kib" -gt 102400 ]; then
    echo "FAIL: symbreak version used $kib KiB (more than 100 MiB): a library initialises itself"
    exit 1
  fi
fi
echo "PASS"
