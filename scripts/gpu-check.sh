#!/usr/bin/env bash
# The GPU check: one run on a machine with an NVIDIA GPU and no network. Meant to finish within
# ten minutes on one H200 with 16 CPU cores (an estimate from CPU timings, not yet measured there).
#
#   scripts/gpu-check.sh prepare   # here, with network: fetch the Debian packages symbreak builds
#                                  # with into .device-carry/debs (git-ignored)
#   scripts/gpu-check.sh           # there: build, ctest (gpu tests included), verify cuda and
#                                  # cublas against cpu-ref, compute-sanitizer (memcheck,
#                                  # racecheck, initcheck, synccheck), benchmarks
#
# The packages are unpacked with `dpkg -x` into .device-carry/prefix, never into /. Logs and a
# one-screen summary go to $OUT when it is set, else to out/gpu-check. The script keeps going
# after a failed step, and exits non-zero if any step failed.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
carry=$root/.device-carry
packages=(libcli11-dev librandom123-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
          libbenchmark1debian)

if [[ ${1:-} == prepare ]]; then
  mkdir -p "$carry/debs"
  (cd "$carry/debs" && apt-get download "${packages[@]}") || exit 1
  ls -l "$carry/debs"
  exit 0
fi

out=${OUT:-$root/out/gpu-check}
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
failed=0
jobs=$(nproc 2>/dev/null || echo 4)

# step NAME LOG COMMAND...: runs COMMAND with its output appended to LOG, records PASS/FAIL.
step() {
  local name=$1 log=$2
  shift 2
  local start=$SECONDS
  echo "== $name: $*" >>"$log"
  if "$@" >>"$log" 2>&1; then
    printf '%-34s PASS  (%ds)\n' "$name" $((SECONDS - start)) | tee -a "$summary"
  else
    printf '%-34s FAIL  (%ds, see %s)\n' "$name" $((SECONDS - start)) "$(basename "$log")" |
      tee -a "$summary"
    failed=1
  fi
}

# Dependencies: carried packages if present, else whatever the machine has.
if compgen -G "$carry/debs/*.deb" >/dev/null; then
  mkdir -p "$carry/prefix"
  for deb in "$carry"/debs/*.deb; do dpkg -x "$deb" "$carry/prefix"; done
  export CMAKE_PREFIX_PATH=$carry/prefix/usr${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}
  export LD_LIBRARY_PATH=$carry/prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
export PATH=/usr/local/cuda/bin:$PATH

{
  echo "date: $(date -u)"
  nvidia-smi -L 2>&1
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  nvcc --version 2>&1 | tail -2
  echo "cpu: $(nproc) threads"
} >"$out/build.log"
head -4 "$out/build.log" | tee -a "$summary"

build=${SYMBREAK_GPU_BUILD:-$root/build/gpu}
arch=${SYMBREAK_CUDA_ARCH:-90}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
step "configure (sm_$arch)" "$out/build.log" cmake -S . -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DSYMBREAK_REQUIRE_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch"
step "build" "$out/build.log" cmake --build "$build" -j "$jobs"
bin=$build/symbreak

step "ctest (all labels)" "$out/ctest.log" ctest --test-dir "$build" -j "$jobs" --output-on-failure
# On a GPU machine the gpu tests must run, not skip.
gpu_tests_ran() {
  local report
  report=$(ctest --test-dir "$build" -L gpu --output-on-failure 2>&1) || { echo "$report"; return 1; }
  echo "$report"
  ! grep -q -i 'skipped' <<<"$report"
}
step "ctest -L gpu, none skipped" "$out/ctest.log" gpu_tests_ran
step "symbreak devices" "$out/verify.log" "$bin" devices

# docs/method.md §9.2 agreement: the demo grid; 600 configurations covering every activation, ten
# scheme families, depth 1-2 and widths 1-32; and momentum, minibatches, mse and depth 3 (layered).
random_grid=(--task xor,parity:3 --activation sigmoid,tanh,relu,leaky_relu,linear
             --init zeros,const:0.5,symmetric:normal:1,tied:normal:1,zeros/normal:1,xavier-uniform,orthogonal,hadamard,he-normal/torch-linear,trunc-normal:0.5
             --width 1,7,32 --depth 1,2 --seeds 25 --epochs 300)
# symmetric:normal:0.5, not :1: at scale 1 so many networks saturate or have updates under half a
# float ulp (frozen in float, not in double) that frozen agreement fell to 98.9% for cpu, cuda and
# cublas alike on the first H200 run (docs/method.md §9.2); at 0.5 the grid still has such networks.
momentum_grid=(--task parity:4 --depth 1,2,3 --width 3,16,24 --momentum 0,0.9 --batch 0,1,5
               --lr 0.2 --loss bce,mse --activation tanh,relu
               --init zeros,symmetric:normal:0.5,xavier-uniform --seeds 20 --epochs 150)
for engine in cuda cublas; do
  step "verify $engine, demo grid" "$out/verify.log" "$bin" verify --engine "$engine"
  step "verify $engine, 600 configurations" "$out/verify.log" "$bin" verify --engine "$engine" \
    "${random_grid[@]}"
  step "verify $engine, momentum+batches" "$out/verify.log" "$bin" verify --engine "$engine" \
    "${momentum_grid[@]}"
done
# docs/method.md §13: the cuda engine computes the cpu engine's bits, network by network, on the
# same grids (cublas is left to the statistical checks above: cuBLAS promises no bitwise results).
step "verify --exact cuda, demo grid" "$out/verify.log" "$bin" verify --engine cuda --exact
step "verify --exact cuda, 600 configurations" "$out/verify.log" "$bin" verify --engine cuda \
  --exact "${random_grid[@]}"
step "verify --exact cuda, momentum+batches" "$out/verify.log" "$bin" verify --engine cuda \
  --exact "${momentum_grid[@]}"

# Several GPUs (--devices all, one host thread per device) and a sweep resumed after SIGINT: the
# files must equal one device's, uninterrupted, byte for byte (README "Large sweeps").
same_sweep_files() {
  local dir grid
  dir=$(mktemp -d)
  grid=(sweep --quiet --engine cuda --task xor,parity:4 --width 8,32 --activation tanh,relu
        --init zeros,xavier-uniform,he-normal --lr 0.1,0.5 --seeds 2000 --epochs 500
        --trace-every 100)
  "$bin" "${grid[@]}" --out "$dir/a.csv" --networks "$dir/a-n.csv" --trace "$dir/a-t.csv" &&
    "$bin" "${grid[@]}" --devices all --out "$dir/b.csv" --networks "$dir/b-n.csv" \
      --trace "$dir/b-t.csv" &&
    cmp "$dir/a.csv" "$dir/b.csv" && cmp "$dir/a-n.csv" "$dir/b-n.csv" &&
    cmp "$dir/a-t.csv" "$dir/b-t.csv" && {
    "$bin" "${grid[@]}" --out "$dir/c.csv" --networks "$dir/c-n.csv" --trace "$dir/c-t.csv" &
    sleep 3
    kill -INT $!
    wait $!
    "$bin" "${grid[@]}" --resume --out "$dir/c.csv" --networks "$dir/c-n.csv" \
      --trace "$dir/c-t.csv" &&
      cmp "$dir/a.csv" "$dir/c.csv" && cmp "$dir/a-n.csv" "$dir/c-n.csv" &&
      cmp "$dir/a-t.csv" "$dir/c-t.csv"
  }
  local status=$?
  rm -rf "$dir"
  return $status
}
step "--devices all and --resume equal one device, byte for byte" "$out/verify.log" same_sweep_files

# compute-sanitizer on a small sweep through every kernel kind: memcheck (out-of-bounds and
# misaligned accesses, device memory never freed), racecheck (shared-memory races), initcheck
# (reads of uninitialised device memory) and synccheck (invalid __syncthreads/__syncwarp use).
# Each step's output goes to sanitizer.log; --error-exitcode makes any report fail the step.
if command -v compute-sanitizer >/dev/null; then
  small=(sweep --quiet --seeds 40 --epochs 20 --width 4,24 --depth 1,3 --activation tanh
         --init zeros,xavier-uniform --trace-every 10 --trace "$build/trace.csv")
  for tool in memcheck racecheck initcheck synccheck; do
    extra=()
    [[ $tool == memcheck ]] && extra=(--leak-check full)
    for engine in cuda cublas; do
      step "compute-sanitizer $tool $engine" "$out/sanitizer.log" compute-sanitizer \
        --tool "$tool" "${extra[@]}" --error-exitcode 1 "$bin" "${small[@]}" --engine "$engine"
    done
  done
else
  echo "compute-sanitizer                  SKIP  (not found)" | tee -a "$summary"
fi

for bench in bench_engines bench_kernels; do
  if [[ -x $build/bench/$bench ]]; then
    step "benchmark $bench" "$out/bench.log" "$build/bench/$bench" --benchmark_min_time=0.5 \
      --benchmark_out="$out/$bench.json" --benchmark_out_format=json
  fi
done

{
  echo
  grep -h -E '^(PASS|FAIL)$|largest rate difference|verdict agreement|D_l identical|identical:' \
    "$out/verify.log" | head -40
  echo
  grep -h -E '^BM_' "$out/bench.log" 2>/dev/null | head -30
} >>"$summary"
echo "logs: $out" >>"$summary"
exit $failed
