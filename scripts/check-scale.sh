#!/usr/bin/env bash
# The acceptance check of "Large sweeps" at full size: one sweep of 200 configurations x 1,000
# seeds (200,000 networks) run once as one process, then interrupted (SIGINT) and resumed, as 3
# shards merged, over 2 MPI ranks (when mpirun is found) and over 2 devices; every way must give
# the three files of the single run byte for byte. Prints one line per way and exits non-zero on
# any difference.
#   scripts/check-scale.sh BUILD/symbreak [ENGINE]   (ENGINE: cpu by default)
set -uo pipefail
if (($# < 1)); then
  echo "usage: $0 SYMBREAK [ENGINE]" >&2
  exit 2
fi
bin=$1 engine=${2:-cpu}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
grid=(sweep --quiet --engine "$engine" --task xor,and --width 4,8 --activation tanh,relu
      --init zeros,xavier-uniform,he-normal,normal:1,symmetric:normal:1 --lr 0.1,0.3,1,3,10
      --seeds 1000 --epochs 100 --trace-every 50)
outs() { echo --out "$dir/$1.csv" --networks "$dir/$1-n.csv" --trace "$dir/$1-t.csv"; }
failed=0
same() {  # same NAME: NAME's three files equal the single run's
  local f
  for f in "" -n -t; do
    if ! cmp -s "$dir/one$f.csv" "$dir/$1$f.csv"; then
      echo "$1: $1$f.csv differs from one$f.csv"
      failed=1
      return
    fi
  done
  echo "$1: identical ($(wc -l <"$dir/$1.csv") rows in --out, $(wc -l <"$dir/$1-n.csv") in --networks)"
}
start=$(date +%s.%N)
"$bin" "${grid[@]}" $(outs one) || exit 1
took=$(echo "$(date +%s.%N) - $start" | bc -l)
printf 'one process: %.1f s\n' "$took"

# SIGINT half-way through a second run (by the first run's time), then --resume.
"$bin" "${grid[@]}" $(outs resumed) &
sleep "$(echo "$took / 2" | bc -l)"
kill -INT $! && wait $!
"$bin" "${grid[@]}" $(outs resumed) --resume
same resumed

for i in 0 1 2; do "$bin" "${grid[@]}" --shard $i/3 $(outs part$i) || failed=1; done
"$bin" merge "$dir/merged.csv" "$dir"/part{2,0,1}.csv &&
  "$bin" merge "$dir/merged-n.csv" "$dir"/part{0,1,2}-n.csv &&
  "$bin" merge "$dir/merged-t.csv" "$dir"/part{1,2,0}-t.csv
same merged

if command -v mpirun >/dev/null; then
  mpirun --oversubscribe --allow-run-as-root -np 2 "$bin" "${grid[@]}" $(outs mpi)
  same mpi
fi

"$bin" "${grid[@]}" --devices 0,1 $(outs devices)
same devices
exit $failed
