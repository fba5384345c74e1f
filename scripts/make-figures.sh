#!/usr/bin/env bash
# Regenerates the README figures in docs/figures/ from real runs of the cpu-ref engine: the demo
# sweep with a trace, a learning rate x N(0, s²) scale sweep and the breakers' sweep: about 80 s
# on 2 cores once built; and, with the cpu engine, the decision regions of the Initialization
# notebook's experiment (a few seconds more).
# Usage: scripts/make-figures.sh [BENCH.json]   (a Google Benchmark JSON adds throughput.png)
# The CSVs they are drawn from are kept in out/figures/ (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_json=${1:+$(realpath "$1")}
cd "$root"
if ! /usr/bin/python3 -c 'import matplotlib, numpy' 2>/dev/null; then
  echo "make-figures.sh: /usr/bin/python3 lacks matplotlib or numpy;" \
    "install them with: apt-get install python3-matplotlib python3-numpy" >&2
  exit 1
fi

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc 2>/dev/null || echo 2)" --target symbreak >/dev/null
symbreak=build/release/symbreak
data=out/figures
figures=docs/figures
mkdir -p "$data" "$figures"
plot() { scripts/plot.py "$@" --dir "$figures" --formats png >/dev/null; }

# The built-in demonstration (xor, width 4, 7 inits x 3 activations, 300 seeds, 1000 epochs),
# traced every 10 epochs; tracing measures the networks and does not change their training.
"$symbreak" sweep --quiet --engine cpu-ref --out "$data/demo.csv" --trace-every 10 \
  --trace "$data/demo_trace.csv"
plot heatmap "$data/demo.csv"
plot trace "$data/demo_trace.csv"

# How the scale of random N(0, s²) weights and the learning rate decide whether tanh learns xor.
"$symbreak" sweep --quiet --engine cpu-ref --activation tanh --seeds 300 \
  --init normal:0.01,normal:0.1,normal:0.5,normal:1,normal:2,normal:4 --lr 0.05,0.1,0.5,1,2 \
  --out "$data/lr_scale.csv"
plot lr-scale "$data/lr_scale.csv"

# What else breaks the symmetry: each optimiser and regulariser beside plain SGD (the figure
# shows each alone; the sweep crosses them).
"$symbreak" sweep --quiet --engine cpu-ref --activation tanh,sigmoid \
  --init zeros,const:0.5,symmetric:normal:1,xavier-uniform --optimizer sgd,adam,rmsprop \
  --weight-decay 0,0.01 --dropout 0,0.5 --grad-noise 0,0.01 --seeds 100 --epochs 1000 \
  --out "$data/breakers.csv"
plot breakers "$data/breakers.csv"

# deeplearning.ai's Initialization notebook on circles: the decision regions of replicates 0-2 of
# zeros, N(0,1)*10 and He (the cpu engine: 15,000 epochs take well under a minute).
"$symbreak" sweep --quiet --engine cpu --task circles --width 10x5 --activation relu --lr 0.01 \
  --epochs 15000 --init zeros,normal:10,he-normal --seeds 3 \
  --params "$data/circles_params.csv" --params-replicates 3
scripts/plot.py boundary "$data/circles_params.csv" --symbreak "$symbreak" --dir "$figures" \
  --formats png --prefix circles_ --size 1500x1400 >/dev/null

if [[ -n $bench_json ]]; then
  plot throughput "$bench_json"
fi
ls -l "$figures"/*.png
