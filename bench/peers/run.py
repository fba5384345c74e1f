"""Runs symbreak and its peers (NumPy; PyTorch with autograd and with a hand-written backward) on
the same workload in one run, checks that their solved rates agree, and prints each throughput in
network-epochs per second, as a fraction of this machine's FP32 peak, and symbreak's ratio to it.
See bench/peers/run.sh for the command line."""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

import numpy_peer
import workload as w

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
Z_AGREE = 3.0  # solved rates agree when they differ by at most 3 standard errors


# ---------------------------------------------------------------- statistics

def wilson(k, n, z=1.959964):
    """95% Wilson score interval of k successes in n trials."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def z_score(k1, n1, k2, n2):
    """Two-proportion z statistic with the pooled standard error (0 when both rates are 0 or 1)."""
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    diff = k1 / n1 - k2 / n2
    return 0.0 if se == 0 and diff == 0 else (math.inf if se == 0 else diff / se)


# ---------------------------------------------------------------- this machine's FP32 peak

def cpu_peak():
    """(description, FLOP/s) of this machine's FP32 peak from lscpu: cores x clock x FLOP/cycle."""
    info = {}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    model = info.get("Model name", "unknown CPU")
    family, cpu_model = int(info.get("CPU family", "0")), int(info.get("Model", "0"))
    cpus = int(info.get("CPU(s)", os.cpu_count() or 1))
    cores = cpus // int(info.get("Thread(s) per core", "1"))
    mhz = float(info.get("CPU max MHz", "0") or 0)
    clock_note = "lscpu max MHz"
    if not mhz:
        with open("/proc/cpuinfo") as f:
            found = re.search(r"cpu MHz\s*:\s*([\d.]+)", f.read())
        mhz = float(found.group(1)) if found else 0.0
        clock_note = "/proc/cpuinfo cpu MHz, nominal"
    flags = info.get("Flags", "").split()
    vendor = info.get("Vendor ID", "")
    if vendor == "AuthenticAMD" and family == 0x19:
        zen = "Zen 4, AVX-512 on 256-bit pipes" if "avx512f" in flags else "Zen 3"
        arch = f"{zen} (family 25): 2 FMA pipes x 8 FP32 lanes x 2 FLOP"
        per_cycle = 32
    elif vendor == "AuthenticAMD" and family == 0x1A:
        arch = "Zen 5 (family 26): 2 FMA pipes x 16 FP32 lanes (512-bit) x 2 FLOP"
        per_cycle = 64
    elif "fma" in flags:
        arch = "assumed 2 FMA pipes x 8 FP32 lanes (256-bit) x 2 FLOP"
        per_cycle = 32
    else:
        arch = "assumed 1 pipe x 4 FP32 lanes (128-bit) x 2 FLOP"
        per_cycle = 8
    peak = cores * mhz * 1e6 * per_cycle
    text = (f"{model} (family {family}, model {cpu_model}), {cores} cores at {mhz:.0f} MHz "
            f"({clock_note}); {arch} = {per_cycle} FLOP/cycle/core; FP32 peak = {cores} x "
            f"{mhz / 1000:.3f} GHz x {per_cycle} = {peak / 1e9:.1f} GFLOP/s")
    return text, peak


# ---------------------------------------------------------------- the contestants

def run_symbreak(binary, engine, networks, epochs, seed):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "peers.csv")
        command = [binary, "sweep", "--task", "xor", "--depth", "1", "--width", str(w.WIDTH),
                   "--activation", "tanh", "--init", "xavier-uniform", "--bias-init", "zeros",
                   "--loss", "bce", "--lr", str(w.LR), "--momentum", "0", "--batch", "0",
                   "--epochs", str(epochs), "--seeds", str(networks), "--seed", str(seed),
                   "--engine", engine, "--quiet", "--out", out]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - start
        with open(out) as f:
            row = next(csv.DictReader(f))
    n = int(row["n"])
    return round(float(row["solved_rate"]) * n), n, seconds, " ".join(command[1:-2])


def timed(train, *args):
    start = time.perf_counter()
    solved = train(*args)
    return int(np.count_nonzero(solved)), len(solved), time.perf_counter() - start


def sustained_peak(binary, threads):
    """(description, FLOP/s) the cores really sustain: bench/bench_fp32_peak's widest FMA loop on
    `threads` threads (turbo clock included), or (note, 0) when that binary is not built."""
    if not os.access(binary, os.X_OK):
        return f"not measured ({binary} not built)", 0.0
    try:
        out = subprocess.run([binary, f"--benchmark_filter=/{threads}/", "--benchmark_format=json",
                              "--benchmark_repetitions=3"],
                             capture_output=True, text=True, check=True).stdout
        runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as error:
        return f"not measured ({error})", 0.0
    if not runs:
        return "not measured (no FMA instructions at this build's SIMD level)", 0.0
    best = max(runs, key=lambda b: b["FLOP/s"])
    name = best["name"].split("/")[0]
    tries = sum(b["name"] == best["name"] for b in runs)
    return (f"{best['FLOP/s'] / 1e9:.1f} GFLOP/s sustained ({name} of bench/bench_fp32_peak, "
            f"{threads} threads, best of {tries}: the clock the cores really run at)",
            best["FLOP/s"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, default=65536)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                        help="PyTorch's device (auto: cuda when torch reports one)")
    parser.add_argument("--engine", default="cpu", help="symbreak's engine (default cpu)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="run every contestant this many times, round-robin; "
                             "the best time counts")
    parser.add_argument("--symbreak", default=os.path.join(ROOT, "build", "release", "symbreak"))
    parser.add_argument("--peak-bench",
                        default=os.path.join(ROOT, "build", "release", "bench", "bench_fp32_peak"),
                        help="bench_fp32_peak binary, for the sustained FP32 rate")
    args = parser.parse_args()
    if args.networks < 1 or args.epochs < 1 or args.repeats < 1:
        parser.error("--networks, --epochs and --repeats must be >= 1")
    if not os.access(args.symbreak, os.X_OK):
        sys.exit(f"peers: {args.symbreak} not found: build it with "
                 "`cmake --build --preset release --target symbreak`")

    threads = os.cpu_count() or 1
    machine, peak = cpu_peak()
    sustained_text, sustained = sustained_peak(args.peak_bench, threads)
    print(f"machine: {machine}")
    print(f"measured: {sustained_text}")
    print(f"workload: xor, depth 1, width {w.WIDTH}, tanh, bce, full batch, lr {w.LR}, "
          f"xavier-uniform/zeros, {args.epochs} epochs, {args.networks} networks; counted work "
          f"6 x {w.SAMPLES} samples x {w.WEIGHTS} weights = {w.FLOPS_PER_NETWORK_EPOCH} FLOPs "
          f"per network-epoch")

    # Contestants as (name, device, run) with run() -> (solved, n, seconds); run round-robin
    # --repeats times, so that load from other processes falls on all alike; the best time counts.
    contestants = []
    symbreak_command = []

    def run_symbreak_once():
        k, n, seconds, command = run_symbreak(args.symbreak, args.engine, args.networks,
                                              args.epochs, args.seed)
        symbreak_command[:] = [command]
        return k, n, seconds
    contestants.append((f"symbreak --engine {args.engine}",
                        "cpu" if args.engine.startswith("cpu") else "gpu", run_symbreak_once))
    print(f"numpy {np.__version__}: batched float32 (elementwise work single-threaded)")
    contestants.append(("numpy", "cpu",
                        lambda: timed(numpy_peer.train, args.networks, args.epochs, args.seed)))
    try:
        import torch
        import torch_peer
    except ImportError as error:
        print(f"torch: not available ({error}); PyTorch peers skipped "
              "(Debian: apt-get install python3-torch)")
    else:
        device = args.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        torch.set_num_threads(threads)
        where = (f"{threads} threads (torch.set_num_threads)" if device == "cpu"
                 else f"{torch.cuda.get_device_name()} (GPU path, untested here)")
        print(f"torch {torch.__version__}: {device}, {where}")
        for name, train in (("torch autograd", torch_peer.train_autograd),
                            ("torch manual backward", torch_peer.train_manual)):
            def run(train=train):
                def trained(*a):
                    solved = train(*a)
                    torch_peer.synchronize(device)
                    return solved
                return timed(trained, args.networks, args.epochs, args.seed + 1, device)
            contestants.append((name, device, run))

    best = {}
    for _ in range(args.repeats):
        for name, device, run in contestants:
            k, n, seconds = run()
            if name in best and best[name][2] != k:
                sys.exit(f"peers: {name} solved {k} networks, {best[name][2]} before: "
                         "not repeatable")
            if name not in best or seconds < best[name][4]:
                best[name] = (name, device, k, n, seconds)
    results = [best[name] for name, _, _ in contestants]
    print(f"symbreak: {symbreak_command[0]} (whole process timed)")
    print(f"timing: best of {args.repeats} round-robin run(s) per contestant; peers timed from "
          "initialisation to the solved verdicts, imports excluded")
    sym_k, sym_n, sym_seconds = results[0][2], results[0][3], results[0][4]
    sym_rate = sym_n * args.epochs / sym_seconds
    print()
    header = ("contestant", "device", "solved", "95% Wilson", "z vs symbreak", "agrees",
              "network-epochs/s", "GFLOP/s", "of peak", "of sustained", "symbreak / it")
    rows = []
    all_agree = True
    for name, device, k, n, seconds in results:
        rate = n * args.epochs / seconds
        lo, hi = wilson(k, n)
        z = z_score(k, n, sym_k, sym_n)
        agree = abs(z) <= Z_AGREE
        all_agree &= agree
        gflops = rate * w.FLOPS_PER_NETWORK_EPOCH / 1e9
        rows.append((name, device, f"{k / n:.4f}", f"[{lo:.4f}, {hi:.4f}]",
                     "-" if name.startswith("symbreak") else f"{z:+.2f}",
                     "-" if name.startswith("symbreak") else ("yes" if agree else "NO"),
                     f"{rate / 1e6:.3f} M", f"{gflops:.3f}",
                     f"{gflops * 1e9 / peak:.2%}" if device == "cpu" and peak else "-",
                     f"{gflops * 1e9 / sustained:.2%}" if device == "cpu" and sustained else "-",
                     f"{sym_rate / rate:.2f}"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).ljust(wd) for c, wd in zip(r, widths)).rstrip())
    print(f"\nagreement: the solved rates {'agree' if all_agree else 'DO NOT agree'} "
          f"(each peer within {Z_AGREE:.0f} standard errors of symbreak's, two-proportion z-test "
          "with the pooled rate; initial weights differ: same distribution, own random numbers)")
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
