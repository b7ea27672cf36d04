#!/usr/bin/env bash
# Export and map/merge figures for docs/EXPORT.md and docs/SCALING.md.
#   bench/export/run.sh [BUILD_DIR]        (default build/)
# 1. Export: imports the peers' synthetic graph (1M edge rows, ../shared/peers/graph/gen.js,
#    generated into $PEERS_DATA/1M when missing) with `kg import`, then times every export format
#    under /usr/bin/time (wall, user CPU, peak RSS) and prints the output sizes.
# 2. Map/merge: the BBC corpus (../shared/data/news/bbc.jsonl): `kg extract --format json` on one
#    core, then `kg load` of its output into a fresh store, and one `kg ingest` for comparison.
# Prints `uptime` before each part: the machine is shared, note the load next to any figure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
kg="$build/tools/kg"
shared="${KG_SHARED_DIR:-$root/../shared}"
peers_data="${PEERS_DATA:-/tmp/peers/data}"
work="${WORK:-$(mktemp -d)}"
# Runs a command under /usr/bin/time; the figures go to stderr whatever the command redirects.
t() {
  /usr/bin/time -o "$work/time.txt" -f "$1: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
    "${@:2}"
  cat "$work/time.txt" >&2
}

if [ "${SKIP_EXPORT:-0}" != 1 ]; then
  if [ ! -f "$peers_data/1M/edges.csv" ]; then
    node "$shared/peers/graph/gen.js" 1M "$peers_data/1M"
  fi
  rm -rf "$work/peers.db"
  echo "== export ($(uptime))"
  t "kg import 1M" "$kg" --db "$work/peers.db" import --nodes "$peers_data/1M/nodes.csv" \
    --edges "$peers_data/1M/edges.csv" >/dev/null
  "$kg" --db "$work/peers.db" stats | head -4
  for f in jsonl ntriples turtle graphml dot; do
    t "export $f" "$kg" --db "$work/peers.db" export -q --format $f --out "$work/out.$f"
    echo "  $(du -b "$work/out.$f" | cut -f1) bytes"
    rm -f "$work/out.$f"
  done
  for f in kuzu-csv neo4j-csv; do
    t "export $f" "$kg" --db "$work/peers.db" export -q --format $f --out "$work/out-$f"
    echo "  $(du -sb "$work/out-$f" | cut -f1) bytes"
    rm -rf "$work/out-$f"
  done
  t "export graphml --around Russia --hops 1" "$kg" --db "$work/peers.db" export -q \
    --format graphml --around Russia --hops 1 --out "$work/around.graphml"
fi

corpus="$shared/data/news/bbc.jsonl"
if [ -f "$corpus" ]; then
  echo "== map/merge on $(du -b "$corpus" | cut -f1) bytes of BBC JSONL ($(uptime))"
  t "kg extract --workers 1" "$kg" extract --format json --workers 1 --quiet "$corpus" \
    >"$work/map.jsonl"
  echo "  map output $(du -b "$work/map.jsonl" | cut -f1) bytes"
  rm -rf "$work/merged.db" "$work/ingested.db"
  t "kg load" "$kg" --db "$work/merged.db" load -q "$work/map.jsonl"
  t "kg ingest (all cores)" bash -c '"$0" --db "$1" ingest "$2" >/dev/null 2>&1' \
    "$kg" "$work/ingested.db" "$corpus"
  echo "($(uptime))"
fi
[ -n "${WORK:-}" ] || rm -rf "$work"
