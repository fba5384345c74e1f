#!/usr/bin/python3
"""Tests scripts/gpu-static-analysis.py --fast: it compiles the probe with nvcc, finds the epoch
and sample loops of both fused kernels and prints counts, ceilings and ptxas's resources that make
sense.

Usage: test_gpu_static_analysis.py SOURCE_DIR [BUILD_DIR]. Exit 0 pass, 1 fail, 77 skip (no nvcc).
"""
import re
import subprocess
import sys

SKIP = 77

source_dir = sys.argv[1]
build_dir = sys.argv[2:] and ["--build-dir", sys.argv[2]]
script = f"{source_dir}/scripts/gpu-static-analysis.py"
proc = subprocess.run([sys.executable, script, "--fast", *build_dir],
                      capture_output=True, text=True, timeout=600)
print(proc.stdout, proc.stderr, sep="")
if proc.returncode == SKIP:
    sys.exit(SKIP)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAIL: {message}")


check(proc.returncode == 0, f"exit status {proc.returncode}")
check(re.search(r"^commit \S+", proc.stdout, re.M), "names the commit")
check(re.search(r"^nvcc flags \(from ", proc.stdout, re.M) or not build_dir,
      "takes the nvcc flags from the build tree")
check("576 FLOPs per network-epoch" in proc.stdout, "states the counted work")
sections = re.split(r"^== fused ", proc.stdout, flags=re.M)[1:]
check(len(sections) == 2, "one section per fused kernel (per thread, per warp)")
for section in sections:
    kind = section.split(" (")[0]
    fp32 = re.search(r"fp32 add/mul/fma\s+(\d+)", section)
    check(fp32 and int(fp32.group(1)) > 0, f"{kind}: FP32 instructions counted")
    check(re.search(r"ld\.global\s+\d+", section), f"{kind}: global loads counted (the samples)")
    bound = re.search(r"predicted bound \((FP32|MUFU) binds\): .* = ([\d.]+) of the roofline",
                      section)
    check(bound and 0 < float(bound.group(2)) <= 1, f"{kind}: bound below the roofline")
    check(re.search(r"ptxas -v, probe: \d+ registers .* \d+/\d+ bytes spill", section),
          f"{kind}: ptxas resources reported")
sys.exit(1 if failures else 0)
