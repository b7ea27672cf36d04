#!/usr/bin/env bash
# HTTP benchmark: wrk (2 threads, 64 connections) against `kg serve` on the peers' generated
# 1M-edge graph: GET /entities/{random id}, /entities/{id}/neighbors?limit=10, a fixed name search
# and POST /query with the G-7 question. Prints requests/s, latency percentiles and errors.
#
#   bench/http/run.sh [BUILD_DIR] [SIZE]          e.g. bench/http/run.sh build 1M
#   INGEST=path/to/dump.jsonl bench/http/run.sh   the same while `kg ingest` writes that dump into
#                                                 the served store (a copy of it, so the next run
#                                                 starts from the same graph)
#
# Reuses $DATA/<SIZE>/*.csv (made by ../shared/peers/graph/gen.js) and $OUT/kg-<SIZE>.db (made by
# `kg import`, as bench/import/run.sh does) when they exist. Needs wrk (apt-get install wrk).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
size=${2:-1M}
shared=${KG_SHARED_DIR:-$root/../shared}
data=${DATA:-/tmp/peers/data}
out=${OUT:-/tmp/kg-bench-import}
duration=${DURATION:-15s}
kg=$build/tools/kg
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 77; }
[ -x "$kg" ] || { echo "build kg in $build first"; exit 1; }
mkdir -p "$out"
db=$out/kg-$size.db
if [ ! -d "$db" ]; then
  [ -f "$shared/peers/graph/gen.js" ] || { echo "no $shared/peers/graph/gen.js"; exit 77; }
  [ -f "$data/$size/edges.csv" ] || node "$shared/peers/graph/gen.js" "$size" "$data/$size" >/dev/null
  "$kg" --db "$db" import --nodes "$data/$size/nodes.csv" --edges "$data/$size/edges.csv" >/dev/null
fi

ingest=${INGEST:-}
ingest_pid=""
if [ -n "$ingest" ]; then
  [ -e "$ingest" ] || { echo "no dump $ingest"; exit 77; }
  rm -rf "$out/kg-$size-ingest.db"
  cp -r "$db" "$out/kg-$size-ingest.db"
  db=$out/kg-$size-ingest.db
fi

log=$(mktemp)
"$kg" --db "$db" serve --port 0 --quiet --threads 64 >"$log" 2>&1 &
pid=$!
cleanup() {
  if [ -n "$ingest_pid" ]; then
    kill -TERM "$ingest_pid" 2>/dev/null  # the loop first, then the `kg ingest` it runs
    pkill -TERM -P "$ingest_pid" 2>/dev/null
    wait "$ingest_pid" 2>/dev/null
  fi
  kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"
}
trap cleanup EXIT
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/^kg: serving \(http:[^ ]*\)$/\1/p' "$log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "kg serve did not start"; cat "$log"; exit 1; }
nodes=$(curl -s "$url/stats" | sed -n 's/.*"nodes":\([0-9]*\).*/\1/p')
edges=$(curl -s "$url/stats" | sed -n 's/.*"edges":\([0-9]*\).*/\1/p')
echo "kg serve on $db: $nodes nodes, $edges edges; wrk -t2 -c64 -d$duration --latency"

# CPU time (clock ticks) the server has used so far.
server_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
ticks_per_s=$(getconf CLK_TCK)

report() {
  # wrk's output -> "requests/s p50 p99", plus the server's CPU time per request (what the
  # throughput would be with a whole core per server thread, minus contention).
  local rps p50 p99 requests cpu_us
  rps=$(awk '/^Requests\/sec/ {print $2}' "$1")
  p50=$(awk '$1 == "50%" {print $2}' "$1")
  p99=$(awk '$1 == "99%" {print $2}' "$1")
  requests=$(awk '/requests in/ {print $1}' "$1")
  cpu_us=$(( ($3 * 1000000 / ticks_per_s) / (requests > 0 ? requests : 1) ))
  # Errors: non-2xx answers plus wrk's socket errors (connect, read, write, timeout).
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10}
                END {print n + 0}' "$1")
  printf '  %-28s %10s req/s   p50 %8s   p99 %8s   server CPU %4d us/request   errors %s\n' \
    "$2" "$rps" "$p50" "$p99" "$cpu_us" "$errors"
  total_errors=$((total_errors + errors))
}
result=$(mktemp)
total_errors=0
if [ -n "$ingest" ]; then
  # The writer runs for the whole measurement: `kg ingest` again and again (each pass adds
  # nothing new after the first, so later passes still read, clean, extract and check every
  # article against the store).
  ( while true; do "$kg" --db "$db" ingest -q --workers 1 "$ingest" >/dev/null 2>&1 || exit; done ) &
  ingest_pid=$!
  echo "  while \`kg ingest --workers 1 $ingest\` writes into the served store"
fi
# Warm-up (block cache), not reported.
KG_NODES=$nodes wrk -t2 -c64 -d3s -s "$here/lookup.lua" "$url" >/dev/null
t0=$(server_ticks)
KG_NODES=$nodes wrk -t2 -c64 -d"$duration" --latency -s "$here/lookup.lua" "$url" >"$result"
report "$result" "GET /entities/{id}" $(( $(server_ticks) - t0 ))
t0=$(server_ticks)
KG_NODES=$nodes KG_PATH=neighbors wrk -t2 -c64 -d"$duration" --latency -s "$here/lookup.lua" "$url" >"$result"
report "$result" "GET /entities/{id}/neighbors" $(( $(server_ticks) - t0 ))
t0=$(server_ticks)
wrk -t2 -c64 -d"$duration" --latency "$url/entities?q=rus&limit=10" >"$result"
report "$result" "GET /entities?q=rus" $(( $(server_ticks) - t0 ))
query_file=$(mktemp)
cat >"$query_file" <<'CYPHER'
MATCH (m)-[:MEMBER_OF]->({name: 'G-7'})
OPTIONAL MATCH (m)-[s:OPPOSES|SUPPORTS|CRITICIZES]->({name: 'Russia'})
RETURN m.name AS member, type(s) AS stance ORDER BY member, stance
CYPHER
t0=$(server_ticks)
KG_QUERY_FILE=$query_file wrk -t2 -c64 -d"$duration" --latency -s "$here/query.lua" "$url/query" \
  >"$result"
report "$result" "POST /query (G-7 question)" $(( $(server_ticks) - t0 ))
rm -f "$query_file"
if [ -n "$ingest" ]; then
  docs=$(curl -s "$url/stats" | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')
  echo "  documents visible to the server at the end: $docs"
fi
echo "  (load average during the run: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
rm -f "$result"
echo "  errors in all runs: $total_errors"
[ "$total_errors" -eq 0 ]
