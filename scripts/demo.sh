#!/usr/bin/env bash
# The main job: set-up on a fresh machine (packages), build symbreak, run the built-in
# demonstration sweep. Extra arguments go to `symbreak sweep`, e.g. scripts/demo.sh --seeds 1000.
# When /usr/bin/python3 has matplotlib, the sweep also writes its CSVs and a trace to out/demo/
# and scripts/plot.py draws them there (unless the arguments name outputs of their own).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup-deps.sh
symbreak_setup_deps

mapfile -t cuda_args < <(symbreak_cmake_cuda_args)
jobs=$(nproc 2>/dev/null || echo 2)
# The build's progress goes to stderr: ninja's one status line on a terminal; elsewhere (a log, CI)
# a line when it starts and one when it ends. Compiler output is kept in a log and shown on failure.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "symbreak demo: configuring and building with $jobs jobs (a first build takes minutes)" >&2
started=$SECONDS
if ! cmake --preset release "${cuda_args[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
if [[ -t 2 ]]; then
  cmake --build --preset release -j "$jobs" --target symbreak >&2
elif ! cmake --build --preset release -j "$jobs" --target symbreak >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "symbreak demo: built in $((SECONDS - started)) s; running the sweep" >&2

# Arguments that choose outputs (or may, through a config file) are left to the user alone.
wants_own_outputs() {
  local arg
  for arg in "$@"; do
    case $arg in
      --out | --out=* | --trace | --trace=* | --trace-every | --trace-every=* | --config | \
        --config=* | --quiet | -h | --help) return 0 ;;
    esac
  done
  return 1
}

if wants_own_outputs "$@" || ! /usr/bin/python3 -c 'import matplotlib, numpy' 2>/dev/null; then
  build/release/symbreak sweep "$@"
  exit
fi
# Tracing every 10 epochs (101 points over the demo's 1000 epochs) adds about a tenth to the time.
figures=out/demo
mkdir -p "$figures"
build/release/symbreak sweep --out "$figures/demo.csv" --trace-every 10 \
  --trace "$figures/trace.csv" "$@"
scripts/plot.py heatmap "$figures/demo.csv" --dir "$figures" >/dev/null
scripts/plot.py trace "$figures/trace.csv" --dir "$figures" >/dev/null
echo
echo "Figures (PNG and SVG): $figures/solved_heatmap.png, $figures/broken_heatmap.png," \
  "$figures/trace_curves.png; the CSVs they come from: $figures/demo.csv, $figures/trace.csv"
