#!/usr/bin/env bash
# kg export / kg load: the jsonl export loads back into a fresh store with the same digest
# (nodes, edges, evidence, documents, properties); `kg extract --format json` loaded with
# `kg load` gives the store `kg ingest` gives; every other format is well formed and holds the
# same counts; bad input is reported with file:line.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"
src="$KG_SOURCE_DIR/examples/articles"
fixtures="$KG_SOURCE_DIR/tests/fixtures/dumps"

"$KG" --db ingested.db ingest "$src" "$fixtures/articles.jsonl" >/dev/null 2>&1 ||
  fail "ingest failed"
"$KG_INSPECT" --db ingested.db digest --evidence --properties >ingested.digest
[ "$(grep -c '^edge' ingested.digest)" -gt 10 ] || fail "too few edges to test: $(wc -l <ingested.digest)"

# Map + merge: extract JSON (with the text), then load, equals ingest.
"$KG" extract --format json "$src" "$fixtures/articles.jsonl" >extracted.jsonl 2>/dev/null
"$KG" --db loaded.db load extracted.jsonl 2>load.err || fail "load: $(cat load.err)"
"$KG_INSPECT" --db loaded.db digest --evidence --properties >loaded.digest
cmp -s ingested.digest loaded.digest ||
  fail "extract+load differs from ingest: $(diff ingested.digest loaded.digest | head -5)"
# Loading again adds nothing (content hashes already stored); gzip and stdin work.
gzip -k extracted.jsonl
"$KG" --db loaded.db load extracted.jsonl.gz 2>again.err
grep -q "loaded 0 documents ($(wc -l <extracted.jsonl) already stored" again.err ||
  fail "reload not skipped: $(cat again.err)"
"$KG" --db stdin.db load - <extracted.jsonl 2>/dev/null
"$KG_INSPECT" --db stdin.db digest --evidence --properties | cmp -s - ingested.digest ||
  fail "load from standard input differs"

# Lossless export: jsonl -> load into an empty store -> same digest.
"$KG" --db ingested.db export --format jsonl --out dump.jsonl 2>/dev/null
"$KG" --db restored.db load dump.jsonl 2>/dev/null || fail "dump load failed"
"$KG_INSPECT" --db restored.db digest --evidence --properties >restored.digest
cmp -s ingested.digest restored.digest ||
  fail "export+load differs: $(diff ingested.digest restored.digest | head -5)"
# kg-inspect dump is the same format.
"$KG_INSPECT" --db ingested.db dump >inspect.jsonl
"$KG" --db restored2.db load inspect.jsonl 2>/dev/null
"$KG_INSPECT" --db restored2.db digest --evidence --properties | cmp -s - ingested.digest ||
  fail "kg-inspect dump does not load back"

# Every other format: well formed, same node and edge counts.
nodes=$(grep -c '^node' ingested.digest)
edges=$(grep -c '^edge' ingested.digest)
for f in graphml dot ntriples turtle; do
  "$KG" --db ingested.db export -q --format $f --out out.$f || fail "export $f"
done
"$KG" --db ingested.db export -q --format kuzu-csv --out kuzu || fail "export kuzu-csv"
"$KG" --db ingested.db export -q --format neo4j-csv --out neo4j || fail "export neo4j-csv"
python3 - "$nodes" "$edges" <<'PY' || fail "format check"
import csv, glob, sys, xml.etree.ElementTree as ET
nodes, edges = int(sys.argv[1]), int(sys.argv[2])
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
root = ET.parse("out.graphml").getroot()
assert len(root.findall(".//g:node", ns)) == nodes, "graphml nodes"
assert len(root.findall(".//g:edge", ns)) == edges, "graphml edges"
keys = {k.get("attr.name") for k in root.findall("g:key", ns)}
assert {"name", "labels", "type", "evidence_count"} <= keys, keys
dot = open("out.dot", encoding="utf-8").read()
assert dot.startswith("digraph G {") and dot.count("->") == edges, "dot"
rows = list(csv.reader(open("neo4j/nodes.csv", encoding="utf-8")))
assert rows[0] == ["kg_id:ID", ":LABEL", "name", "aliases:string[]", "properties"], rows[0]
assert len(rows) == nodes + 1, "neo4j nodes"
rels = list(csv.reader(open("neo4j/relationships.csv", encoding="utf-8")))
assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and "evidence_count:long" in rels[0]
assert len(rels) == edges + 1, "neo4j relationships"
assert len(list(csv.reader(open("kuzu/nodes.csv", encoding="utf-8")))) == nodes + 1
assert sum(len(list(csv.reader(open(f, encoding="utf-8")))) - 1
           for f in glob.glob("kuzu/rel_*.csv")) == edges, "kuzu rels"
schema = open("kuzu/schema.cypher", encoding="utf-8").read()
assert "CREATE NODE TABLE Entity" in schema and "COPY Entity FROM 'nodes.csv'" in schema
nt = open("out.ntriples", encoding="utf-8").read().splitlines()
assert all(l.endswith(" .") and l.startswith("<") for l in nt), "ntriples line shape"
assert sum(" <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> " in l for l in nt) == edges
PY

# NetworkX, when installed, reads the GraphML with the same counts and attributes.
if python3 -c "import networkx" 2>/dev/null; then
  python3 - "$nodes" "$edges" <<'PY' || fail "networkx cannot read the graphml"
import sys, networkx as nx
g = nx.read_graphml("out.graphml")
assert g.is_directed() and g.number_of_nodes() == int(sys.argv[1]), g.number_of_nodes()
assert g.number_of_edges() == int(sys.argv[2]), g.number_of_edges()
assert any(d.get("name") == "G-7" and d.get("labels") == "Group" for _, d in g.nodes(data=True))
assert all(isinstance(d["evidence_count"], int) and d["type"] for _, _, d in g.edges(data=True))
PY
fi

# Filters: the G-7 neighbourhood, one label, one edge type.
"$KG" --db ingested.db export -q --format jsonl --around G-7 --hops 1 >around.jsonl
grep -q '"name":"G-7"' around.jsonl || fail "--around lost its centre"
"$KG" --db ingested.db export -q --format jsonl --edge-type MEMBER_OF >member.jsonl
python3 - <<'PY' || fail "filters"
import json
recs = [json.loads(l) for l in open("member.jsonl")]
edges = [r for r in recs if r["kind"] == "edge"]
assert edges and all(e["type"] == "MEMBER_OF" for e in edges), "edge-type filter"
ids = {r["id"] for r in recs if r["kind"] == "node"}
assert all(e["source"] in ids and e["target"] in ids for e in edges)
recs = [json.loads(l) for l in open("around.jsonl")]
ids = {r["id"] for r in recs if r["kind"] == "node"}
assert all(r["source"] in ids and r["target"] in ids for r in recs if r["kind"] == "edge")
PY
"$KG" --db ingested.db export -q --format jsonl --label Country >country.jsonl
! grep '"kind":"node"' country.jsonl | grep -v '"Country"' >/dev/null || fail "--label filter"
"$KG" --db ingested.db export -q --format jsonl --around "Nobody Here" 2>err.txt && fail "unknown --around"
grep -q "no node named 'Nobody Here'" err.txt || fail "around message: $(cat err.txt)"

# Errors name the file and line.
head -2 extracted.jsonl >bad.jsonl
echo '{"doc": {"id": "x"}}' >>bad.jsonl
echo 'not json' >>bad.jsonl
"$KG" --db bad.db load bad.jsonl 2>bad.err || fail "bad lines must be skipped, not fatal"
grep -q "bad.jsonl:3: doc.title is missing" bad.err || fail "message: $(cat bad.err)"
grep -q "bad.jsonl:4: malformed JSON" bad.err || fail "message: $(cat bad.err)"
"$KG" --db bad2.db load --strict bad.jsonl 2>strict.err && fail "--strict accepted a bad line"
grep -q "bad.jsonl:3:" strict.err || fail "strict message: $(cat strict.err)"
"$KG" --db restored.db load dump.jsonl 2>nonempty.err && fail "dump loaded into a non-empty store"
grep -q "only into an empty store" nonempty.err || fail "message: $(cat nonempty.err)"
"$KG" --db ingested.db export --format kuzu-csv 2>nodir.err && fail "kuzu-csv without --out"
grep -q "give --out DIR" nodir.err || fail "message: $(cat nodir.err)"
"$KG" --db x.db load missing.jsonl 2>missing.err && fail "missing file accepted"
grep -q "missing.jsonl: cannot open" missing.err || fail "message: $(cat missing.err)"
echo "export roundtrip ok"
