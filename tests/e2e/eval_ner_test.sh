#!/usr/bin/env bash
# kg eval ner on CoNLL-2003 dev: the shipped model must keep its F1 (floor just under what
# docs/BENCHMARKS.md records), the JSON must carry every field, and bad input must fail cleanly.
set -euo pipefail
DEV="$KG_SHARED_DIR/data/conll2003/valid.txt"
if [ ! -f "$DEV" ]; then
  echo "SKIPPED: $DEV is absent (../shared/data is only beside CI's clone)"
  exit 77
fi
FLOOR=91.5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$KG" eval ner "$DEV" --format json > "$tmp/out.json"
python3 - "$tmp/out.json" "$FLOOR" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
floor = float(sys.argv[2])
for key in ("overall", "types", "tokens", "tokens_per_second"):
    assert key in out, f"missing {key}"
assert set(out["types"]) == {"PER", "ORG", "LOC", "MISC"}, out["types"].keys()
assert out["tokens"] == 51362, out["tokens"]
f1 = out["overall"]["f1"]
print(f"dev F1 {f1:.2f} (floor {floor}), {out['tokens_per_second']:.0f} tokens/s")
assert f1 >= floor, f"F1 {f1:.2f} below the floor {floor}"
PY

"$KG" eval ner "$DEV" | grep -q "^overall"

# A file that is not CoNLL is refused with file:line and exit 1.
printf 'EU NNP B-NP B-ORG\nrejects VBZ B-VP NOT-A-TAG\n' > "$tmp/bad.txt"
set +e
"$KG" eval ner "$tmp/bad.txt" 2> "$tmp/err"; rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 on a bad file, got $rc"; exit 1; }
grep -q "bad.txt:2" "$tmp/err" || { echo "error does not name bad.txt:2:"; cat "$tmp/err"; exit 1; }

# A damaged model is refused.
head -c 1000 "$KG_SOURCE_DIR/models/ner.model" > "$tmp/cut.model"
set +e
"$KG" eval ner "$DEV" --model "$tmp/cut.model" 2> "$tmp/err"; rc=$?
set -e
[ "$rc" -ne 0 ] || { echo "a truncated model was accepted"; exit 1; }
grep -q "cut.model" "$tmp/err" || { echo "error does not name the model:"; cat "$tmp/err"; exit 1; }
echo "eval ner ok"
