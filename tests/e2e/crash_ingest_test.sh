#!/usr/bin/env bash
# Crash and recovery in CI: scripts/crash-test.sh with 20 SIGKILLs of `kg ingest` over the BBC
# corpus (all 2,225 articles) while `kg serve` answers queries from the store. Skips (77) when
# ../shared/data is absent. `scripts/crash-test.sh --long` runs 300 kills.
set -euo pipefail
exec bash "$KG_SOURCE_DIR/scripts/crash-test.sh" --kills 20
