#!/usr/bin/env bash
# scripts/test-sanitize.sh [ctest args...]: builds everything with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (plus libFuzzer coverage, so scripts/fuzz.sh reuses the same build)
# and runs the whole ctest suite there. Any sanitizer report aborts the test that triggered it,
# so the suite passes only when it is clean. docs/RELIABILITY.md.
#
# Environment: KG_ASAN_BUILD_DIR (default build-asan), JOBS (default: nproc), KG_SANITIZE_TARGETS.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitize-env.sh

BUILD_DIR="${KG_ASAN_BUILD_DIR:-build-asan}"
JOBS="${JOBS:-$(nproc)}"

ConfigureSanitizerBuild "$BUILD_DIR"
started=$(date +%s)
# KG_SANITIZE_TARGETS: build only these targets, e.g. "store_tests" while working on one layer
# (then select its tests with ctest arguments: -L store); default: test-binaries, everything
# ctest runs (the benchmark and training tools are proved by `make test`'s build).
read -r -a targets <<<"${KG_SANITIZE_TARGETS:-test-binaries}"
cmake --build "$BUILD_DIR" -j "$JOBS" --target "${targets[@]}"
built=$(date +%s)
echo "test-sanitize: build took $((built - started)) s" >&2
cd "$BUILD_DIR"
status=0
ctest --output-on-failure -j "$JOBS" "$@" || status=$?
echo "test-sanitize: ctest took $(($(date +%s) - built)) s (ASAN_OPTIONS=$ASAN_OPTIONS)" >&2
exit "$status"
