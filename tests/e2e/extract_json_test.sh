#!/usr/bin/env bash
# kg extract --format json: one object per article in the documented shape, offsets pointing at
# the mention text, the same bytes whatever the number of workers, nothing written.
set -euo pipefail
fixtures="$KG_SOURCE_DIR/tests/fixtures/dumps"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"

"$KG" extract --format json --workers 1 "$fixtures/folder" "$fixtures/articles.jsonl" \
  >one.jsonl 2>one.err || fail "extract failed: $(cat one.err)"
"$KG" extract --format json --workers 3 "$fixtures/folder" "$fixtures/articles.jsonl" \
  >three.jsonl 2>/dev/null
cmp -s one.jsonl three.jsonl || fail "output depends on --workers"
[ ! -e kg.db ] || fail "kg extract created a store"
grep -q "articles.jsonl:4:" one.err || fail "bad line not reported: $(cat one.err)"

python3 - one.jsonl "$fixtures/articles.jsonl" <<'PY' || fail "format"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 5, len(lines)
texts = {}
for raw in open(sys.argv[2], encoding="utf-8"):
    try:
        o = json.loads(raw)
    except ValueError:
        continue
    if isinstance(o, dict) and "id" in o:
        texts[str(o["id"])] = o.get("text") or o.get("content") or o.get("body")
for line in lines:
    a = json.loads(line)
    assert list(a) == ["doc", "entities", "relations"], list(a)
    assert list(a["doc"])[:4] == ["id", "title", "date", "source"], a["doc"]
    for i, e in enumerate(a["entities"]):
        assert e["id"] == i
        assert set(["id", "name", "label", "aliases", "mentions"]) <= set(e), e
    for r in a["relations"]:
        assert 0 <= r["source"] < len(a["entities"]) and 0 <= r["target"] < len(a["entities"])
        for ev in r["evidence"]:
            assert ev["start"] < ev["end"] and 0 <= ev["confidence"] <= 1, ev
    # Offsets are byte offsets into the article text (a JSONL text is kept as given here).
    text = texts.get(a["doc"]["id"])
    if text is not None:
        b = text.encode("utf-8")
        for e in a["entities"]:
            for m in e["mentions"]:
                assert b[m["start"]:m["end"]].decode("utf-8") == m["text"], (m, e["name"])
ids = [json.loads(l)["doc"]["id"] for l in lines]
assert ids == ["folder/sport/002.txt", "folder/world/001.txt", "a1", "a2", "6"], ids
PY

"$KG" extract "$fixtures/seed_like.txt" >text.out
grep -q "^== seed_like.txt  Ministers meet in Ottawa" text.out || fail "text format: $(head -3 text.out)"
echo "extract json ok"
