#!/usr/bin/env bash
# The Kùzu CSV export loads into Kùzu and the N-Triples export (and the Turtle one, same triples)
# into Oxigraph, and the same three questions get the same rows there as in kg: the G-7 members,
# nodes per label, edges and evidence per edge type. The engines come from npm
# (scripts/install-interop.sh -> tests/interop/node_modules); skipped (77) only when npm cannot
# install them.
set -euo pipefail
interop="$KG_SOURCE_DIR/tests/interop"
command -v node >/dev/null || { echo "SKIPPED: node is not installed"; exit 77; }
if ! bash "$KG_SOURCE_DIR/scripts/install-interop.sh" >/dev/null 2>&1; then
  echo "SKIPPED: npm could not install kuzu and oxigraph (scripts/install-interop.sh)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"
base="https://kg.example.org/"

"$KG" --db g.db ingest "$KG_SOURCE_DIR/examples/articles" >/dev/null 2>&1 || fail "ingest"
"$KG" --db g.db export -q --format kuzu-csv --out kuzu
"$KG" --db g.db export -q --format ntriples --base-iri "$base" --out g.nt
"$KG" --db g.db export -q --format turtle --base-iri "$base" --out g.ttl

# kg's own answers, in query_peers.js's line format.
q() { "$KG" --db g.db query --format csv "$1" | tail -n +2; }
{
  q "MATCH (m)-[:MEMBER_OF]->(g) WHERE g.name = 'G-7' RETURN DISTINCT m.name AS n" |
    sed 's/^"\(.*\)"$/\1/; s/^/member\t/'
  q "MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c" | tr ',' '\t' | sed 's/^/label\t/'
  q "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c, sum(size(evidence(r))) AS e" |
    tr ',' '\t' | sed 's/^/type\t/'
} | LC_ALL=C sort >kg.txt
grep -q "^member	Canada$" kg.txt || fail "kg does not know the G-7 members: $(head -3 kg.txt)"

NODE_PATH="$interop/node_modules" node "$interop/query_peers.js" kuzu kuzu kuzu.db \
  2>kuzu.err | LC_ALL=C sort >kuzu.txt || true
[ -s kuzu.txt ] || fail "kuzu: $(cat kuzu.err)"
NODE_PATH="$interop/node_modules" node "$interop/query_peers.js" oxigraph g.nt "$base" g.ttl \
  2>oxigraph.err | LC_ALL=C sort >oxigraph.txt || true
[ -s oxigraph.txt ] || fail "oxigraph: $(cat oxigraph.err)"
cmp -s kg.txt kuzu.txt || fail "Kùzu answers differ: $(diff kg.txt kuzu.txt | head -6)"
cmp -s kg.txt oxigraph.txt || fail "Oxigraph answers differ: $(diff kg.txt oxigraph.txt | head -6)"
echo "export interop ok: $(grep -c ^member kg.txt) G-7 members, $(wc -l <kg.txt) rows equal in kg, Kùzu and Oxigraph"
