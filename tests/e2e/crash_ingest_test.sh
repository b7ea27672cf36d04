#!/usr/bin/env bash
# Crash and recovery in CI: scripts/crash-test.sh with 20 SIGKILLs of `kg ingest` over the BBC
# corpus (all 2,225 articles) while `kg serve` answers queries from the store. Skips (77) when
# ../shared/data is absent. `scripts/crash-test.sh --long` runs 300 kills.
# Under the sanitizers (KG_SANITIZED, set by scripts/sanitize-env.sh) the first 400 articles:
# the same kills and checks, on a dump the ~5x slower binaries ingest within the test's time.
set -euo pipefail
args=(--kills 20)
bbc="${KG_SHARED_DIR:-}/data/news/bbc.jsonl"
if [ -n "${KG_SANITIZED:-}" ] && [ -f "$bbc" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  head -n 400 "$bbc" >"$tmp/bbc-400.jsonl"
  args+=(--dump "$tmp/bbc-400.jsonl")
fi
bash "$KG_SOURCE_DIR/scripts/crash-test.sh" "${args[@]}"
