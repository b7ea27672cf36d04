#!/usr/bin/env bash
# What one command-line call pays before its query runs: opening the store (a RocksDB secondary
# instance: MANIFEST, every table file's index and filter) and exiting. Prints the median wall
# time of `kg query 'RETURN 1'` and `kg-inspect stats` over RUNS calls, and the threads one
# `kg query` call starts (when strace is installed).
#
#   bench/query/startup.sh [BUILD_DIR] DB [RUNS]
#   bench/query/startup.sh build /tmp/bench/kg-1M.db 9
set -euo pipefail
build=${1:-build}
db=${2:?usage: startup.sh [BUILD_DIR] DB [RUNS]}
runs=${3:-9}
kg="$build/tools/kg"
inspect="$build/tools/kg-inspect"
[ -x "$kg" ] && [ -x "$inspect" ] || { echo "no kg / kg-inspect under $build"; exit 1; }
[ -d "$db" ] || { echo "no store at $db"; exit 1; }

median_ms() {  # command...: median wall milliseconds over $runs calls (one untimed call first)
  "$@" >/dev/null 2>&1
  local times=() i t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

echo "store: $db ($(ls "$db"/*.sst 2>/dev/null | wc -l) table files), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kg query 'RETURN 1': $(median_ms "$kg" --db "$db" query 'RETURN 1') ms (median of $runs)"
echo "kg-inspect stats:    $(median_ms "$inspect" --db "$db" stats) ms (median of $runs)"
if command -v strace >/dev/null; then
  trace=$(mktemp)
  strace -f -e trace=clone,clone3 -o "$trace" "$kg" --db "$db" query 'RETURN 1' >/dev/null 2>&1
  echo "threads started by one kg query: $(grep -cE 'clone3?\(' "$trace")"
  rm -f "$trace"
fi
