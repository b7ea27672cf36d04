#!/usr/bin/env bash
# kg query end to end: CREATE into a new store, read back as JSON Lines, CSV and table, with
# parameters, EXPLAIN/PROFILE, a syntax error reported with line:column and a caret, and
# DELETE/SET/REMOVE and MERGE leaving a consistent store.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/kg.db"
"$KG" query --db "$db" "CREATE (a:Person {name: 'Alice', age: 30})-[:KNOWS]->(b:Person {name: 'Bob'}),
  (b)-[:MEMBER_OF]->(:Organization {name: 'Acme'})" 2>"$tmp/create.err"
grep -q "created 3 nodes, 2 relationships" "$tmp/create.err"

out=$("$KG" query --db "$db" "MATCH (p:Person) RETURN p.name AS name, p.age AS age ORDER BY name")
expected='{"name":"Alice","age":30}
{"name":"Bob","age":null}'
[ "$out" = "$expected" ] || { echo "json lines: got: $out"; exit 1; }

out=$("$KG" query --db "$db" --format csv --param who=Alice \
  'MATCH (a:Person {name: $who})-[:KNOWS]->(b)-[:MEMBER_OF]->(o) RETURN b.name, o.name')
[ "$out" = "$(printf 'b.name,o.name\nBob,Acme')" ] || { echo "csv: got: $out"; exit 1; }

out=$("$KG" query --db "$db" --format table "MATCH (n) RETURN count(*) AS n")
echo "$out" | grep -q "| 3 |" || { echo "table: got: $out"; exit 1; }

# Relationships created by CREATE carry "manual" evidence.
out=$("$KG" query --db "$db" "MATCH ()-[r:KNOWS]->() RETURN evidence(r)[0].rule AS rule")
[ "$out" = '{"rule":"manual"}' ] || { echo "evidence: got: $out"; exit 1; }

out=$("$KG" query --db "$db" "EXPLAIN MATCH (p:Person {name: 'Alice'})-->(x) RETURN x")
echo "$out" | grep -q "name/alias index" || { echo "explain: got: $out"; exit 1; }

"$KG" query --db "$db" "PROFILE MATCH (p:Person) RETURN p.name" >/dev/null 2>"$tmp/profile.err"
grep -q "rows=2" "$tmp/profile.err" || { echo "profile: $(cat "$tmp/profile.err")"; exit 1; }

set +e
"$KG" query --db "$db" "MATCH (n:Person)
RETURN n.name AS" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "syntax error: expected exit 1, got $rc"; exit 1; }
head -1 "$tmp/err" | grep -q "^kg: SyntaxError at 2:17: " || { echo "got: $(cat "$tmp/err")"; exit 1; }
grep -qx "  RETURN n.name AS" "$tmp/err"
grep -qx "                  ^" "$tmp/err"

# Curation: DELETE a wrong edge, fix a label and a name with SET/REMOVE, DETACH DELETE a node;
# the store stays consistent (kg-inspect verify) and later queries see the changes.
"$KG" query --db "$db" "MATCH (:Person {name: 'Alice'})-[r:KNOWS]->(:Person {name: 'Bob'})
  DELETE r" 2>"$tmp/delete.err"
grep -q "deleted 0 nodes, 1 relationships" "$tmp/delete.err" || { cat "$tmp/delete.err"; exit 1; }
"$KG" query --db "$db" "MATCH (n {name: 'Bob'}) SET n:Employee REMOVE n:Person
  SET n.name = 'Robert'" 2>"$tmp/set.err"
grep -q "set 1 properties, added 1 labels, removed 1 labels" "$tmp/set.err" ||
  { cat "$tmp/set.err"; exit 1; }
set +e
"$KG" query --db "$db" "MATCH (o {name: 'Acme'}) DELETE o" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "connected node: expected exit 1, got $rc"; exit 1; }
grep -q "ConstraintVerificationFailed" "$tmp/err" || { cat "$tmp/err"; exit 1; }
"$KG" query --db "$db" "MATCH (o {name: 'Acme'}) DETACH DELETE o" 2>"$tmp/detach.err"
grep -q "deleted 1 nodes, 1 relationships" "$tmp/detach.err" || { cat "$tmp/detach.err"; exit 1; }
"$KG_INSPECT" --db "$db" verify >"$tmp/verify.out" 2>&1 || { cat "$tmp/verify.out"; exit 1; }
out=$("$KG" query --db "$db" "MATCH (n) RETURN labels(n) AS l, n.name AS name ORDER BY name")
expected='{"l":["Person"],"name":"Alice"}
{"l":["Employee"],"name":"Robert"}'
[ "$out" = "$expected" ] || { echo "after writes: got: $out"; exit 1; }
out=$("$KG" query --db "$db" "MATCH (n {name: 'Bob'}) RETURN n")
[ -z "$out" ] || { echo "old name still found: $out"; exit 1; }
out=$("$KG" query --db "$db" "MATCH ()-[r]->() RETURN count(r) AS n")
[ "$out" = '{"n":0}' ] || { echo "relationships left: $out"; exit 1; }

# MERGE run twice: the first run creates the organization and the edge, the second finds them.
merge="MATCH (a:Person {name: 'Alice'})
  MERGE (a)-[:WORKS_AT]->(o:Organization {name: 'Initech'}) ON CREATE SET o.since = 2024"
"$KG" query --db "$db" "$merge" 2>"$tmp/merge1.err"
grep -q "created 1 nodes, 1 relationships" "$tmp/merge1.err" || { cat "$tmp/merge1.err"; exit 1; }
"$KG" query --db "$db" "$merge" 2>"$tmp/merge2.err"
if grep -q "created\|set " "$tmp/merge2.err"; then cat "$tmp/merge2.err"; exit 1; fi
"$KG_INSPECT" --db "$db" verify >"$tmp/verify.out" 2>&1 || { cat "$tmp/verify.out"; exit 1; }
out=$("$KG" query --db "$db" "MATCH (:Person)-[:WORKS_AT]->(o) RETURN o.name AS o, o.since AS s")
[ "$out" = '{"o":"Initech","s":2024}' ] || { echo "after merge: got: $out"; exit 1; }

set +e
"$KG" query --db "$tmp/missing.db" "MATCH (n) RETURN n" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "missing store: expected exit 1, got $rc"; exit 1; }
echo "query cli ok"
