#!/usr/bin/python3
"""Tests scripts/plot.py end to end: a small traced sweep, a --params sweep on circles and a
benchmark JSON fixture in, every figure out as a PNG of the expected size that is not blank and an
SVG that parses; and a clear one-line error for inputs that lack the needed columns, do not exist
or cannot be drawn (decision regions of a task with 3 inputs).

Usage: test_plot.py SYMBREAK_BINARY SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip (no matplotlib).
"""

import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

SKIP = 77

try:
    import matplotlib.image
    import numpy
except ImportError as missing:
    print(f"SKIP: {missing.name} is not installed for {sys.executable} "
          "(apt-get install python3-matplotlib python3-numpy)")
    sys.exit(SKIP)

DEFAULT_SIZE = (1600, 900)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAIL: {message}")
    return condition


def run(command, cwd):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=240)


def png_size(path):
    """(width, height) from the IHDR chunk, which must directly follow the PNG signature."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def check_figure(directory, name, size=DEFAULT_SIZE):
    png = os.path.join(directory, f"{name}.png")
    svg = os.path.join(directory, f"{name}.svg")
    if check(os.path.isfile(png), f"{png} was not written"):
        check(png_size(png) == size, f"{png} is {png_size(png)} pixels, expected {size}")
        pixels = matplotlib.image.imread(png)
        check(float(numpy.var(pixels[..., :3])) > 1e-4, f"{png} is blank")
    if check(os.path.isfile(svg), f"{svg} was not written"):
        try:
            root = ElementTree.parse(svg).getroot()
            check(root.tag.endswith("svg"), f"{svg}: root element is {root.tag}, not svg")
        except ElementTree.ParseError as e:
            check(False, f"{svg} is not XML: {e}")


def check_figure_png(directory, name):
    png = os.path.join(directory, f"{name}.png")
    if check(os.path.isfile(png), f"{png} was not written"):
        pixels = matplotlib.image.imread(png)
        check(float(numpy.var(pixels[..., :3])) > 1e-4, f"{png} is blank")
    check(not os.path.exists(os.path.join(directory, f"{name}.svg")),
          f"{name}.svg written although --formats png")


def check_error(plot, arguments, expected, directory, forbidden_output):
    """plot.py must fail with status 1, one stderr line containing `expected`, and no figure."""
    result = run([plot] + arguments + ["--dir", directory], directory)
    lines = result.stderr.strip().splitlines()
    check(result.returncode == 1, f"{arguments}: exit status {result.returncode}, expected 1")
    check(len(lines) == 1 and expected in lines[0],
          f"{arguments}: stderr {result.stderr!r} is not one line containing {expected!r}")
    check(not os.path.exists(os.path.join(directory, forbidden_output)),
          f"{arguments}: wrote {forbidden_output} despite the error")


def main(symbreak, source):
    plot = os.path.join(source, "scripts", "plot.py")
    fixture = os.path.join(source, "tests", "scripts", "fixtures", "benchmark.json")
    with tempfile.TemporaryDirectory(prefix="symbreak_test_plot_") as work:
        sweep = [symbreak, "sweep", "--quiet", "--engine", "cpu-ref", "--epochs", "30",
                 "--seeds", "8", "--width", "3"]
        result = run(sweep + ["--init", "zeros,normal:1,he-normal", "--activation", "tanh,relu",
                              "--out", "out.csv", "--trace-every", "7", "--trace", "trace.csv"],
                     work)
        if not check(result.returncode == 0, f"sweep failed: {result.stderr}"):
            return
        result = run(sweep + ["--init", "normal:0.1,normal:1", "--lr", "0.1,1", "--activation",
                              "tanh", "--out", "lr.csv"], work)
        if not check(result.returncode == 0, f"lr sweep failed: {result.stderr}"):
            return

        result = run(sweep + ["--init", "zeros,he-normal", "--activation", "tanh", "--width",
                              "3,5", "--momentum", "0,0.9", "--out", "momentum.csv"], work)
        if not check(result.returncode == 0, f"momentum sweep failed: {result.stderr}"):
            return

        result = run(sweep + ["--init", "zeros,const:0.5", "--activation", "tanh", "--optimizer",
                              "sgd,adam", "--dropout", "0,0.5", "--out", "breakers.csv"], work)
        if not check(result.returncode == 0, f"breakers sweep failed: {result.stderr}"):
            return

        # scripts/measure-scaling.py --quick: a few tiny sweeps, so that `scaling` draws real output.
        measure = os.path.join(source, "scripts", "measure-scaling.py")
        result = run([measure, symbreak, "--quick", "--out", "scaling.json"], work)
        if not check(result.returncode == 0, f"measure-scaling.py failed: {result.stderr}"):
            return

        # Decision regions: a tiny circles sweep keeping 2 networks per init (--params).
        result = run([symbreak, "sweep", "--quiet", "--engine", "cpu", "--task", "circles:60",
                      "--width", "4", "--activation", "relu", "--init", "zeros,he-normal",
                      "--lr", "0.1", "--epochs", "50", "--seeds", "3", "--params", "params.csv",
                      "--params-replicates", "2"], work)
        if not check(result.returncode == 0, f"params sweep failed: {result.stderr}"):
            return
        result = run([symbreak, "sweep", "--quiet", "--engine", "cpu", "--task", "parity:3",
                      "--init", "zeros", "--activation", "tanh", "--epochs", "5", "--seeds", "1",
                      "--params", "parity_params.csv"], work)
        if not check(result.returncode == 0, f"parity params sweep failed: {result.stderr}"):
            return

        figures = os.path.join(work, "figures")
        result = run([plot, "boundary", "params.csv", "--symbreak", symbreak, "--dir", figures],
                     work)
        check(result.returncode == 0, f"plot.py boundary failed: {result.stderr}")
        check_figure(figures, "decision_boundaries")
        # The training set given as a file draws the same figure as the one symbreak data writes.
        result = run([symbreak, "data", "circles:60", "--out", "circles.csv"], work)
        check(result.returncode == 0, f"symbreak data failed: {result.stderr}")
        result = run([plot, "boundary", "params.csv", "--data", "circles.csv", "--replicates", "1",
                      "--formats", "png", "--prefix", "given_", "--dir", figures], work)
        check(result.returncode == 0, f"plot.py boundary --data failed: {result.stderr}")
        check_figure_png(figures, "given_decision_boundaries")
        # --where picks one slice of a width x momentum sweep; --formats pdf writes PDF.
        result = run([plot, "heatmap", "momentum.csv", "--where", "width=5,momentum=0.90",
                      "--formats", "pdf", "--prefix", "where_", "--dir", figures], work)
        check(result.returncode == 0, f"plot.py heatmap --where failed: {result.stderr}")
        check("showing only" not in result.stderr,
              f"--where left settings to hold at a value: {result.stderr}")
        for name in ("where_solved_heatmap", "where_broken_heatmap"):
            pdf = os.path.join(figures, f"{name}.pdf")
            if check(os.path.isfile(pdf), f"{pdf} was not written"):
                with open(pdf, "rb") as f:
                    check(f.read(5) == b"%PDF-", f"{pdf} is not a PDF")
            check(not os.path.exists(os.path.join(figures, f"{name}.png")),
                  f"{name}.png written although --formats pdf")
        for arguments in (["heatmap", "out.csv"], ["trace", "trace.csv"], ["lr-scale", "lr.csv"],
                          ["breakers", "breakers.csv"],
                          ["throughput", fixture],
                          ["throughput", fixture, "--size", "800x600", "--prefix", "small_"],
                          ["scaling", "scaling.json"]):
            result = run([plot] + arguments + ["--dir", figures], work)
            check(result.returncode == 0, f"plot.py {' '.join(arguments)} failed: {result.stderr}")
        for name in ("solved_heatmap", "broken_heatmap", "trace_curves", "lr_scale_heatmap",
                     "breakers_heatmap", "throughput", "scaling"):
            check_figure(figures, name)
        check_figure(figures, "small_throughput", (800, 600))

        errors = os.path.join(work, "errors")
        os.mkdir(errors)
        check_error(plot, ["heatmap", os.path.join(work, "trace.csv")],
                    "lacks column(s) solved_rate", errors, "solved_heatmap.png")
        check_error(plot, ["trace", os.path.join(work, "out.csv")],
                    "lacks column(s) epoch, solved_fraction", errors, "trace_curves.png")
        check_error(plot, ["breakers", os.path.join(work, "trace.csv")],
                    "lacks column(s) solved_rate", errors, "breakers_heatmap.png")
        check_error(plot, ["lr-scale", os.path.join(work, "missing.csv")], "cannot read",
                    errors, "lr_scale_heatmap.png")
        check_error(plot, ["throughput", os.path.join(work, "out.csv")], "is not JSON", errors,
                    "throughput.png")
        check_error(plot, ["scaling", fixture], "has no 'points' list", errors, "scaling.png")
        check_error(plot, ["heatmap", os.path.join(work, "momentum.csv"), "--where", "colour=red"],
                    "has no column 'colour'", errors, "solved_heatmap.png")
        check_error(plot, ["heatmap", os.path.join(work, "momentum.csv"), "--where", "width=7"],
                    "no row of", errors, "solved_heatmap.png")
        check_error(plot, ["boundary", os.path.join(work, "out.csv")],
                    "lacks column(s) replicate, data_seed, accuracy, layers, parameters", errors,
                    "decision_boundaries.png")
        check_error(plot, ["boundary", os.path.join(work, "parity_params.csv"), "--symbreak",
                           symbreak], "task parity:3 has 3 inputs", errors,
                    "decision_boundaries.png")
        check_error(plot, ["boundary", os.path.join(work, "params.csv"), "--data",
                           os.path.join(work, "missing.csv")], "cannot read", errors,
                    "decision_boundaries.png")
        no_counter = os.path.join(work, "no_counter.json")
        with open(no_counter, "w") as f:
            f.write('{"context": {}, "benchmarks": [{"name": "BM_X", "run_type": "iteration",'
                    ' "iterations": 1, "real_time": 1.0, "cpu_time": 1.0, "time_unit": "ns"}]}')
        check_error(plot, ["throughput", no_counter], "net_epochs_per_second or items_per_second",
                    errors, "throughput.png")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
    print(f"{len(failures)} failure(s)" if failures else "all figures and errors as expected")
    sys.exit(1 if failures else 0)
