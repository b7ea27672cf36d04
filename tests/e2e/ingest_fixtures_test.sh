#!/usr/bin/env bash
# kg ingest on the small fixture dumps: bad items reported as file:line and counted, boilerplate
# never extracted from, progress lines when stderr is not a terminal, --strict fatal, stdin.
set -euo pipefail
fixtures="$KG_SOURCE_DIR/tests/fixtures/dumps"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$KG" --db "$tmp/kg.db" ingest --summary json --progress lines \
  "$fixtures/folder" "$fixtures/articles.jsonl" "$fixtures/lines.jsonl.gz" \
  >"$tmp/summary.json" 2>"$tmp/stderr" || fail "ingest failed: $(cat "$tmp/stderr")"
python3 - "$tmp/summary.json" <<'PY' || fail "summary: $(cat "$tmp/summary.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["articles_read"] == 7, s
assert s["ingested"] == 7, s
assert s["bad"] == 3, s
assert s["bad_reasons"] == {"malformed JSON": 1, "expected a JSON object, got array": 1,
                            "no text field": 1}, s
PY
grep -q "articles.jsonl:4:[0-9]*: malformed JSON" "$tmp/stderr" || fail "no file:line for the bad line: $(cat "$tmp/stderr")"
grep -q "kg ingest: .* articles" "$tmp/stderr" || fail "no progress line: $(cat "$tmp/stderr")"

# Boilerplate is not extracted from: no node is named after a site tag.
"$KG_INSPECT" --db "$tmp/kg.db" dump --no-text >"$tmp/dump.jsonl"
if grep -q '"name":"Ambassador"' "$tmp/dump.jsonl"; then fail "a site tag became a node"; fi
grep -q '"kind":"document"' "$tmp/dump.jsonl" || fail "no documents stored"

# Again: everything already stored.
"$KG" --db "$tmp/kg.db" ingest --quiet --summary json "$fixtures/folder" >"$tmp/again.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["skipped_present"] == 2 and s["ingested"] == 0, s' "$tmp/again.json" \
  || fail "second run: $(cat "$tmp/again.json")"

# --strict: the first bad line is fatal, exit 1, and the message names file:line.
set +e
"$KG" --db "$tmp/strict.db" ingest --quiet --strict "$fixtures/articles.jsonl" >/dev/null 2>"$tmp/strict.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "--strict exit code $rc"
grep -q "articles.jsonl:4:" "$tmp/strict.err" || fail "--strict message: $(cat "$tmp/strict.err")"

# Standard input, plain text.
printf 'Stdin article\n\nCanada and Italy signed a treaty in Rome.\n' |
  "$KG" --db "$tmp/stdin.db" ingest --quiet --summary json - >"$tmp/stdin.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["ingested"] == 1, s' "$tmp/stdin.json" \
  || fail "stdin: $(cat "$tmp/stdin.json")"

# A missing dump is a user error.
set +e
"$KG" --db "$tmp/x.db" ingest /no/such/dump 2>"$tmp/missing.err"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "missing dump exit code $rc"
grep -q "/no/such/dump" "$tmp/missing.err" || fail "missing dump message"

# kg-inspect articles: counts without extracting, and --db says what is stored.
"$KG_INSPECT" --db "$tmp/kg.db" articles --json "$fixtures/folder" "$fixtures/articles.jsonl" >"$tmp/inspect.json"
python3 - "$tmp/inspect.json" <<'PY' || fail "inspect: $(cat "$tmp/inspect.json")"
import json, sys
folder, jsonl = json.load(open(sys.argv[1]))
assert folder["articles"] == 2 and folder["in_store"] == 2, folder
assert folder["encodings"] == {"utf-8": 1, "windows-1252": 1}, folder
assert folder["boilerplate_lines"] == 7, folder
assert jsonl["articles"] == 3 and jsonl["problems"] == 3, jsonl
assert any(":4:" in p for p in jsonl["problem_lines"]), jsonl
PY
"$KG_INSPECT" articles --show 2 "$fixtures/folder" >"$tmp/show.txt"
grep -q "Print PRINT" "$tmp/show.txt" || fail "--show does not list stripped boilerplate"
grep -q "sentences (" "$tmp/show.txt" || fail "--show does not print sentences"
echo "ingest fixtures ok"
