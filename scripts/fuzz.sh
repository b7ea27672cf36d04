#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: builds the libFuzzer targets (clang, ASan+UBSan, KG_FUZZ) and runs
# each for SECONDS (default 60), starting from its committed corpus tests/fuzz/corpus/<target>.
# Prints executions and seconds per target; exits 1 when any target crashed, hung (-timeout),
# or went over its memory limit (-rss_limit_mb / -malloc_limit_mb), after saving the input as
# <build>/fuzz/<target>/crash-* (or timeout-*, oom-*) and printing how to reproduce it.
#
# Environment:
#   KG_ASAN_BUILD_DIR  build directory (default build-asan, shared with scripts/test-sanitize.sh)
#   FUZZ_JOBS          targets run at once (default 1; 2 halves the wall time on 2 cores)
#   FUZZ_TARGETS       space-separated subset (default: all of tests/fuzz/*_fuzz.cc)
#   FUZZ_KEEP_CORPUS=1 keep inputs found in earlier runs (<build>/fuzz/<target>/corpus)
# docs/RELIABILITY.md explains what each target covers and how to turn a crash into a regression.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitize-env.sh

SECONDS_PER_TARGET="${1:-60}"
BUILD_DIR="${KG_ASAN_BUILD_DIR:-build-asan}"
JOBS="${FUZZ_JOBS:-1}"
if [ -z "${FUZZ_TARGETS:-}" ]; then
  FUZZ_TARGETS=$(ls tests/fuzz/*_fuzz.cc | xargs -n1 basename | sed 's/_fuzz\.cc$//' | tr '\n' ' ')
fi

ConfigureSanitizerBuild "$BUILD_DIR"
targets=()
for t in $FUZZ_TARGETS; do targets+=("${t}_fuzz"); done
echo "fuzz: building ${targets[*]} in $BUILD_DIR" >&2
cmake --build "$BUILD_DIR" --target "${targets[@]}" -j "$(nproc)" >"$BUILD_DIR/fuzz-build.log" 2>&1 || {
  tail -40 "$BUILD_DIR/fuzz-build.log" >&2
  echo "fuzz: build failed (full log: $BUILD_DIR/fuzz-build.log)" >&2
  exit 2
}

# One target: a private corpus dir first (libFuzzer writes new inputs there), the committed
# corpus second (read only). Findings go to the target's dir under artifact_prefix.
run_target() {
  local name="$1" dir="$BUILD_DIR/fuzz/$1"
  [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$dir/corpus"
  mkdir -p "$dir/corpus"
  local dict=()
  case "$name" in
    query|http_query_body) dict=(-dict=tests/fuzz/query.dict) ;;
  esac
  local started=$(date +%s.%N)
  set +e
  "$BUILD_DIR/tests/fuzz/${name}_fuzz" "${dict[@]}" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$dir/" \
    "$dir/corpus" "tests/fuzz/corpus/$name" >"$dir/log" 2>&1
  local rc=$?
  set -e
  local ended=$(date +%s.%N)
  echo "$rc $(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')" >"$dir/result"
}

rm -f "$BUILD_DIR"/fuzz/*/result
running=0
for t in $FUZZ_TARGETS; do
  mkdir -p "$BUILD_DIR/fuzz/$t"
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=0
printf '%-18s %12s %9s %8s  %s\n' target executions seconds exec/s result
for t in $FUZZ_TARGETS; do
  dir="$BUILD_DIR/fuzz/$t"
  read -r rc secs <"$dir/result"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  execs="${execs:-0}"
  rate=$(awk -v e="$execs" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? e / s : 0) }')
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$dir/log" | tail -1)
    result="FAILED (exit $rc): ${artifact:-see $dir/log}"
  fi
  printf '%-18s %12s %9.1f %8s  %s\n' "$t" "$execs" "$secs" "$rate" "$result"
done
if [ "$failed" -ne 0 ]; then
  echo >&2
  for t in $FUZZ_TARGETS; do
    dir="$BUILD_DIR/fuzz/$t"
    read -r rc secs <"$dir/result"
    [ "$rc" -eq 0 ] && continue
    echo "==== $t ($dir/log) ====" >&2
    # The report, and the stack frames in kg's own code (not libFuzzer's or the libraries').
    grep -E 'ERROR|SUMMARY|runtime error|kg fuzz target|Test unit written|#[0-9]+ 0x[0-9a-f]+ in .* [^ ]*/(core|store|query|http|tests)/[^ ]*:[0-9]+' \
      "$dir/log" | head -30 >&2 || tail -30 "$dir/log" >&2
    echo "reproduce: $BUILD_DIR/tests/fuzz/${t}_fuzz <the input above>" >&2
  done
  echo "fuzz: FAILED. Fix the bug, then add the input to tests/fuzz/corpus/<target>/ (a" \
    "regression that ctest replays) -- docs/RELIABILITY.md" >&2
  exit 1
fi
echo "fuzz: all targets ran ${SECONDS_PER_TARGET}s without a crash, hang or memory blow-up"
