#!/usr/bin/env bash
# The peers' graph benchmark (../shared/peers/graph) for kg and its peers in one run, on the same
# CSV files: generate the data, `kg import` it into a fresh store under /usr/bin/time -v, ask
# the six questions through kg's query engine (bench/query/run.sh), then run the peers'
# run_all.sh on the same files. The load average is printed before and after each phase
# (the machine may be shared).
#
#   bench/query/run_graph_bench.sh [BUILD_DIR] [SIZES...]     e.g. ... build 100k 1M
#
# Env: OUT (default /tmp/kg-graph-bench), DATA (default /tmp/peers/data), RUNS (warm runs per
# query, default 5), ENGINES (peers, default "kuzu sqlite"; add oxigraph for the in-memory RDF
# store, slow at 1M), PEERS=0 to skip the peers, NODE_PATH (the peers' npm packages, default
# /tmp/peers/graph/node_modules: see ../shared/peers/graph/README.md for installing them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
shift || true
sizes=${*:-1M}
shared=${KG_SHARED_DIR:-$root/../shared}
data=${DATA:-/tmp/peers/data}
out=${OUT:-/tmp/kg-graph-bench}
runs=${RUNS:-5}
engines=${ENGINES:-"kuzu sqlite"}
kg=$build/tools/kg
[ -x "$kg" ] || { echo "build kg in $build first"; exit 1; }
[ -f "$shared/peers/graph/gen.js" ] || { echo "no $shared/peers/graph/gen.js"; exit 77; }
mkdir -p "$out"
load() { echo "load average ($1): $(cut -d' ' -f1-3 /proc/loadavg)"; }

for size in $sizes; do
  if [ ! -f "$data/$size/edges.csv" ]; then
    node "$shared/peers/graph/gen.js" "$size" "$data/$size" >/dev/null
  fi
  db=$out/kg-$size.db
  rm -rf "$db"
  echo "=== kg $size"
  load "before import"
  /usr/bin/time -v "$kg" --db "$db" import --nodes "$data/$size/nodes.csv" \
    --edges "$data/$size/edges.csv" >"$out/$size.import.txt" 2>"$out/$size.time"
  cat "$out/$size.import.txt"
  rows=$(($(wc -l <"$data/$size/edges.csv") - 1))
  disk=$(du -sb "$db" | cut -f1)
  wall=$(grep "Elapsed (wall clock)" "$out/$size.time" | awk '{print $NF}')
  user=$(grep "User time" "$out/$size.time" | awk '{print $NF}')
  sys=$(grep "System time" "$out/$size.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$out/$size.time" | awk '{print $NF}')
  echo "import: wall $wall, CPU ${user}s user + ${sys}s sys, peak RSS $((rss / 1024)) MB," \
       "on disk $((disk / 1048576)) MB ($((disk / rows)) bytes per mention)"
  load "after import"
  DB=$db RUNS=$runs "$here/run.sh" "$build" "$size"
  load "after queries"
  if [ "${PEERS:-1}" != 0 ]; then
    echo "=== peers $size ($engines)"
    RESULTS=$out/peers DATA=$data ENGINES=$engines RUNS=$runs \
      NODE_PATH=${NODE_PATH:-/tmp/peers/graph/node_modules} \
      "$shared/peers/graph/run_all.sh" "$size" 2>&1 | grep -v "^- " || true
    load "after peers"
  fi
done
