#!/usr/bin/env bash
# kg ingest killed with SIGKILL at random moments, then run again to completion, stores exactly
# what one uninterrupted run stores (compared with kg-inspect dump modulo ids and times).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A dump of 1500 generated articles (deterministic), long enough that a run takes a while; 500
# with the sanitizers (scripts/sanitize-env.sh sets KG_SANITIZED), which make a run ~5x slower.
articles=1500
[ -z "${KG_SANITIZED:-}" ] || articles=500
export articles
python3 - "$tmp/dump.jsonl" <<'PY'
import json, os, random, sys
rng = random.Random(7)
people = ["Shinzo Abe", "Vladimir Putin", "Angela Merkel", "Barack Obama", "Theresa May",
          "Justin Trudeau", "Matteo Renzi", "Francois Hollande", "Xi Jinping", "Park Geun-hye"]
countries = ["Japan", "Russia", "Germany", "the United States", "Britain", "Canada", "Italy",
             "France", "China", "South Korea"]
cities = ["Tokyo", "Moscow", "Berlin", "Washington", "London", "Ottawa", "Rome", "Paris",
          "Beijing", "Seoul"]
with open(sys.argv[1], "w") as out:
    for i in range(int(os.environ["articles"])):
        sentences = []
        for _ in range(12):
            a, b = rng.sample(range(10), 2)
            sentences.append(rng.choice([
                f"{people[a]} met {people[b]} in {cities[a]} on Thursday.",
                f"President {people[a]} of {countries[a]} criticised {countries[b]}.",
                f"{countries[a]} opposes the plan, officials in {cities[b]} said.",
                f"The G-7 groups Britain, Canada, France, Germany, Italy, Japan and the United States.",
            ]))
        text = f"Report number {i}. " + " ".join(sentences)
        out.write(json.dumps({"id": f"gen-{i}", "title": f"Article {i}",
                              "date": f"2016-12-{1 + i % 28:02d}", "text": text}) + "\n")
PY

normalize() {
  python3 -c '
import json, sys
nodes, out = {}, []
rows = [json.loads(l) for l in sys.stdin]
docs = {r["id"]: r["external_id"] for r in rows if r["kind"] == "document"}
for r in rows:
    if r["kind"] == "node":
        nodes[r["id"]] = (r["properties"].get("name"), tuple(r["labels"]))
edges = {}
for r in rows:
    if r["kind"] == "edge":
        edges[r["id"]] = (nodes[r["source"]], r["type"], nodes[r["target"]])
for r in rows:
    k = r["kind"]
    if k == "node":
        out.append(["node", nodes[r["id"]], r["properties"]])
    elif k == "edge":
        out.append(["edge", edges[r["id"]], r["properties"], r["evidence_count"]])
    elif k == "evidence":
        on = ("node", nodes[r["node"]]) if "node" in r else ("edge", edges[r["edge"]])
        out.append(["evidence", on, docs.get(r["doc"]), r["sentence"], r["start"], r["end"],
                    r["rule"], r["confidence"], r["properties"]])
    elif k == "document":
        out.append(["document", r["external_id"], r["content_hash"], r["title"], r["date"]])
for line in sorted(json.dumps(o, sort_keys=True) for o in out):
    print(line)
'
}

# The reference: one uninterrupted run.
"$KG" --db "$tmp/ref.db" ingest --quiet --summary json "$tmp/dump.jsonl" >"$tmp/ref.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["ingested"] == int(sys.argv[2]), s' \
  "$tmp/ref.json" "$articles" || fail "reference run: $(cat "$tmp/ref.json")"

# Interrupted runs: SIGKILL after a random delay, several times.
killed=0
for round in 1 2 3 4 5 6; do
  "$KG" --db "$tmp/run.db" ingest --quiet --workers 2 "$tmp/dump.jsonl" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true
done
echo "killed $killed of 6 runs"
# The test proves nothing unless some run was killed before it finished.
if [ "$killed" -eq 0 ]; then echo "SKIPPED: every run finished before its kill"; exit 77; fi

"$KG" --db "$tmp/run.db" ingest --quiet --summary json "$tmp/dump.jsonl" >"$tmp/final.json"
python3 - "$tmp/final.json" <<'PY' || fail "final run: $(cat "$tmp/final.json")"
import json, os, sys
s = json.load(open(sys.argv[1]))
assert s["ingested"] + s["skipped_present"] == int(os.environ["articles"]), s
assert s["bad"] == 0 and s["skipped_duplicate"] == 0, s
print(f"final run: {s['ingested']} ingested, {s['skipped_present']} already stored")
PY

"$KG_INSPECT" --db "$tmp/ref.db" dump --no-text | normalize >"$tmp/ref.norm"
"$KG_INSPECT" --db "$tmp/run.db" dump --no-text | normalize >"$tmp/run.norm"
[ -s "$tmp/ref.norm" ] || fail "empty reference dump"
diff -q "$tmp/ref.norm" "$tmp/run.norm" >/dev/null ||
  fail "interrupted+resumed store differs from the reference: $(diff "$tmp/ref.norm" "$tmp/run.norm" | head -5)"

# A third run adds nothing.
"$KG" --db "$tmp/run.db" ingest --quiet --summary json "$tmp/dump.jsonl" >"$tmp/again.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["ingested"] == 0 and s["skipped_present"] == int(sys.argv[2]), s' \
  "$tmp/again.json" "$articles" || fail "rerun was not idempotent: $(cat "$tmp/again.json")"
echo "ingest resume ok"
