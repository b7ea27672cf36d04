#!/usr/bin/env bash
# Query benchmark on the peers' synthetic graph (../shared/peers/graph): the six questions of
# bench_kuzu.js written in kg's Cypher, each run once cold and RUNS times warm in one `kg query`
# process (--repeat: every run is a new query with a new snapshot), warm median reported.
#
#   bench/query/run.sh [BUILD_DIR] [SIZE]        e.g. bench/query/run.sh build-query 1M
#
# The store is imported with `kg import` when $DB does not exist (default
# /tmp/kg-query-bench-<size>.db). Answers are printed so they can be compared with the peers'
# cross-check in ../shared/peers/graph/results/summary.md.
#
# NAMES="hop1_hub path3" runs only those questions (default: all seven).
#
# Mapping to the peers' data model: `kg import` stores every CSV row as one evidence record
# (properties doc_id, weight, polarity) on one edge per (src, type, dst), so the per-mention
# counts of the peers are size(evidence(r)) and sums over evidence(r); kg node ids are the CSV
# ids + 1 (ids start at 1 in a kg store).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
size=${2:-1M}
runs=${RUNS:-5}
shared=${KG_SHARED_DIR:-$root/../shared}
data=${DATA:-/tmp/peers/data}
db=${DB:-/tmp/kg-query-bench-$size.db}
kg=$build/tools/kg
[ -x "$kg" ] || { echo "build kg in $build first"; exit 1; }
if [ ! -d "$db" ]; then
  if [ ! -f "$data/$size/edges.csv" ]; then
    [ -f "$shared/peers/graph/gen.js" ] || { echo "no $shared/peers/graph/gen.js"; exit 77; }
    node "$shared/peers/graph/gen.js" "$size" "$data/$size" >/dev/null
  fi
  "$kg" --db "$db" import --nodes "$data/$size/nodes.csv" --edges "$data/$size/edges.csv"
fi

declare -A Q
names=${NAMES:-"lookup_name lookup_id hop1_hub g7_russia path3 degree_top10 degree_top10_name"}
Q[lookup_name]="MATCH (e {name: 'Russia'}) RETURN id(e) - 1 AS id, labels(e)[0] AS type"
Q[lookup_id]="MATCH (e) WHERE id(e) = 2 RETURN e.name AS name, labels(e)[0] AS type"
Q[hop1_hub]="MATCH (a {name: 'United States'})-->(b) RETURN DISTINCT id(b) - 1 AS id, b.name AS name"
Q[g7_russia]="MATCH (m)-[:MEMBER_OF]->({name: 'G-7'})
OPTIONAL MATCH (m)-[s:OPPOSES|SUPPORTS|CRITICIZES]->({name: 'Russia'})
UNWIND CASE WHEN s IS NULL THEN [null] ELSE evidence(s) END AS ev
RETURN m.name AS member, type(s) AS rel, count(ev) AS n, avg(ev.polarity) AS avg_polarity,
       sum(ev.weight) AS total_weight
ORDER BY member, rel"
Q[path3]="MATCH p = (a {name: 'Olaf Brandt'})-[*1..3]->(b {name: 'Russia'})
WITH DISTINCT nodes(p) AS ns
RETURN size(ns) - 1 AS hops, count(*) AS paths ORDER BY hops"
# Top entities by mentions (every CSV row counts, as in the peers), grouped by node: the
# executor then reads only the nodes that can reach the top 10. degree_top10_name groups by name
# exactly as the peers' Cypher does (same answer here: names are unique), reading every node.
Q[degree_top10]="MATCH (a)-[r]-() WITH a, sum(size(evidence(r))) AS deg
ORDER BY deg DESC, a.name LIMIT 10 RETURN a.name AS name, deg"
Q[degree_top10_name]="MATCH (a)-[r]-() RETURN a.name AS name, sum(size(evidence(r))) AS deg
ORDER BY deg DESC, name LIMIT 10"

# CPU ms/run: user+sys CPU of the warm runs alone, i.e. (CPU of the process with 1 + CPU_RUNS
# runs - CPU of a process with 1 run) / CPU_RUNS (default RUNS). On a shared, loaded machine it
# is steadier than wall time.
cpu_runs=${CPU_RUNS:-$runs}
# Private scratch files: two runs at once (two stores, two builds) must not read each other's.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cpu_of() {  # cpu_of REPEAT QUERY: user+sys seconds of one `kg query` process
  /usr/bin/time -f "%U %S" -o "$scratch/cpu" "$kg" --db "$db" query --format json \
    ${1:+--repeat "$1"} --timeout 600000 "$2" >/dev/null 2>&1
  awk '{print $1 + $2}' "$scratch/cpu"
}
printf '%-17s %10s %10s %12s %6s  %s\n' query "warm ms" "cold ms" "CPU ms/run" rows "first rows"
for name in $names; do
  out=$("$kg" --db "$db" query --format json --repeat "$((runs + 1))" --timeout 600000 \
        "${Q[$name]}" 2>"$scratch/err") || { cat "$scratch/err"; exit 1; }
  one=$(cpu_of "" "${Q[$name]}")
  many=$(cpu_of "$cpu_runs" "${Q[$name]}")
  cpu=$(awk -v a="$one" -v b="$many" -v n="$cpu_runs" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')
  timing=$(grep '^timing:' "$scratch/err")
  cold=$(echo "$timing" | sed -n 's/.*cold \([0-9.]*\) ms.*/\1/p')
  warm=$(echo "$timing" | sed -n 's/.*warm median \([0-9.]*\) ms.*/\1/p')
  rows=$(printf '%s\n' "$out" | grep -c . || true)
  first=$(printf "%s\n" "$out" | sed -n 1,2p | tr "\n" " ")
  printf '%-17s %10s %10s %12s %6s  %s\n' "$name" "$warm" "$cold" "$cpu" "$rows" "${first:0:120}"
done
