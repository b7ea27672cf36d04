#!/usr/bin/env bash
# kg import, kg stats and kg-inspect stats/verify/show/doc/dump on small CSV fixtures.
set -euo pipefail
fixtures="$KG_SOURCE_DIR/tests/fixtures/store"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/kg.db"
fail() { echo "FAIL: $*"; exit 1; }

"$KG" --db "$db" import --nodes "$fixtures/nodes.csv" --edges "$fixtures/edges.csv" >"$tmp/import.out"
grep -q "imported 7 node rows" "$tmp/import.out" || fail "import summary: $(cat "$tmp/import.out")"

# Two OPPOSES rows for the same (src, type, dst) are one edge with two evidence records.
"$KG_INSPECT" --db "$db" stats --format json >"$tmp/stats.json"
[ "$(wc -l <"$tmp/stats.json")" -eq 1 ] || fail "stats --format json is not one line"
python3 - "$tmp/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert set(s) == {"nodes", "edges", "documents", "evidence", "labels", "types", "bytes"}, s
assert s["nodes"] == 7, s
assert s["edges"] == 7, s
assert s["evidence"] == 8, s
assert s["types"]["OPPOSES"] == 1 and s["types"]["MEMBER_OF"] == 2, s
assert s["labels"]["Country"] == 3, s
PY
"$KG" --db "$db" stats | grep -q "edges *7" || fail "kg stats text"
"$KG" --db "$db" stats --format json | python3 -c 'import json,sys; assert json.load(sys.stdin)["nodes"] == 7'

"$KG_INSPECT" --db "$db" verify >"$tmp/verify.out" || fail "verify: $(cat "$tmp/verify.out")"
grep -q "^ok$" "$tmp/verify.out" || fail "verify did not say ok"

# Names resolve case-insensitively; quoted CSV fields keep their commas and quotes.
"$KG_INSPECT" --db "$db" show "united states" >"$tmp/show.out"
grep -q "United States :Country" "$tmp/show.out" || fail "show header: $(cat "$tmp/show.out")"
grep -q "OPPOSES (1)" "$tmp/show.out" || fail "show groups by type"
grep -q "2 evidence" "$tmp/show.out" || fail "show evidence count"
grep -q "doc-00000003" "$tmp/show.out" || fail "show evidence doc ids"
"$KG_INSPECT" --db "$db" show 'Acme, Inc.' | grep -q "LOCATED_IN" || fail "quoted name"
"$KG_INSPECT" --db "$db" show 'The "Quoted" Party' | grep -q "SUPPORTS" || fail "doubled quote"
set +e
"$KG_INSPECT" --db "$db" show "Nobody" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "show of an unknown entity: exit $rc"
grep -q "no entity" "$tmp/err" || fail "show error message"

# dump: JSON Lines with every record.
"$KG_INSPECT" --db "$db" dump >"$tmp/dump.jsonl"
python3 - "$tmp/dump.jsonl" <<'PY'
import json, sys, collections
kinds = collections.Counter(json.loads(line)["kind"] for line in open(sys.argv[1]))
assert kinds == {"node": 7, "edge": 7, "evidence": 8}, kinds
PY

# Errors name file:line; a failed import of a fresh store keeps the rows before the bad batch
# only when committed, and never crashes.
set +e
"$KG" --db "$tmp/bad.db" import --nodes "$fixtures/nodes.csv" --edges "$fixtures/bad_edges.csv" \
  >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad edges: exit $rc"
grep -q "bad_edges.csv:4: unknown node id 99" "$tmp/err" || fail "bad edges message: $(cat "$tmp/err")"

# Not a store; missing store.
mkdir "$tmp/notastore" && echo x >"$tmp/notastore/file"
set +e
"$KG_INSPECT" --db "$tmp/notastore" stats >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "is not a kg store" "$tmp/err" || fail "not a store: $rc $(cat "$tmp/err")"
set +e
"$KG_INSPECT" --db "$tmp/missing" verify >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "does not exist" "$tmp/err" || fail "missing store: $rc $(cat "$tmp/err")"
[ ! -e "$tmp/missing" ] || fail "a read-only command created the store"

# kg-inspect works while a writer holds the store (secondary instance).
"$KG_INSPECT" --db "$db" stats >/dev/null
echo "store cli ok"
