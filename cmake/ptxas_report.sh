#!/bin/sh
# Compiler launcher for the CUDA kernels: runs the nvcc command and keeps ptxas's resource report
# (registers, stack, spills from -Xptxas -v) in <object>.ptxas.txt for the resource test.
# Everything that is not part of that report is passed through to stderr as usual.
out=""
prev=""
for arg in "$@"; do
  [ "$prev" = "-o" ] && out=$arg
  prev=$arg
done
report=${out:-/dev/null}.ptxas.txt
[ -n "$out" ] || report=/dev/null
"$@" 2>"$report"
status=$?
grep -v -e '^ptxas info' -e 'bytes stack frame' "$report" >&2
exit $status
