#!/usr/bin/env bash
# kg eval re on CoNLL04 dev: the shipped models must keep their scores (floors just under what
# docs/BENCHMARKS.md records), the JSON must carry every field, and bad input must fail cleanly.
set -euo pipefail
DEV="$KG_SHARED_DIR/data/conll04/conll04_dev.json"
if [ ! -f "$DEV" ]; then
  echo "SKIPPED: $DEV is absent (../shared/data is only beside CI's clone)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$KG" eval re "$DEV" --format json --predictions "$tmp/pred.json" > "$tmp/out.json"
"$KG" eval re "$DEV" --gold-entities --format json > "$tmp/gold.json"
"$KG" eval re "$DEV" --k-best 1 --format json > "$tmp/pipeline.json"
python3 - "$tmp/out.json" "$tmp/gold.json" "$tmp/pipeline.json" "$tmp/pred.json" "$DEV" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
gold = json.load(open(sys.argv[2]))
pipeline = json.load(open(sys.argv[3]))
pred, dev = json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
# The predictions file holds what was scored: one sentence per dev sentence, same tokens, as
# many entities and relations as the scores count.
assert len(pred) == len(dev) and all(p["tokens"] == d["tokens"] for p, d in zip(pred, dev))
assert sum(len(p["entities"]) for p in pred) == out["entities"]["overall"]["predicted"]
assert sum(len(p["relations"]) for p in pred) == out["relations"]["overall"]["predicted"]
for p in pred:
    for r in p["relations"]:
        assert r["head"] < len(p["entities"]) and r["tail"] < len(p["entities"]), p
for part in ("entities", "relations"):
    for key in ("precision", "recall", "f1"):
        assert key in out[part]["overall"], (part, key)
assert set(out["relations"]["types"]) == {"Work_For", "Kill", "OrgBased_In", "Live_In",
                                          "Located_In"}, out["relations"]["types"].keys()
assert out["relations"]["overall"]["gold"] == 343, out["relations"]["overall"]
e2e, rel = out["relations"]["overall"]["f1"], gold["relations"]["overall"]["f1"]
ent = out["entities"]["overall"]["f1"]
print(f"dev: entities F1 {ent:.2f}, relations F1 {e2e:.2f} (gold entities {rel:.2f})")
line = pipeline["relations"]["overall"]["f1"]
print(f"dev: relations F1 {line:.2f} with the best tagging only (--k-best 1)")
assert ent >= 82.5 and e2e >= 65.0 and rel >= 78.0 and line >= 61.5, "below the recorded floors"
PY
"$KG" eval re "$DEV" | grep -q "^overall"

printf '[{"tokens": ["a"],\n "entities": [}]' > "$tmp/bad.json"
set +e
"$KG" eval re "$tmp/bad.json" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "bad file: expected exit 1, got $rc"; exit 1; }
grep -q "bad.json:2:" "$tmp/err" || { echo "no line:column: $(cat "$tmp/err")"; exit 1; }
echo "eval re ok"
