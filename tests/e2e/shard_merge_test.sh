#!/usr/bin/env bash
# Map and merge (docs/SCALING.md): the BBC corpus (2,225 articles, all of it) is split into 4
# contiguous shards, each shard is extracted by its own `kg extract --format json` process (all
# four in parallel, no store), and `kg load` merges the four outputs, in shard order, into one
# store. Its digest (with evidence and properties) must be byte-identical to that of one
# `kg ingest` of the whole corpus. Skipped (77) when ../shared/data/news/bbc.jsonl is absent.
#
# The shards are merged in their order, as `kg ingest` reads them: entity resolution is
# first-come (canonical name, alias attachment, label ties), so another merge order gives another
# graph (docs/SCALING.md, "Merge order").
set -euo pipefail
corpus="${KG_SHARED_DIR:-$KG_SOURCE_DIR/../shared}/data/news/bbc.jsonl"
[ -f "$corpus" ] || { echo "SKIPPED: $corpus is absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"

# Under the sanitizers (KG_SANITIZED, scripts/sanitize-env.sh) the first 600 articles: the same
# checks on what the ~5x slower binaries get through in the test's time.
if [ -n "${KG_SANITIZED:-}" ]; then
  head -n 600 "$corpus" >corpus.jsonl
  corpus=$tmp/corpus.jsonl
fi
split -n l/4 -d --additional-suffix=.jsonl "$corpus" shard
[ "$(cat shard0*.jsonl | wc -l)" -eq "$(wc -l <"$corpus")" ] || fail "split lost lines"

pids=()
for i in 0 1 2 3; do
  "$KG" extract --format json --workers 1 --quiet "shard0$i.jsonl" >"map$i.jsonl" 2>"map$i.err" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail "an extract process failed: $(cat map*.err)"; done
[ ! -e kg.db ] || fail "kg extract created a store"
for i in 0 1 2 3; do
  [ "$(wc -l <"map$i.jsonl")" -eq "$(wc -l <"shard0$i.jsonl")" ] || fail "shard $i: not one line per article"
done

"$KG" --db merged.db load map0.jsonl map1.jsonl map2.jsonl map3.jsonl 2>load.err ||
  fail "load: $(cat load.err)"
"$KG" --db whole.db ingest "$corpus" >/dev/null 2>&1 || fail "ingest of the whole corpus failed"

"$KG_INSPECT" --db whole.db digest --evidence --properties >whole.digest
"$KG_INSPECT" --db merged.db digest --evidence --properties >merged.digest
[ "$(grep -c '^edge' whole.digest)" -gt 1000 ] || fail "suspiciously few edges: $(grep -c '^edge' whole.digest)"
cmp -s whole.digest merged.digest ||
  fail "4-shard extract + load differs from one ingest: $(diff whole.digest merged.digest | head -6)"
# The GNU parallel recipe of docs/SCALING.md (local cores instead of ssh hosts), when installed:
# blocks piped through kg extract processes, outputs kept in order and piped into kg load.
if command -v parallel >/dev/null; then
  parallel --will-cite --pipepart -a "$corpus" --block 1M --keep-order \
    "$KG extract --format json --workers 1 --quiet -" | "$KG" --db piped.db load -q - ||
    fail "parallel | kg load failed"
  "$KG_INSPECT" --db piped.db digest --evidence --properties | cmp -s - whole.digest ||
    fail "parallel --pipepart | kg load - differs from one ingest"
  echo "GNU parallel pipeline: same digest"
fi
echo "shard merge ok: $(grep -c '^document' whole.digest) documents, $(grep -c '^node' whole.digest) nodes," \
  "$(grep -c '^edge' whole.digest) edges identical; $(sed -n 's/^kg: //p' load.err)"
