#!/usr/bin/env bash
# The acceptance check of "Large sweeps" at full size: one sweep of 200 configurations x 1,000
# seeds (200,000 networks) run once as one process, then interrupted (SIGINT) and resumed, as 7
# shards merged (shards cut through configurations), over 2 MPI ranks (when mpirun is found) and
# over 2 devices; every way must give the four files of the single run byte for byte. One part
# is also run interrupted and resumed, over 2 MPI ranks and over 2 devices: each must equal the
# plain part, its pieces files included. Prints one line per way and exits non-zero on any
# difference.
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
outs() {
  echo --out "$dir/$1.csv" --networks "$dir/$1-n.csv" --trace "$dir/$1-t.csv" \
    --params "$dir/$1-p.csv"
}
failed=0
same() {  # same NAME [WANT]: NAME's four files (and pieces files) equal WANT's (the single run's)
  local f want=${2:-one}
  for f in .csv -n.csv -t.csv -p.csv .csv.pieces -t.csv.pieces; do
    [[ -e "$dir/$want$f" || -e "$dir/$1$f" ]] || continue
    if ! cmp -s "$dir/$want$f" "$dir/$1$f"; then
      echo "$1: $1$f differs from $want$f"
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

start=$(date +%s.%N)
for i in 0 1 2 3 4 5 6; do "$bin" "${grid[@]}" --shard $i/7 $(outs part$i) || failed=1; done
took=$(echo "$(date +%s.%N) - $start" | bc -l)
printf '7 shards: %.1f s, %d of them with a split configuration\n' "$took" \
  "$(ls "$dir"/part?.csv.pieces 2>/dev/null | wc -l)"
start=$(date +%s.%N)
for f in "" -n -t -p; do
  "$bin" merge "$dir/merged$f.csv" "$dir"/part{6,0,5,1,4,2,3}$f.csv || failed=1
done
printf 'merge: %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc -l)"
same merged

# Part 3 of 7 again: interrupted half-way and resumed, over MPI ranks, over devices.
"$bin" "${grid[@]}" --shard 3/7 $(outs part3-resumed) &
sleep "$(echo "$took / 14" | bc -l)"
kill -INT $! && wait $!
"$bin" "${grid[@]}" --shard 3/7 $(outs part3-resumed) --resume
same part3-resumed part3
if command -v mpirun >/dev/null; then
  mpirun --oversubscribe --allow-run-as-root -np 2 "$bin" "${grid[@]}" --shard 3/7 $(outs part3-mpi)
  same part3-mpi part3
fi
"$bin" "${grid[@]}" --shard 3/7 --devices 0,1 $(outs part3-devices)
same part3-devices part3

if command -v mpirun >/dev/null; then
  mpirun --oversubscribe --allow-run-as-root -np 2 "$bin" "${grid[@]}" $(outs mpi)
  same mpi
fi

"$bin" "${grid[@]}" --devices 0,1 $(outs devices)
same devices
exit $failed
