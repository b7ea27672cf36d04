#!/usr/bin/env bash
# Store benchmark on the peers' synthetic graph (../shared/peers/graph): generate the CSVs,
# `kg import` them under /usr/bin/time -v (wall time, peak RSS), then time the peers' look-ups
# with kg-store-bench, and report bytes on disk per mention (edge row).
#
#   bench/import/run.sh [BUILD_DIR] [SIZES...]      e.g. bench/import/run.sh build 100k 1M
#
# Results go to $OUT (default /tmp/kg-bench-import): <size>.import.txt, <size>.time,
# <size>.queries.json, and a summary on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
shift || true
sizes=${*:-100k 1M}
shared=${KG_SHARED_DIR:-$root/../shared}
data=${DATA:-/tmp/peers/data}
out=${OUT:-/tmp/kg-bench-import}
mkdir -p "$out"
kg=$build/tools/kg
bench=$build/tools/store-bench/kg-store-bench
[ -x "$kg" ] && [ -x "$bench" ] || { echo "build kg and kg-store-bench in $build first"; exit 1; }
[ -f "$shared/peers/graph/gen.js" ] || { echo "no $shared/peers/graph/gen.js"; exit 77; }

for size in $sizes; do
  if [ ! -f "$data/$size/edges.csv" ]; then
    node "$shared/peers/graph/gen.js" "$size" "$data/$size" >/dev/null
  fi
  db=$out/kg-$size.db
  rm -rf "$db"
  /usr/bin/time -v "$kg" --db "$db" import --nodes "$data/$size/nodes.csv" \
    --edges "$data/$size/edges.csv" >"$out/$size.import.txt" 2>"$out/$size.time"
  "$bench" --db "$db" --runs 5 >"$out/$size.queries.json"
  rows=$(($(wc -l <"$data/$size/edges.csv") - 1))
  disk=$(du -sb "$db" | cut -f1)
  wall=$(grep "Elapsed (wall clock)" "$out/$size.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$out/$size.time" | awk '{print $NF}')
  echo "== $size: $rows edge rows"
  cat "$out/$size.import.txt"
  echo "import wall $wall, peak RSS $((rss / 1024)) MB, on disk $((disk / 1048576)) MB" \
       "($((disk / rows)) bytes per mention)"
  python3 - "$out/$size.queries.json" <<'PY'
import json, sys
q = json.load(open(sys.argv[1]))
for name in ["lookup_name", "lookup_id", "hop1_hub", "g7_russia", "degree_top10"]:
    t = q[name]
    print(f"  {name:<13} median {t['median_ms']:.3f} ms  cold {t['cold_ms']:.3f} ms  "
          f"rows {t['rows']}  first {t['first']}")
PY
done
