#!/usr/bin/python3
"""How the `cpu` engine's cost grows: throughput and peak memory of whole `symbreak sweep` runs.

  scripts/measure-scaling.py SYMBREAK [--out scaling.json] [--quick]

Three series, each point one `symbreak sweep --engine cpu` process (tanh, xavier-uniform, bce,
lr 0.5, full batch), timed from start to exit and its peak resident memory taken from the kernel
(wait4's ru_maxrss), so start-up, initialisation, measurement and writing --out are all counted:

  networks  xor, depth 1, width 8, 20 epochs, 10^2 ... 10^7 networks (memory must stay flat)
  width     xor, depth 1, widths 2 ... 64, 50 epochs (per-thread, per-warp, layered kernels)
  samples   parity:2 ... parity:8 (4 ... 256 samples), depth 1, width 8, 50 epochs

For the width and samples series the number of networks is a power of two (1024 ... 65536) that
keeps each run near the same counted work, so that no point is dominated by start-up. Each point
records the kernel the engine chose (the --out file's `kernel` column). `scripts/plot.py scaling`
draws the result. Not a test: a measurement, minutes long (`--quick`: a few seconds, for tests).
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

# Counted work per network-epoch (bench/bench_shapes.hpp): n (6 W - 2 d H), W the weights.
def counted_flop(inputs, width, samples):
    weights = inputs * width + width
    return samples * (6.0 * weights - 2.0 * inputs * width)


def networks_for(inputs, width, samples, epochs, budget):
    wanted = budget / (epochs * counted_flop(inputs, width, samples))
    n = 1024
    while n * 2 <= wanted and n < 65536:
        n *= 2
    return n


def run_point(binary, series, value, task, inputs, width, samples, networks, epochs):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "out.csv")
        command = [binary, "sweep", "--quiet", "--engine", "cpu", "--task", task, "--depth", "1",
                   "--width", str(width), "--activation", "tanh", "--init", "xavier-uniform",
                   "--lr", "0.5", "--epochs", str(epochs), "--seeds", str(networks), "--out", out]
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - start
        error = process.stderr.read().decode(errors="replace").strip()
        process.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"measure-scaling.py: '{' '.join(command)}' failed: {error}")
        with open(out, newline="") as f:
            kernel = next(csv.DictReader(f))["kernel"]
    point = {"series": series, "value": value, "task": task, "width": width, "samples": samples,
             "networks": networks, "epochs": epochs, "kernel": kernel, "seconds": seconds,
             "peak_rss_mib": usage.ru_maxrss / 1024.0,
             "net_epochs_per_second": networks * epochs / seconds,
             "counted_gflop_per_second":
                 networks * epochs * counted_flop(inputs, width, samples) / seconds / 1e9}
    print(f"{series:8} {value:>9}: {networks:>8} networks x {epochs} epochs, {kernel}: "
          f"{seconds:7.2f} s, {point['net_epochs_per_second'] / 1e6:7.3f} M net-epochs/s, "
          f"peak RSS {point['peak_rss_mib']:.1f} MiB", file=sys.stderr)
    return point


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f
                          if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "host": platform.node(),
            "load_average_at_start": os.getloadavg()[0],
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("symbreak", help="the symbreak binary, e.g. build/release/symbreak")
    parser.add_argument("--out", default="scaling.json", help="JSON to write (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the script only")
    args = parser.parse_args(argv)
    if not os.access(args.symbreak, os.X_OK):
        sys.exit(f"measure-scaling.py: '{args.symbreak}' is not an executable symbreak binary")
    partial = args.out + ".partial"
    try:  # an unwritable --out is found before minutes of measurement, not after
        open(partial, "w").close()
    except OSError as e:
        sys.exit(f"measure-scaling.py: cannot write '{args.out}': {e.strerror}")
    quick = args.quick
    budget = 2e6 if quick else 4e9  # counted FLOP per width / samples point
    points = []
    counts = [100, 1000] if quick else [100, 1000, 10**4, 10**5, 10**6, 10**7]
    for networks in counts:
        points.append(run_point(args.symbreak, "networks", networks, "xor", 2, 8, 4, networks,
                                2 if quick else 20))
    epochs = 2 if quick else 50
    for width in ([2, 40] if quick else [2, 4, 8, 16, 24, 32, 48, 64]):
        n = networks_for(2, width, 4, epochs, budget)
        points.append(run_point(args.symbreak, "width", width, "xor", 2, width, 4, n, epochs))
    for bits in ([2, 5] if quick else range(2, 9)):
        samples = 2**bits
        n = networks_for(bits, 8, samples, epochs, budget)
        points.append(run_point(args.symbreak, "samples", samples, f"parity:{bits}", bits, 8,
                                samples, n, epochs))
    result = {"machine": machine(), "points": points}
    try:
        with open(partial, "w") as f:
            json.dump(result, f, indent=1)
        os.replace(partial, args.out)
    except OSError as e:
        sys.exit(f"measure-scaling.py: cannot write '{args.out}': {e.strerror}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
