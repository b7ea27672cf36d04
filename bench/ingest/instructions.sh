#!/usr/bin/env bash
# Ingest cost in instructions (valgrind callgrind), which unlike CPU seconds does not depend on
# what else the machine is running: a before/after comparison on a shared 2-core machine.
# Prints the total and the inclusive instructions of the main parts (extractor, NER tagger,
# store writer, RocksDB memtable inserts).
#
#   bench/ingest/instructions.sh KG_BINARY [JSONL_DUMP] [ARTICLES]
#   bench/ingest/instructions.sh build/tools/kg ../shared/data/news/bbc.jsonl 300
#
# ARTICLES (default: all) takes the first N lines of the dump. Runs kg ingest --workers 1 into a
# temporary store; callgrind is ~15x slower than a normal run (the whole BBC dump: ~8 minutes).
# Needs valgrind (Debian package "valgrind").
set -euo pipefail
kg=${1:?usage: instructions.sh KG_BINARY [JSONL_DUMP] [ARTICLES]}
dump=${2:-$(dirname "$0")/../../../shared/data/news/bbc.jsonl}
articles=${3:-0}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 1; }
[ -f "$dump" ] || { echo "no dump at $dump"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$articles" != 0 ]; then
  head -n "$articles" "$dump" >"$tmp/dump.jsonl"
  dump="$tmp/dump.jsonl"
fi
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
  "$kg" --db "$tmp/db" ingest --quiet --workers 1 "$dump" >/dev/null 2>"$tmp/valgrind.log"
total=$(grep -E "Collected :" "$tmp/valgrind.log" | sed 's/.*Collected : //')
echo "total instructions: $total"
callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null |
  grep -E "NewsExtractor::Extract\(|NerTagger::TagDocument\(|StoreImpl::WriteExtraction\(|StoreImpl::Commit\(|MemTable::Add\(|GraphBatch::Impl::UpsertEntity\(|GraphBatch::Impl::FindByName\(|NewNewsExtractor\(" |
  sed -E 's/\(anonymous namespace\)/(anon)/g; s/^ *([0-9,]+) \( *([0-9.]+)%\) +\?\?\?:([^(]*(\(anon\)[^(]*)?)\(.*/  \3: \1 (\2 %)/'
