#!/usr/bin/env bash
# The main job on the bundled examples: ingest examples/ into ./kg.db and show what it holds.
set -euo pipefail
BUILD_DIR=${1:-build}
KG="$BUILD_DIR/tools/kg"
"$KG" --help
