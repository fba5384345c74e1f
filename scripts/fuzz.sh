#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: builds the libFuzzer targets of fuzz/ (the fuzz preset: clang, ASan,
# UBSan, no CUDA), runs every regression input of fuzz/regressions/<target>/ once, then fuzzes each
# target for SECONDS (default 30) over a copy of its seed corpus fuzz/corpus/<target>/. Prints one
# line per target (executions run, result) and exits non-zero on any crash, leak, timeout or
# sanitizer report; the failing input is kept in build/fuzz/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-30}
if [[ ! $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]   (seconds per target, an integer >= 1; default 30)" >&2
  exit 2
fi
source scripts/setup-deps.sh
symbreak_setup_deps "${symbreak_fuzz_packages[@]}"

targets=(fuzz_option_values fuzz_init_schemes fuzz_config_toml)
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target "${targets[@]}"

artifacts=build/fuzz/artifacts
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export UBSAN_OPTIONS=print_stacktrace=1
options=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
# A report that does not end the run (there should be none: recovery is off) still fails it.
reported() { grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$1"; }

summary=()
failed=0
for target in "${targets[@]}"; do
  binary=build/fuzz/fuzz/$target
  log=$work/$target.log
  result="no crash, leak or sanitizer report"

  regressions=()
  if [[ -d fuzz/regressions/$target ]]; then
    mapfile -t regressions < <(find "fuzz/regressions/$target" -type f | sort)
  fi
  if ((${#regressions[@]} > 0)); then
    if ! "$binary" "${options[@]}" "${regressions[@]}" >"$log" 2>&1 || reported "$log"; then
      cat "$log" >&2
      result="FAILED on a regression input (log above)"
    fi
  fi

  executions=
  if [[ $result != FAILED* ]]; then
    cp -r "fuzz/corpus/$target" "$work/corpus-$target"
    if ! "$binary" "${options[@]}" -max_total_time="$seconds" \
      -artifact_prefix="$artifacts/$target-" "$work/corpus-$target" >"$log" 2>&1 ||
      reported "$log"; then
      tail -n 60 "$log" >&2
      result="FAILED (log above; input saved as $artifacts/$target-*)"
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [[ -z $executions ]] && executions=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  fi
  [[ $result == FAILED* ]] && failed=1
  fuzzed="not fuzzed"
  [[ -n $executions ]] && fuzzed=$(printf '%10s executions in %ss' "$executions" "$seconds")
  plural=s
  ((${#regressions[@]} == 1)) && plural=
  summary+=("$(printf '%-20s %s, %d regression input%s: %s' "$target" "$fuzzed" \
    "${#regressions[@]}" "$plural" "$result")")
done

echo
echo "fuzzing, ${seconds}s per target:"
printf '  %s\n' "${summary[@]}"
exit "$failed"
