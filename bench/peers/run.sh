#!/bin/sh
# symbreak beside NumPy and PyTorch on the standard workload, in one run:
#   bench/peers/run.sh [--networks N] [--epochs E] [--repeats R] [--device auto|cpu|cuda] [--engine cpu]
# Needs build/release/symbreak and Debian's python3-numpy; python3-torch is optional (skipped when
# absent). Uses /usr/bin/python3, where Debian installs them.
here=$(dirname "$0")
exec /usr/bin/python3 "$here/run.py" "$@"
