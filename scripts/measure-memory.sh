#!/usr/bin/env bash
# Peak resident memory (RSS) and wall time of one `cpu` sweep of NETWORKS networks: 100
# configurations (xor, width 4, tanh, 10 learning rates x 10 momenta) x NETWORKS/100 seeds, EPOCHS
# epochs (default 10), --out into a scratch directory. Not a test: a measurement, for the README's
# "Large sweeps" (host memory must stay flat in the number of networks).
#   scripts/measure-memory.sh BUILD/symbreak 10000000 [EPOCHS] [extra sweep options...]
set -euo pipefail
if (($# < 2)); then
  echo "usage: $0 SYMBREAK NETWORKS [EPOCHS] [SWEEP OPTION...]" >&2
  exit 2
fi
binary=$1 networks=$2 epochs=${3:-10}
shift $(($# < 3 ? 2 : 3))
if ((networks < 100 || networks % 100 != 0)); then
  echo "$0: NETWORKS '$networks' is not accepted; expected a multiple of 100, at least 100" >&2
  exit 2
fi
[[ -x /usr/bin/time ]] || { echo "$0: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
/usr/bin/time -f '%M %e' -o "$scratch/time" "$binary" sweep --quiet --engine cpu --task xor \
  --width 4 --activation tanh --init xavier-uniform \
  --lr 0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0 --momentum 0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9 \
  --seeds $((networks / 100)) --epochs "$epochs" --out "$scratch/out.csv" "$@"
read -r kib seconds <"$scratch/time"
printf 'networks %d, epochs %d: peak RSS %.1f MiB, %.1f s, %d rows in --out\n' "$networks" \
  "$epochs" "$(echo "$kib / 1024" | bc -l)" "$seconds" "$(($(wc -l <"$scratch/out.csv") - 1))"
