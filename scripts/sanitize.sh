#!/usr/bin/env bash
# The sanitizer check (CI runs it after scripts/test.sh): builds the asan preset — host code, the
# cpu engine's shared kernel code (kernels/*.cuh compiled by g++) included, with AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer, CUDA left out — and runs the `cpu` tests under it.
# Any report stops the process that made it (halt_on_error), and every report is also written to
# a log file, so that one from a child process whose stderr a test captured still fails the run.
# Extra arguments go to ctest, e.g. scripts/sanitize.sh -R BadInput.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup-deps.sh
symbreak_setup_deps

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset asan
cmake --build --preset asan -j "$jobs"

reports=$root/build/asan/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
status=0
# Left out: end-to-end tests that train for minutes under the sanitizers' slowdown and time their
# signals or child processes by wall clock (resume after kills, shard parts resumed after SIGINT,
# --params resumed after a kill, several devices, verify's quiet progress). They run in
# scripts/test.sh; their code paths are covered here by the lighter resume, shard, merge and
# progress tests.
# Also left out: verify on the grid crossing every breaker with every kernel kind (15,360
# networks: over 5 minutes under the sanitizers; lighter verify tests run here).
# Also left out: the lane-symbol check, which holds for the optimised builds that ship (inlined
# std::experimental::simd internals) but not for the asan preset's, which emits them as weak symbols.
slow='^(Breakers\.VerifyPassesForTheCpuEngineOnAGridCrossingEveryOption|Resume\.After|ShardMerge\.InterruptedAndResumed|ParamsOutput\.AnInterruptedSweepResumed|DevicesOption\.SeveralDevices|EverydayUse\.VerifyProgressIsQuietInALog|scripts_test_lane_symbols)'
ctest --preset asan -L cpu -E "$slow" -j "$jobs" "$@" || status=$?

if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports (in $reports):" >&2
  for report in "$reports"/*; do
    echo "== $report" >&2
    head -n 60 "$report" >&2
  done
  exit 1
fi
echo "sanitizers: no report"
exit "$status"
