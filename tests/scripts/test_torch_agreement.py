#!/usr/bin/python3
"""cpu-ref against PyTorch's optimisers (docs/method.md §4.1): one network per optimiser, trained
by symbreak's cpu-ref engine and by torch.optim.SGD (momentum and weight decay), torch.optim.Adam
and torch.optim.RMSprop (with weight decay) from the same initial parameters, in double, follows
the same loss trajectory to 1e-10 at every epoch.

The initial parameters are symbreak's own: `uniform:1/uniform:0.5` is a = 1 (0.5 for biases)
times the uniform number of docs/method.md §5.3, recomputed here from Philox4x32-10 in integer
arithmetic, so it is exact; the script checks that both sides start at the same loss first.
symbreak's side is the mean loss of its trace (--trace-every 1) over one replicate.

Needs Debian's python3-torch; reports SKIP (exit 77) without it.
Usage: test_torch_agreement.py SYMBREAK_BINARY
"""
import csv
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("SKIP: PyTorch is not importable (install Debian's python3-torch)")
    sys.exit(77)

MASK = 0xFFFFFFFF
SEED = 3
TOLERANCE = 1e-10


def philox4x32_10(counter, key):
    """Random123's Philox4x32 with 10 rounds: four 32-bit words from a counter and a key."""
    c = list(counter)
    k0, k1 = key
    for round_index in range(10):
        if round_index > 0:
            k0 = (k0 + 0x9E3779B9) & MASK
            k1 = (k1 + 0xBB67AE85) & MASK
        p0 = 0xD2511F53 * c[0]
        p1 = 0xCD9E8D57 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k0) & MASK, p1 & MASK, ((p0 >> 32) ^ c[3] ^ k1) & MASK,
             p0 & MASK]
    return c


def symmetric_unit(seed, replicate, layer, stream, element):
    """symbreak's uniform number in (-1, 1): ((2m + 1) - 2^52) / 2^52 for the 52-bit m."""
    w = philox4x32_10([element, layer, stream, 0], [replicate, seed])
    m = (w[0] << 20) | (w[1] >> 12)
    return float((2 * m + 1) - (1 << 52)) * 2.0 ** -52


def initial_parameters(sizes, weight_scale, bias_scale, replicate=0):
    """[(W_l, b_l)] for layers l = 1 ... L+1, as uniform:weight_scale/uniform:bias_scale draws."""
    layers = []
    for l in range(1, len(sizes)):
        rows, cols = sizes[l], sizes[l - 1]
        w = [[weight_scale * symmetric_unit(SEED, replicate, l, 0, i * cols + j)
              for j in range(cols)] for i in range(rows)]
        b = [bias_scale * symmetric_unit(SEED, replicate, l, 1, i) for i in range(rows)]
        layers.append((torch.tensor(w, dtype=torch.float64, requires_grad=True),
                       torch.tensor(b, dtype=torch.float64, requires_grad=True)))
    return layers


def xor_data():
    """symbreak's xor: sample s has input j = (s >> j) & 1."""
    x = torch.tensor([[float((s >> j) & 1) for j in range(2)] for s in range(4)],
                     dtype=torch.float64)
    y = torch.tensor([float(((s >> 0) & 1) ^ ((s >> 1) & 1)) for s in range(4)],
                     dtype=torch.float64)
    return x, y


def logits(layers, x):
    a = x
    for index, (w, b) in enumerate(layers):
        z = a @ w.T + b
        a = z if index == len(layers) - 1 else torch.tanh(z)
    return a[:, 0]


def torch_losses(case, epochs, depth, width):
    x, y = xor_data()
    layers = initial_parameters([2] + [width] * depth + [1], 1.0, 0.5)
    params = [p for pair in layers for p in pair]
    kind, lr, options, batch = case["optimizer"], case["lr"], case["torch"], case["batch"]
    optimiser = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam,
                 "rmsprop": torch.optim.RMSprop}[kind](params, lr=lr, **options)
    loss_of = torch.nn.BCEWithLogitsLoss()  # the mean over the batch, as symbreak's bce
    batch = batch or 4
    losses = []
    for epoch in range(epochs + 1):
        with torch.no_grad():
            losses.append(loss_of(logits(layers, x), y).item())
        if epoch == epochs:
            break
        for first in range(0, 4, batch):
            optimiser.zero_grad()
            loss_of(logits(layers, x[first:first + batch]), y[first:first + batch]).backward()
            optimiser.step()
    return losses


def symbreak_losses(binary, case, epochs, depth, width, work):
    trace = os.path.join(work, case["optimizer"] + ".csv")
    command = [binary, "sweep", "--quiet", "--engine", "cpu-ref", "--task", "xor",
               "--depth", str(depth), "--width", str(width), "--activation", "tanh",
               "--init", "uniform:1/uniform:0.5", "--loss", "bce", "--seeds", "1",
               "--seed", str(SEED), "--epochs", str(epochs), "--trace-every", "1",
               "--trace", trace, "--optimizer", case["optimizer"], "--lr", str(case["lr"]),
               "--batch", str(case["batch"])] + case["symbreak"]
    subprocess.run(command, check=True)
    with open(trace, newline="") as f:
        return [float(row["mean_loss"]) for row in csv.DictReader(f)], " ".join(command)


CASES = [
    {"optimizer": "sgd", "lr": 0.1, "batch": 0,
     "torch": {"momentum": 0.9, "weight_decay": 0.01},
     "symbreak": ["--momentum", "0.9", "--weight-decay", "0.01"]},
    {"optimizer": "adam", "lr": 0.01, "batch": 2,
     "torch": {"weight_decay": 0.001}, "symbreak": ["--weight-decay", "0.001"]},
    {"optimizer": "rmsprop", "lr": 0.005, "batch": 1,
     "torch": {"weight_decay": 0.001}, "symbreak": ["--weight-decay", "0.001"]},
]


def main(binary):
    torch.set_default_dtype(torch.float64)
    epochs, depth, width = 150, 2, 4
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for case in CASES:
            ours, command = symbreak_losses(binary, case, epochs, depth, width, work)
            theirs = torch_losses(case, epochs, depth, width)
            assert len(ours) == epochs + 1, (len(ours), command)
            if abs(ours[0] - theirs[0]) > 1e-14:
                print(f"FAIL {case['optimizer']}: initial losses differ ({ours[0]!r} vs "
                      f"{theirs[0]!r}): the initial parameters were not reproduced")
                failures += 1
                continue
            worst = max(abs(a - b) for a, b in zip(ours, theirs))
            moved = abs(ours[-1] - ours[0])
            verdict = "ok" if worst <= TOLERANCE and moved > 1e-3 else "FAIL"
            failures += verdict != "ok"
            print(f"{verdict} {case['optimizer']}: loss {ours[0]:.6f} -> {ours[-1]:.6f} over "
                  f"{epochs} epochs; largest difference from torch.optim "
                  f"{worst:.2e} (tolerance {TOLERANCE:g})")
    if failures:
        sys.exit(1)
    print("cpu-ref follows torch.optim: OK")


if __name__ == "__main__":
    main(sys.argv[1])
