#!/usr/bin/python3
"""Per-configuration distribution of train and test accuracy from a symbreak --networks CSV.

Prints a Markdown table, one row per (task, width, depth, activation, init): networks, mean,
median and the central 95% range (2.5th to 97.5th percentile, nearest rank) of the training
accuracy and of the test accuracy, and the share of networks that predict a single class.
Used for the README's reproduction of deeplearning.ai's "Initialization" notebook:

    scripts/accuracy_table.py networks.csv
"""
import csv
import math
import statistics
import sys


def percentile(sorted_values, p):
    """Nearest-rank percentile p (0 < p <= 100) of an ascending list."""
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def describe(values):
    v = sorted(values)
    return (f"{100 * statistics.fmean(v):.1f}% | {100 * statistics.median(v):.1f}% | "
            f"[{100 * percentile(v, 2.5):.1f}, {100 * percentile(v, 97.5):.1f}]")


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: scripts/accuracy_table.py NETWORKS.csv")
    try:
        with open(argv[1], newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        sys.exit(f"accuracy_table.py: cannot read '{argv[1]}': {e.strerror}")
    if not rows or "test_accuracy" not in rows[0]:
        sys.exit(f"accuracy_table.py: '{argv[1]}' is not a symbreak --networks CSV with test_accuracy")
    groups = {}
    for r in rows:
        key = (r["task"], r["depth"], r["width"], r["activation"], r["init"])
        groups.setdefault(key, []).append(r)
    print("| task | depth | width | activation | init | networks | train mean | train median | "
          "train 95% range | test mean | test median | test 95% range | single class |")
    print("| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |")
    for key, group in groups.items():
        train = [float(r["accuracy"]) for r in group]
        tested = [float(r["test_accuracy"]) for r in group if r["test_accuracy"] != ""]
        single = [r["single_class"] == "1" for r in group if r["single_class"] != ""]
        test_text = describe(tested) if tested else "- | - | -"
        single_text = f"{100 * sum(single) / len(single):.1f}%" if single else "-"
        print(f"| {' | '.join(key)} | {len(group)} | {describe(train)} | {test_text} | "
              f"{single_text} |")


if __name__ == "__main__":
    main(sys.argv)
