#!/bin/sh
# Usage: test_lane_symbols.sh CPU_LANES_OBJECT
# host/engines/cpu_lanes.cpp is compiled for a wider x86-64 level than the rest of symbreak
# (cmake/SymbreakSimdLevel.cmake). Inline and template functions are emitted as weak symbols in
# every object that uses them, and the linker keeps one copy: were the lanes' object to emit, say,
# a float-only helper, the program could end up calling its AVX-512 copy on a CPU without AVX-512.
# So every weak symbol of the object must be an instantiation on the pack type (BasicFloatPack),
# whose name is unique to that instruction set. Exit 77 (skip) without nm or the object.
object=$1
command -v nm >/dev/null 2>&1 || { echo "SKIP: nm not found"; exit 77; }
[ -f "$object" ] || { echo "SKIP: $object not found (another generator's layout?)"; exit 77; }
leaks=$(nm -C "$object" | awk '$2 == "W" || $2 == "V"' | grep -v 'BasicFloatPack<' |
        grep -v 'DW.ref.__gxx_personality_v0')
if [ -n "$leaks" ]; then
  echo "FAIL: symbols of cpu_lanes.cpp that other objects could share:"
  echo "$leaks"
  exit 1
fi
echo "OK: $(nm "$object" | awk '$2 == "W"' | wc -l) weak symbols, all pack instantiations"
