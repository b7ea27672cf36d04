#!/usr/bin/env bash
# kg query end to end: CREATE into a new store, read back as JSON Lines, CSV and table, with
# parameters, EXPLAIN/PROFILE, and a syntax error reported with line:column and a caret.
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

set +e
"$KG" query --db "$tmp/missing.db" "MATCH (n) RETURN n" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "missing store: expected exit 1, got $rc"; exit 1; }
echo "query cli ok"
