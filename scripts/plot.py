#!/usr/bin/python3
"""Figures from symbreak's CSV files and from Google Benchmark JSON, as PNG and SVG.

  scripts/plot.py heatmap    OUT.csv     init x activation: solved_heatmap, broken_heatmap
  scripts/plot.py trace      TRACE.csv   mean D_l/H and solved fraction by epoch: trace_curves
  scripts/plot.py lr-scale   OUT.csv     learning rate x init scale: lr_scale_heatmap
  scripts/plot.py breakers   OUT.csv     optimiser or regulariser x init: breakers_heatmap
  scripts/plot.py throughput BENCH.json  bars per benchmark: throughput
  scripts/plot.py scaling    SCALING.json cost against networks, width, samples: scaling
  scripts/plot.py boundary   PARAMS.csv  per init, the data and the networks' decision regions:
                                         decision_boundaries [--data TRAIN.csv] [--symbreak PATH]
                                         [--replicates N]
  each with [--dir DIR] [--prefix P] [--size WIDTHxHEIGHT] [--formats png,svg,pdf]
  and, for the CSVs, [--where COLUMN=VALUE,...] to draw only the rows with those values

OUT.csv is `symbreak sweep --out`, TRACE.csv is `--trace`, PARAMS.csv is `--params` (the final
parameters of the first K replicates; the training set comes from `symbreak data` with the task
and data seed of the file, or from --data), BENCH.json is a benchmark's
`--benchmark_out=F.json --benchmark_out_format=json`, SCALING.json is
`scripts/measure-scaling.py --out`. Each figure is NAME.png and NAME.svg
(--formats), 1600x900 pixels (a 16:9 slide) unless --size says otherwise; --prefix goes before NAME.
Grid columns the figure does not show are faceted (at most six panels) or, beyond that, held at
their first value; the title says which. Bad input: one line on stderr, exit status 1.
Runs with Debian's /usr/bin/python3 and its python3-matplotlib and python3-numpy packages.
"""

import argparse
import csv
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import PercentFormatter
except ImportError as missing:
    sys.exit(f"plot.py: {missing.name} is not installed for {sys.executable}; "
             "install it with: apt-get install python3-matplotlib python3-numpy")

EXIT_BAD_INPUT = 1
MAX_FACETS = 6
MAX_PANELS_BOUNDARY = 6

# The columns that identify a configuration (docs/method.md §7), in the CSV's order.
# The optimiser and regularisers (docs/method.md §4.1) come last in the CSV; files written before
# them lack these columns.
KEY_COLUMNS = ["task", "depth", "width", "activation", "init", "bias_init", "loss", "lr",
               "momentum", "batch", "epochs", "optimizer", "weight_decay", "dropout", "grad_noise"]
BREAKER_COLUMNS = ["optimizer", "weight_decay", "dropout", "grad_noise"]
COLUMN_LABELS = {"task": "task", "depth": "depth", "width": "width", "activation": "activation",
                 "init": "init", "bias_init": "bias", "loss": "loss", "lr": "lr",
                 "momentum": "momentum", "batch": "batch", "epochs": "epochs",
                 "optimizer": "optimizer", "weight_decay": "weight decay", "dropout": "dropout",
                 "grad_noise": "gradient noise"}

# Okabe & Ito (2008): eight colours told apart with every common colour-vision deficiency; the
# yellow, faint on white, comes last.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
             "#F0E442"]
LINE_STYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

# What s means in `family:s`, for the axis of the lr x scale heatmap.
SCALE_MEANINGS = {"normal": "weight std s: N(0, s²)", "trunc-normal": "weight std s: N(0, s²)",
                  "uniform": "half-width s: U(−s, s)", "const": "constant weight s"}


class InputError(Exception):
    """A problem with an input file, reported as one line and exit status 1."""


# --- Reading inputs ---------------------------------------------------------------------------

def same_value(cell, wanted):
    """True when a cell holds `wanted`, as numbers where both are numbers (0.9 = 0.90)."""
    try:
        return float(cell) == float(wanted)
    except ValueError:
        return cell == wanted


def where_filter(rows, path, where):
    """The rows matching every COLUMN=VALUE of --where; InputError naming what matched nothing."""
    for column, value in where:
        if column not in rows[0]:
            raise InputError(f"--where: '{path}' has no column '{column}'; it has "
                             + ", ".join(c for c in KEY_COLUMNS if c in rows[0]))
        kept = [r for r in rows if same_value(r[column], value)]
        if not kept:
            raise InputError(f"--where: no row of '{path}' has {column}={value}; its values: "
                             + ", ".join(distinct(rows, column)))
        rows = kept
    return rows


def read_csv(path, needed, what, where=()):
    """Rows of a CSV as dicts, only those matching `where` (--where); InputError when it is
    missing, empty or lacks a needed column."""
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            rows = list(reader)
    except OSError as e:
        raise InputError(f"cannot read '{path}': {e.strerror}") from None
    lacking = [c for c in needed if c not in header]
    if lacking:
        raise InputError(f"'{path}' lacks column(s) {', '.join(lacking)} needed for {what}")
    if not rows:
        raise InputError(f"'{path}' has a header but no rows")
    return where_filter(rows, path, where)


def number(row, column, path):
    """The float in a cell; NaN for an empty cell (e.g. eff_width when every network diverged)."""
    text = row[column]
    if text is None:
        raise InputError(f"'{path}': a row has fewer fields than the header")
    if text == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(f"'{path}': column {column} holds '{text}', not a number") from None


def distinct(rows, column):
    """The values of a column in order of first appearance."""
    return list(dict.fromkeys(r[column] for r in rows))


def numeric_sorted(values, column, path):
    """Cell texts in numeric order (the learning rates and scales of the lr x scale heatmap)."""
    return sorted(values, key=lambda text: number({column: text}, column, path))


# --- Choosing panels --------------------------------------------------------------------------

def bias_follows_init(rows):
    """True when each init has one bias_init (the W/B form or one --bias-init): no own axis."""
    if "bias_init" not in rows[0]:
        return True
    return all(len(distinct([r for r in rows if r["init"] == i], "bias_init")) == 1
               for i in distinct(rows, "init"))


def shown_columns(rows, *axes):
    """The figure's axes, plus bias_init when each init has one bias (the W/B form or a single
    --bias-init); a bias crossed with the inits is faceted like any other column."""
    return set(axes) | ({"bias_init"} if bias_follows_init(rows) else set())


def bias_note(rows):
    """'biases zeros' when the inits not written W/B share one bias scheme that no axis shows."""
    if "bias_init" not in rows[0] or not bias_follows_init(rows):
        return ""
    plain = distinct([r for r in rows if "/" not in r["init"]], "bias_init")
    if len(plain) != 1:
        return ""
    note = f"biases {plain[0]}"
    if any("/" in r["init"] for r in rows):
        note += " unless init is W/B"
    return note


def hold_first(rows, columns):
    """Keeps only the rows with the first value of each column; says which were held."""
    picked = []
    for column in columns:
        values = distinct(rows, column)
        if len(values) > 1:
            picked.append((column, f"{COLUMN_LABELS[column]} {values[0]} of {len(values)} values"))
            rows = [r for r in rows if r[column] == values[0]]
    if picked:
        print(f"plot.py: note: showing only {'; '.join(t for _, t in picked)}", file=sys.stderr)
    return rows, picked


def facet(rows, shown):
    """Splits rows into panels by the key columns the figure does not show.

    Returns (panels, picked): panels is a list of (title, rows); picked lists (column, text) for
    the columns held at their first value because faceting them too would exceed MAX_FACETS.
    """
    varying = [c for c in KEY_COLUMNS
               if c not in shown and c in rows[0] and len(distinct(rows, c)) > 1]
    varying.sort(key=lambda c: len(distinct(rows, c)))
    facet_columns, held, panels_count = [], [], 1
    for column in varying:
        count = len(distinct(rows, column))
        if panels_count * count <= MAX_FACETS:
            facet_columns.append(column)
            panels_count *= count
        else:
            held.append(column)
    rows, picked = hold_first(rows, held)
    panels = []
    for combo in itertools.product(*(distinct(rows, c) for c in facet_columns)):
        subset = [r for r in rows if all(r[c] == v for c, v in zip(facet_columns, combo))]
        if subset:
            title = ", ".join(f"{COLUMN_LABELS[c]} {v}" for c, v in zip(facet_columns, combo))
            panels.append((title, subset))
    return panels, picked


def context(rows, skip):
    """The key columns that are the same in every row, as 'xor, depth 1, width 4, ...'."""
    parts = []
    for column in KEY_COLUMNS:
        if column in skip or column not in rows[0] or len(distinct(rows, column)) != 1:
            continue
        value = rows[0][column]
        if column in BREAKER_COLUMNS and value in ("sgd", "0"):
            continue  # plain SGD goes without saying
        if column == "task":
            parts.append(value)
        elif column == "batch":
            parts.append("full batch" if value == "0" else f"batch {value}")
        elif column == "epochs":
            parts.append(f"{value} epochs")
        else:
            parts.append(f"{COLUMN_LABELS[column]} {value}")
    return ", ".join(parts)


def subtitle(rows, shown, picked, extra):
    """The lines under the title: the grid values every panel shares; then `extra` (what a
    cell or line holds) and which values were held."""
    fixed = ", ".join(t for t in (context(rows, set(shown) | {c for c, _ in picked}),
                                  bias_note(rows)) if t)
    held = "; showing only " + "; ".join(t for _, t in picked) if picked else ""
    return "\n".join(textwrap.wrap(fixed, 130) + textwrap.wrap(extra + held, 130))


# --- Drawing ----------------------------------------------------------------------------------

def style():
    plt.rcParams.update({"font.size": 16, "axes.titlesize": 17, "axes.labelsize": 16,
                         "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 14,
                         "figure.titlesize": 18, "svg.hashsalt": "symbreak"})


def new_figure(size, panels):
    """A 16:9-friendly grid of panels: 1, 2 or 3 across, 2x2 for four."""
    columns = 2 if len(panels) == 4 else min(len(panels), 3)
    panel_rows = math.ceil(len(panels) / columns)
    fig, axes = plt.subplots(panel_rows, columns, squeeze=False, layout="constrained",
                             figsize=(size[0] / 100, size[1] / 100), dpi=100)
    for ax in axes.ravel()[len(panels):]:
        ax.set_visible(False)
    return fig, axes.ravel()


def save(fig, args, name):
    """Writes NAME.png and NAME.svg (or the --formats given) into --dir; returns their paths."""
    os.makedirs(args.dir, exist_ok=True)
    paths = []
    for extension in args.formats:
        path = os.path.join(args.dir, f"{args.prefix}{name}.{extension}")
        # No dates, so that the same data gives the same file.
        metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(
            extension, {"Software": None})
        fig.savefig(path, dpi=100, metadata=metadata)  # no bbox_inches: the size is exact
        paths.append(path)
    plt.close(fig)
    for path in paths:
        print(path)
    return paths


def text_colour(cmap, value):
    """Black on light cells, white on dark ones (relative luminance of the cell colour)."""
    if math.isnan(value):
        return "black"
    r, g, b, _ = cmap(value)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def rate_heatmap(ax, cells, row_labels, column_labels, cmap, font_size):
    """cells[(i, j)] = (rate, lo, hi); draws the rates in [0, 1] with their 95% intervals."""
    grid = np.full((len(row_labels), len(column_labels)), np.nan)
    for (i, j), (rate, _, _) in cells.items():
        grid[i, j] = rate
    image = ax.imshow(grid, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto", origin="upper")
    for (i, j), (rate, lo, hi) in cells.items():
        label = ("no data" if math.isnan(rate)
                 else f"{100 * rate:.1f}%\n[{100 * lo:.1f}, {100 * hi:.1f}]")
        ax.text(j, i, label, ha="center", va="center", fontsize=font_size,
                color=text_colour(cmap, rate), linespacing=1.1)
    ax.set_xticks(range(len(column_labels)), column_labels)
    ax.set_yticks(range(len(row_labels)), row_labels)
    ax.tick_params(length=0)
    return image


def annotation_size(panel_count, row_count):
    return max(8, min(16, int(40 / math.sqrt(panel_count * max(row_count, 1)) + 4)))


def rate_colorbar(fig, image, axes, label):
    bar = fig.colorbar(image, ax=list(axes), shrink=0.9, pad=0.02)
    bar.set_label(label)
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))


# --- (a) init x activation heatmaps -----------------------------------------------------------

def plot_rate_heatmap(rows, path, metric, cmap_name, args):
    """One figure of init (rows) x activation (columns) coloured by `metric`_rate."""
    shown = shown_columns(rows, "init", "activation")
    panels, picked = facet(rows, shown)
    cmap = matplotlib.colormaps[cmap_name].copy()
    cmap.set_bad("#dddddd")
    fig, axes = new_figure(args.size, panels)
    for ax, (title, subset) in zip(axes, panels):
        row_labels = distinct(subset, "init")
        column_labels = distinct(subset, "activation")
        cells = {}
        for r in subset:
            key = (row_labels.index(r["init"]), column_labels.index(r["activation"]))
            if key in cells:
                print(f"plot.py: note: '{path}' has two rows for {r['init']}, {r['activation']}; "
                      "showing the first", file=sys.stderr)
                continue
            cells[key] = tuple(number(r, f"{metric}_{end}", path) for end in ("rate", "lo", "hi"))
        image = rate_heatmap(ax, cells, row_labels, column_labels, cmap,
                             annotation_size(len(panels), len(row_labels)))
        ax.set_title(title)
        ax.set_xlabel("hidden activation")
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel("weight initialisation")
    rate_colorbar(fig, image, axes[:len(panels)], f"{metric} rate (% of networks)")
    networks = "/".join(distinct(rows, "n"))
    meaning = {"solved": "networks that classify every sample correctly",
               "broken": "networks whose hidden neurons all end distinct"}[metric]
    fig.suptitle(f"{metric.capitalize()} rate: {meaning}\n"
                 + subtitle(rows, shown, picked,
                          f"{networks} networks per cell; cell: rate [95% Wilson interval]"))
    return save(fig, args, f"{metric}_heatmap")


def command_heatmap(args):
    needed = ["init", "activation", "n"] + [f"{m}_{e}" for m in ("solved", "broken")
                                            for e in ("rate", "lo", "hi")]
    rows = read_csv(args.csv, needed, "the init x activation heatmap (a --out CSV)", args.where)
    plot_rate_heatmap(rows, args.csv, "solved", "viridis", args)
    plot_rate_heatmap(rows, args.csv, "broken", "cividis", args)


# --- (b') optimiser or regulariser x init heatmaps ---------------------------------------------

OPTIMIZER_NAMES = {"sgd": "", "adam": "Adam", "rmsprop": "RMSprop"}


def breaker_label(row):
    """'Adam', 'dropout 0.5', 'RMSprop + weight decay 0.01', or 'plain SGD'."""
    parts = [OPTIMIZER_NAMES.get(row["optimizer"], row["optimizer"])]
    for column in ("weight_decay", "dropout", "grad_noise"):
        if float(row[column]) != 0.0:
            parts.append(f"{COLUMN_LABELS[column]} {row[column]}")
    parts = [p for p in parts if p]
    return " + ".join(parts) if parts else "plain SGD"


def breaker_count(row):
    return ((row["optimizer"] != "sgd") + sum(float(row[c]) != 0.0
                                              for c in ("weight_decay", "dropout", "grad_noise")))


def command_breakers(args):
    """Rows: what the networks were trained with; columns: init (x activation when it varies);
    two panels: broken rate and solved rate."""
    needed = ["init", "activation", "n"] + BREAKER_COLUMNS + [
        f"{m}_{e}" for m in ("solved", "broken") for e in ("rate", "lo", "hi")]
    rows = read_csv(args.csv, needed, "the breakers heatmap (a --out CSV with the optimizer, "
                    "weight_decay, dropout and grad_noise columns)", args.where)
    if len({breaker_label(r) for r in rows}) > 8:
        # Crossed breakers give too many rows to read: show each one alone beside plain SGD.
        single = [r for r in rows if breaker_count(r) <= 1]
        print("plot.py: note: showing each optimiser and regulariser alone; combinations left "
              "out", file=sys.stderr)
        rows = single
    by_activation = len(distinct(rows, "activation")) > 1
    shown = shown_columns(rows, "init", "activation", *BREAKER_COLUMNS)
    others = [c for c in KEY_COLUMNS if c not in shown and c in rows[0]]
    rows, picked = hold_first(rows, others)
    # Plain SGD first, then the optimisers, then the regularisers, each in ascending strength.
    order = sorted(rows, key=lambda r: (
        breaker_count(r), list(OPTIMIZER_NAMES).index(r["optimizer"])
        if r["optimizer"] in OPTIMIZER_NAMES else 9,
        [-float(r[c]) == 0.0 for c in ("weight_decay", "dropout", "grad_noise")],
        [float(r[c]) for c in ("weight_decay", "dropout", "grad_noise")]))
    row_labels = []
    for r in order:
        if breaker_label(r) not in row_labels:
            row_labels.append(breaker_label(r))
    column_keys = []
    for r in rows:
        key = (r["init"], r["activation"]) if by_activation else (r["init"],)
        if key not in column_keys:
            column_keys.append(key)
    column_labels = ["\n".join(k) for k in column_keys]
    fig, axes = plt.subplots(2, 1, squeeze=False, layout="constrained",
                             figsize=(args.size[0] / 100, args.size[1] / 100), dpi=100)
    font = annotation_size(2 * len(column_keys) / 3, len(row_labels))
    for ax, metric, cmap_name in zip(axes[:, 0], ("broken", "solved"), ("cividis", "viridis")):
        cmap = matplotlib.colormaps[cmap_name].copy()
        cmap.set_bad("#dddddd")
        cells = {}
        for r in rows:
            key = (r["init"], r["activation"]) if by_activation else (r["init"],)
            cell = (row_labels.index(breaker_label(r)), column_keys.index(key))
            if cell not in cells:
                cells[cell] = tuple(number(r, f"{metric}_{end}", args.csv)
                                    for end in ("rate", "lo", "hi"))
        image = rate_heatmap(ax, cells, row_labels, column_labels, cmap, font)
        ax.tick_params(axis="x", labelsize=min(14, max(8, 88 // len(column_keys))))
        ax.set_title({"broken": "broken: every hidden neuron ends distinct",
                      "solved": "solved: every sample classified correctly"}[metric])
        rate_colorbar(fig, image, [ax], f"{metric} rate")
    networks = "/".join(distinct(rows, "n"))
    fig.suptitle("What breaks the symmetry: optimisers and regularisers x initialisations\n"
                 + subtitle(rows, shown, picked,
                            f"{networks} networks per cell; cell: rate [95% Wilson interval]"))
    return save(fig, args, "breakers_heatmap")


# --- (b) curves over epochs from a trace ------------------------------------------------------

def trace_series(rows, path):
    """{init: (epochs, eff_width, solved_fraction)} sorted by epoch."""
    series = {}
    for init in distinct(rows, "init"):
        points = sorted((number(r, "epoch", path), number(r, "eff_width", path),
                         number(r, "solved_fraction", path))
                        for r in rows if r["init"] == init)
        series[init] = tuple(np.array(column) for column in zip(*points))
    return series


def draw_curves(ax, series, column):
    """One line per init. Lines often coincide (every symmetric init sits at 1/H), so each has
    its own marker, placed at staggered epochs and smaller than the ones drawn before it, to keep
    all of them visible."""
    for k, (init, values) in enumerate(series.items()):
        step = max(1, len(values[0]) // 6)
        ax.plot(values[0], values[column], label=init, color=OKABE_ITO[k % len(OKABE_ITO)],
                linestyle=LINE_STYLES[(k // len(OKABE_ITO) + k) % len(LINE_STYLES)],
                linewidth=2.5, marker=MARKERS[k % len(MARKERS)], markersize=max(7, 14 - k),
                markevery=(k * step // max(len(series), 1) % step, step))


def collapsed_level(row, path):
    """Mean D_l/H_l when every layer is one neuron: 1/H, or for per-layer widths (10x5) the mean of
    1/H_l over the layers."""
    text = row["width"] or ""
    try:
        sizes = [int(h) for h in text.lower().split("x")]
    except ValueError:
        raise InputError(f"'{path}': column width holds '{text}', not a width") from None
    if not sizes or min(sizes) < 1:
        raise InputError(f"'{path}': column width holds '{text}', not a width")
    return sum(1 / h for h in sizes) / len(sizes)


def command_trace(args):
    needed = ["init", "activation", "width", "epoch", "n", "eff_width", "solved_fraction"]
    rows = read_csv(args.csv, needed, "the curves over epochs (a --trace CSV)", args.where)
    shown = shown_columns(rows, "init", "activation")
    # One panel column per activation; every other varying grid column is held at its first value.
    rows, picked = hold_first(rows, [c for c in KEY_COLUMNS if c not in shown and c in rows[0]])
    activations = distinct(rows, "activation")
    fig, axes = plt.subplots(2, len(activations), squeeze=False, sharex=True, sharey="row",
                             layout="constrained", dpi=100,
                             figsize=(args.size[0] / 100, args.size[1] / 100))
    for j, activation in enumerate(activations):
        subset = [r for r in rows if r["activation"] == activation]
        series = trace_series(subset, args.csv)
        level = collapsed_level(subset[0], args.csv)
        top, bottom = axes[0, j], axes[1, j]
        draw_curves(top, series, 1)
        top.axhline(level, color="grey", linestyle=":", linewidth=1.5)
        top.set_title(activation)
        top.set_ylim(0, 1.05)
        draw_curves(bottom, series, 2)
        bottom.set_ylim(-0.02, 1.02)
        bottom.set_xlabel("epoch")
        for ax in (top, bottom):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.grid(True, alpha=0.3)
    axes[0, 0].set_ylabel("mean $D_l/H$ (% of width)")
    axes[1, 0].set_ylabel("solved (% of networks)")
    axes[0, 0].annotate("1/H: all neurons identical", (0, level), xytext=(4, 8),
                        textcoords="offset points", fontsize=13, color="dimgrey")
    axes[0, -1].legend(title="init", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    networks = "/".join(distinct(rows, "n"))
    fig.suptitle("Distinct hidden neurons and solved fraction during training\n"
                 + subtitle(rows, shown | {"epochs"}, picked, f"{networks} networks per line"))
    save(fig, args, "trace_curves")


# --- (c) learning rate x init scale -----------------------------------------------------------

SCALED_INIT = re.compile(r"^([a-z-]+):([0-9.eE+-]+)$")


def scaled_rows(rows, path):
    """Rows whose init is `family:s`, of the most common family, with 'scale' added."""
    parsed = [(SCALED_INIT.match(r["init"]), r) for r in rows]
    parsed = [(m.group(1), m.group(2), r) for m, r in parsed if m]
    if not parsed:
        raise InputError(f"'{path}' has no init of the form scheme:s (e.g. normal:0.5) "
                         "needed for the lr x scale heatmap")
    families = [f for f, _, _ in parsed]
    family = max(dict.fromkeys(families), key=families.count)
    dropped = len(rows) - families.count(family)
    if dropped:
        print(f"plot.py: note: leaving out {dropped} rows whose init is not {family}:s",
              file=sys.stderr)
    return family, [dict(r, scale=s) for f, s, r in parsed if f == family]


def command_lr_scale(args):
    needed = ["init", "lr", "n", "solved_rate", "solved_lo", "solved_hi"]
    rows = read_csv(args.csv, needed, "the lr x init scale heatmap (a --out CSV)", args.where)
    family, rows = scaled_rows(rows, args.csv)
    shown = shown_columns(rows, "init", "lr")
    panels, picked = facet(rows, shown)
    cmap = matplotlib.colormaps["viridis"].copy()
    cmap.set_bad("#dddddd")
    fig, axes = new_figure(args.size, panels)
    for ax, (title, subset) in zip(axes, panels):
        scales = numeric_sorted(distinct(subset, "scale"), "init", args.csv)[::-1]  # largest on top
        lrs = numeric_sorted(distinct(subset, "lr"), "lr", args.csv)
        cells = {}
        for r in subset:
            key = (scales.index(r["scale"]), lrs.index(r["lr"]))
            cells.setdefault(key, tuple(number(r, f"solved_{e}", args.csv)
                                        for e in ("rate", "lo", "hi")))
        image = rate_heatmap(ax, cells, scales, lrs, cmap,
                             annotation_size(len(panels), len(scales)))
        ax.set_title(title)
        ax.set_xlabel("learning rate η")
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(f"{family}:s — {SCALE_MEANINGS.get(family, 'scale s')}")
    rate_colorbar(fig, image, axes[:len(panels)], "solved rate (% of networks)")
    networks = "/".join(distinct(rows, "n"))
    fig.suptitle(f"Solved rate by learning rate and initial weight scale ({family}:s)\n"
                 + subtitle(rows, shown, picked,
                          f"{networks} networks per cell; cell: rate [95% Wilson interval]"))
    save(fig, args, "lr_scale_heatmap")


# --- (d) throughput from Google Benchmark JSON ------------------------------------------------

COUNTERS = {"net_epochs_per_second": "net-epochs per second (networks × epochs / s)",
            "items_per_second": "items per second"}


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        raise InputError(f"cannot read '{path}': {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise InputError(f"'{path}' is not JSON: {e.msg} at line {e.lineno}") from None


def read_benchmarks(path):
    data = read_json(path)
    benchmarks = data.get("benchmarks") if isinstance(data, dict) else None
    if not isinstance(benchmarks, list) or not benchmarks:
        raise InputError(f"'{path}' has no 'benchmarks' list (is it --benchmark_out_format=json?)")
    return data.get("context", {}), benchmarks


def throughput_values(benchmarks, path):
    """(counter, {name: (value, stddev or 0)}, skipped names) from iteration or mean entries."""
    counter = next((c for c in COUNTERS if any(c in b for b in benchmarks)), None)
    if counter is None:
        raise InputError(f"'{path}' has no benchmark with a counter "
                         f"{' or '.join(COUNTERS)} needed for the throughput bars")
    skipped = [b.get("name", "?") for b in benchmarks
               if b.get("error_occurred") or b.get("skipped")]
    aggregates = {(b.get("run_name"), b.get("aggregate_name")): b[counter] for b in benchmarks
                  if b.get("run_type") == "aggregate" and counter in b}
    values = {}
    for b in benchmarks:
        name = b.get("run_name", b.get("name"))
        if counter not in b or name in values:
            continue
        if (name, "mean") in aggregates:
            values[name] = (aggregates[(name, "mean")], aggregates.get((name, "stddev"), 0.0))
        else:
            runs = [x[counter] for x in benchmarks if x.get("run_name", x.get("name")) == name
                    and x.get("run_type") != "aggregate" and counter in x]
            values[name] = (float(np.mean(runs)), float(np.std(runs)) if len(runs) > 1 else 0.0)
    return counter, values, skipped


def si(value):
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}"
    return f"{value:.3g}"


def command_throughput(args):
    context_info, benchmarks = read_benchmarks(args.json)
    counter, values, skipped = throughput_values(benchmarks, args.json)
    if not values:
        raise InputError(f"'{args.json}': every benchmark with {counter} was skipped")
    names = list(values)[::-1]  # first benchmark at the top
    labels = [n.removesuffix("/manual_time") for n in names]  # Google Benchmark's timing suffix
    means = np.array([values[n][0] for n in names])
    errors = np.array([values[n][1] for n in names])
    fig, ax = plt.subplots(layout="constrained", dpi=100,
                           figsize=(args.size[0] / 100, args.size[1] / 100))
    colour = matplotlib.colormaps["viridis"](0.35)
    ax.barh(range(len(names)), means, xerr=errors if errors.any() else None, color=colour,
            error_kw={"ecolor": "black", "capsize": 4})
    ax.set_yticks(range(len(names)), labels)
    if means.min() > 0 and means.max() / means.min() > 50:
        ax.set_xscale("log")  # engines differ by orders of magnitude; start at a power of ten
        ax.set_xlim(left=10 ** math.floor(math.log10(means.min()) - 0.5))
    for k, value in enumerate(means):
        ax.text(value, k, f" {si(value)}", va="center", fontsize=14)
    ax.set_xlim(right=ax.get_xlim()[1] * (3 if ax.get_xscale() == "log" else 1.15))
    ax.set_xlabel(COUNTERS[counter] + (", log scale" if ax.get_xscale() == "log" else ""))
    ax.grid(True, axis="x", alpha=0.3)
    machine = ", ".join(str(x) for x in (context_info.get("host_name"),
                                          context_info.get("num_cpus") and
                                          f"{context_info['num_cpus']} CPUs") if x)
    note = ""
    if skipped:
        not_run = f"not run (no device or engine here): {len(skipped)} benchmarks, e.g. " + \
            ", ".join(n.removesuffix("/manual_time") for n in skipped[:3])
        note = "\n" + "\n".join(textwrap.wrap(not_run, 110))
    fig.suptitle(f"Throughput: {counter}" + (f" ({machine})" if machine else "") + note)
    save(fig, args, "throughput")


# --- (e) how cost grows, from scripts/measure-scaling.py --------------------------------------

SCALING_SERIES = {"networks": "networks in the sweep", "width": "hidden width (depth 1, xor)",
                  "samples": "samples per epoch (parity:2 ... parity:8, width 8)"}


def read_scaling(path):
    data = read_json(path)
    points = data.get("points") if isinstance(data, dict) else None
    needed = ("series", "value", "kernel", "net_epochs_per_second", "peak_rss_mib")
    if not isinstance(points, list) or not points or \
            any(not isinstance(p, dict) or any(k not in p for k in needed) for p in points):
        raise InputError(f"'{path}' has no 'points' list with {', '.join(needed)} "
                         "(is it scripts/measure-scaling.py --out?)")
    missing = [s for s in SCALING_SERIES if not any(p["series"] == s for p in points)]
    if missing:
        raise InputError(f"'{path}' has no points of the series {', '.join(missing)}")
    return data.get("machine", {}), points


# One colour and marker per kind of kernel, the same in every panel.
KERNEL_FAMILIES = ["fused-thread", "fused-warp", "layered"]


def kernel_family(kernel):
    """fused-thread<d1,w8,i2> -> fused-thread: the marker says which kind of kernel ran."""
    return kernel.split("<", 1)[0]


def draw_scaling_series(ax, points, series, key, label):
    chosen = sorted((p for p in points if p["series"] == series), key=lambda p: p["value"])
    x = [p["value"] for p in chosen]
    ax.plot(x, [p[key] for p in chosen], color="0.6", zorder=1)
    families = list(dict.fromkeys(kernel_family(p["kernel"]) for p in chosen))
    for family in families:
        k = KERNEL_FAMILIES.index(family) if family in KERNEL_FAMILIES else len(KERNEL_FAMILIES)
        mine = [p for p in chosen if kernel_family(p["kernel"]) == family]
        ax.scatter([p["value"] for p in mine], [p[key] for p in mine], s=70, zorder=2,
                   color=OKABE_ITO[k % len(OKABE_ITO)], marker=MARKERS[k % len(MARKERS)],
                   label=family)
    ax.set_xscale("log", base=10 if series == "networks" else 2)
    ax.set_xlabel(SCALING_SERIES[series])
    ax.set_ylabel(label)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(title="kernel", fontsize=12, title_fontsize=12)


def command_scaling(args):
    machine, points = read_scaling(args.json)
    fig, axes = plt.subplots(2, 2, layout="constrained", dpi=100,
                             figsize=(args.size[0] / 100, args.size[1] / 100))
    rate = "network-epochs per second"
    draw_scaling_series(axes[0][0], points, "networks", "net_epochs_per_second", rate)
    draw_scaling_series(axes[0][1], points, "networks", "peak_rss_mib", "peak resident memory, MiB")
    axes[0][0].set_yscale("log")
    axes[0][1].set_ylim(bottom=0)
    draw_scaling_series(axes[1][0], points, "width", "net_epochs_per_second", rate)
    draw_scaling_series(axes[1][1], points, "samples", "net_epochs_per_second", rate)
    for ax in (axes[1][0], axes[1][1]):
        ax.set_yscale("log")
    where = ", ".join(str(x) for x in (machine.get("cpu"), machine.get("cores") and
                                        f"{machine['cores']} cores",
                                        machine.get("date")) if x)
    fig.suptitle("How the cpu engine's cost grows: whole `symbreak sweep` runs" +
                 (f"\n{where}" if where else ""))
    save(fig, args, "scaling")

# --- (f) decision boundaries from --params ----------------------------------------------------

# Hidden activations of docs/method.md §2; the output unit's logit z > 0 predicts class 1.
ACTIVATIONS = {"sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)), "tanh": np.tanh,
               "relu": lambda z: np.maximum(z, 0.0),
               "leaky_relu": lambda z: np.where(z > 0.0, z, 0.01 * z), "linear": lambda z: z}
# Class 0 and class 1: Okabe & Ito's blue and vermilion for the points, lighter for the regions.
CLASS_COLOURS = ("#0072B2", "#D55E00")
REGION_COLOURS = ("#b3d4ea", "#f5c9a8")


def network_of(row, path):
    """(layer sizes, flat parameters) of a --params row, checked against each other."""
    try:
        sizes = [int(n) for n in row["layers"].split(";")]
        params = np.array([float(v) for v in row["parameters"].split(";")])
    except (AttributeError, ValueError):
        raise InputError(f"'{path}': replicate {row.get('replicate')} of init {row.get('init')} "
                         "has malformed layers or parameters") from None
    expected = sum(n * (m + 1) for m, n in zip(sizes, sizes[1:]))
    if len(sizes) < 3 or sizes[-1] != 1 or len(params) != expected:
        raise InputError(f"'{path}': replicate {row['replicate']} of init {row['init']} has "
                         f"{len(params)} parameters, not the {expected} of layers "
                         f"{row['layers']}")
    return sizes, params


def logits(sizes, params, activation, x):
    """The output logit z for every row of x ([points][inputs]), in float64: the flat layout
    [W_1][b_1]...[W_{L+1}][b_{L+1}] with W_l row-major [n_l][n_{l-1}] (docs/method.md §2)."""
    f = ACTIVATIONS[activation]
    a, offset = x, 0
    for l in range(1, len(sizes)):
        rows_l, columns = sizes[l], sizes[l - 1]
        w = params[offset:offset + rows_l * columns].reshape(rows_l, columns)
        offset += rows_l * columns
        b = params[offset:offset + rows_l]
        offset += rows_l
        with np.errstate(over="ignore", invalid="ignore"):
            z = a @ w.T + b
        a = z if l == len(sizes) - 1 else f(z)
    return a[:, 0]


def symbreak_binary(given):
    """The symbreak to run for `symbreak data`: --symbreak, else on PATH, else a build here."""
    if given:
        return given
    found = shutil.which("symbreak")
    if found:
        return found
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for build in ("release", "host", "debug"):
        candidate = os.path.join(source, "build", build, "symbreak")
        if os.access(candidate, os.X_OK):
            return candidate
    raise InputError("no symbreak found to write the training set (symbreak data): give "
                     "--symbreak PATH, or the set itself with --data TRAIN.csv")


def training_set(args, task, data_seed):
    """(x [points][2], labels) of the task's training set: --data, else `symbreak data`."""
    path, temporary = args.data, None
    if path is None:
        temporary = tempfile.TemporaryDirectory(prefix="symbreak_plot_")
        path = os.path.join(temporary.name, "train.csv")
        command = [symbreak_binary(args.symbreak), "data", task, "--data-seed", data_seed,
                   "--out", path]
        try:
            result = subprocess.run(command, capture_output=True, text=True)
        except OSError as e:
            raise InputError(f"cannot run '{command[0]}': {e.strerror}") from None
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise InputError(f"symbreak data {task} failed: {last}")
    try:
        rows = read_csv(path, ["label"], "the training set")
        columns = [c for c in rows[0] if c != "label"]
        x = np.array([[number(r, c, path) for c in columns] for r in rows])
        labels = np.array([number(r, "label", path) for r in rows]) > 0.5
    finally:
        if temporary:
            temporary.cleanup()
    return x, labels


def short_task(task):
    """csv:DIR/TRAIN.csv:DIR/TEST.csv as csv:TRAIN.csv:TEST.csv; other tasks as they are."""
    if not task.startswith("csv:"):
        return task
    return "csv:" + ":".join(os.path.basename(f) for f in task[4:].split(":"))


def command_boundary(args):
    needed = ["task", "activation", "init", "replicate", "data_seed", "accuracy", "layers",
              "parameters"]
    rows = read_csv(args.csv, needed, "decision boundaries (a --params CSV)", args.where)
    shown = shown_columns(rows, "init")
    # One column of panels per init, one row per kept replicate; every other varying grid
    # column is held at its first value (--where picks another).
    rows, picked = hold_first(rows, [c for c in KEY_COLUMNS if c not in shown and c in rows[0]])
    inits = distinct(rows, "init")
    if len(inits) > MAX_PANELS_BOUNDARY:
        print(f"plot.py: note: showing the first {MAX_PANELS_BOUNDARY} of {len(inits)} inits",
              file=sys.stderr)
        inits = inits[:MAX_PANELS_BOUNDARY]
    by_init = {init: [r for r in rows if r["init"] == init][:args.replicates] for init in inits}
    replicates = max(len(kept) for kept in by_init.values())
    task, data_seed = rows[0]["task"], rows[0]["data_seed"]
    x, labels = training_set(args, task, data_seed)
    networks = {init: [network_of(r, args.csv) for r in kept] for init, kept in by_init.items()}
    if x.shape[1] != 2 or any(s[0] != 2 for nets in networks.values() for s, _ in nets):
        raise InputError(f"'{args.csv}': task {task} has {x.shape[1]} inputs; decision regions "
                         "are drawn for tasks with 2")
    # The plane around the data, with a margin of 10% on each side.
    low, high = x.min(axis=0), x.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-9)
    gx, gy = np.meshgrid(np.linspace(low[0] - pad[0], high[0] + pad[0], args.resolution),
                         np.linspace(low[1] - pad[1], high[1] + pad[1], args.resolution))
    plane = np.column_stack([gx.ravel(), gy.ravel()])
    regions = matplotlib.colors.ListedColormap([REGION_COLOURS[0], REGION_COLOURS[1]])
    activation = rows[0]["activation"]
    fig, axes = plt.subplots(replicates, len(inits), squeeze=False, layout="constrained",
                             figsize=(args.size[0] / 100, args.size[1] / 100), dpi=100)
    for j, init in enumerate(inits):
        for i in range(replicates):
            ax = axes[i, j]
            ax.set_xticks([])
            ax.set_yticks([])
            if i >= len(networks[init]):
                ax.set_visible(False)
                continue
            row = by_init[init][i]
            sizes, params = networks[init][i]
            z = logits(sizes, params, activation, plane).reshape(gx.shape)
            # A logit z > 0 predicts class 1 (docs/method.md §6); NaN (a diverged network)
            # predicts neither and stays white.
            predicted = np.where(np.isnan(z), np.nan, (z > 0.0).astype(float))
            ax.imshow(predicted, origin="lower", cmap=regions, vmin=0.0, vmax=1.0,
                      aspect="auto", interpolation="nearest",
                      extent=(gx.min(), gx.max(), gy.min(), gy.max()))
            if np.isfinite(z).all() and z.min() < 0.0 < z.max():
                ax.contour(gx, gy, z, levels=[0.0], colors="black", linewidths=1.2)
            elif np.isfinite(z).all():
                ax.text(0.5, 0.04, f"class {int(z.max() > 0.0)} everywhere",
                        transform=ax.transAxes, ha="center", va="bottom", fontsize=13,
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8})
            for label in (False, True):
                ax.scatter(x[labels == label, 0], x[labels == label, 1], s=12,
                           color=CLASS_COLOURS[int(label)], edgecolors="black",
                           linewidths=0.4, label=f"class {int(label)}")
            ax.set_aspect("equal", adjustable="box")
            accuracy = f"train {100 * number(row, 'accuracy', args.csv):.0f}%"
            if row.get("test_accuracy"):
                accuracy += f", test {100 * number(row, 'test_accuracy', args.csv):.0f}%"
            ax.set_title((f"{init}\n" if i == 0 else "")
                         + f"replicate {row['replicate']}: {accuracy}", fontsize=14)
    axes[0, len(inits) - 1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    # A csv: task is named by its files' names, not their whole paths, in the subtitle; its data
    # seed means nothing.
    named = [dict(r, task=short_task(r["task"])) for r in rows]
    data = "training set" + ("" if task.startswith("csv:") else f" (data seed {data_seed})")
    fig.suptitle("Decision regions after training, per initialisation\n"
                 + subtitle(named, shown, picked,
                            f"{data}; shading: the class each network predicts (blue 0, "
                            "orange 1), line: its boundary z = 0"))
    save(fig, args, "decision_boundaries")


# --- Command line -----------------------------------------------------------------------------

def positive(text):
    if not re.fullmatch(r"[1-9][0-9]*", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not an integer >= 1")
    return int(text)


def pixel_size(text):
    match = re.fullmatch(r"(\d+)x(\d+)", text)
    if not match or min(int(match.group(1)), int(match.group(2))) < 200:
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT in pixels, each >= 200")
    return int(match.group(1)), int(match.group(2))


def formats(text):
    chosen = text.split(",")
    if not chosen or any(f not in ("png", "svg", "pdf") for f in chosen):
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of png, svg, pdf")
    return list(dict.fromkeys(chosen))


def where_pairs(text):
    """--where width=8,momentum=0.9 as [("width", "8"), ("momentum", "0.9")]."""
    pairs = []
    for item in text.split(","):
        column, equals, value = item.strip().partition("=")
        if not equals or not column.strip() or not value.strip():
            raise argparse.ArgumentTypeError(
                f"'{text}' is not a list of COLUMN=VALUE, e.g. width=8,momentum=0.9")
        pairs.append((column.strip(), value.strip()))
    return pairs


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="plot.py", description=__doc__.split("\n\n")[0],
        epilog="Example: scripts/plot.py heatmap out/demo/demo.csv --dir out/demo")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, file_argument, function, help_text in (
            ("heatmap", "csv", command_heatmap, "init x activation heatmaps from --out CSV"),
            ("trace", "csv", command_trace, "curves over epochs from a --trace CSV"),
            ("lr-scale", "csv", command_lr_scale, "lr x init scale heatmap from --out CSV"),
            ("breakers", "csv", command_breakers,
             "optimiser or regulariser x init heatmap (broken and solved) from --out CSV"),
            ("throughput", "json", command_throughput, "bars from Google Benchmark JSON"),
            ("scaling", "json", command_scaling,
             "throughput and memory against size from measure-scaling.py JSON"),
            ("boundary", "csv", command_boundary,
             "per init, the data and the decision regions of the networks of a --params CSV")):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(file_argument, metavar=file_argument.upper())
        sub.add_argument("--dir", default=".", help="output folder (default: .)")
        sub.add_argument("--prefix", default="", help="put before every file name")
        sub.add_argument("--size", type=pixel_size, default=(1600, 900),
                         help="WIDTHxHEIGHT in pixels (default: 1600x900)")
        sub.add_argument("--formats", type=formats, default=["png", "svg"],
                         help="comma-separated, from png, svg, pdf (default: png,svg)")
        if file_argument == "csv":
            sub.add_argument("--where", type=where_pairs, default=[], metavar="COLUMN=VALUE,...",
                             help="draw only the rows with these values, e.g. width=8,momentum=0.9"
                                  " (the other settings swept are drawn as panels)")
        if name == "boundary":
            sub.add_argument("--data", metavar="TRAIN.csv",
                             help="the training set to draw (default: symbreak data with the "
                                  "file's task and data seed)")
            sub.add_argument("--symbreak", metavar="PATH",
                             help="the symbreak that writes the training set (default: on PATH, "
                                  "else build/release/symbreak)")
            sub.add_argument("--replicates", type=positive, default=3, metavar="N",
                             help="draw the first N kept replicates of each init, one row each "
                                  "(default: 3)")
            sub.add_argument("--resolution", type=positive, default=300, metavar="N",
                             help="points per side of the plane's grid (default: 300)")
        sub.set_defaults(function=function)
    return parser.parse_args(argv)


def main(argv):
    args = parse_arguments(argv)
    style()
    try:
        args.function(args)
    except InputError as e:
        print(f"plot.py: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
