#!/usr/bin/python3
"""Tests bench/peers/run.sh on a tiny workload: symbreak and the peers complete, their solved rates
agree and every throughput is printed.

Usage: test_peers.py SYMBREAK_BINARY SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip (no numpy).
"""
import importlib.util
import subprocess
import sys

SKIP = 77

if importlib.util.find_spec("numpy") is None:
    print(f"SKIP: numpy is not installed for {sys.executable} (apt-get install python3-numpy)")
    sys.exit(SKIP)

binary, source_dir = sys.argv[1], sys.argv[2]
proc = subprocess.run([f"{source_dir}/bench/peers/run.sh", "--networks", "256", "--epochs", "50",
                       "--device", "cpu", "--symbreak", binary],
                      capture_output=True, text=True, timeout=600)
print(proc.stdout, proc.stderr, sep="")
failures = []
if proc.returncode != 0:
    failures.append(f"exit status {proc.returncode}")
if "the solved rates agree" not in proc.stdout:
    failures.append("no agreement reported")
lines = proc.stdout.splitlines()
header = next((i for i, line in enumerate(lines) if line.startswith("contestant")), len(lines))
rows = []
for line in lines[header + 1:]:
    if not line.strip():
        break
    rows.append(line)
names = [line.split("  ")[0] for line in rows]
if not any(n.startswith("symbreak --engine") for n in names) or "numpy" not in names:
    failures.append(f"missing rows: {names}")
if not all(" M " in line for line in rows):
    failures.append("a throughput is missing")
for f in failures:
    print(f"FAIL: {f}")
sys.exit(1 if failures else 0)
