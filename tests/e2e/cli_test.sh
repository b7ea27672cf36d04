#!/usr/bin/env bash
# The command lines answer --help, and reject an unknown subcommand with exit 1.
set -euo pipefail
"$KG" --help | grep -q "kg: a knowledge graph"
"$KG_INSPECT" --help | grep -q "kg-inspect"
set +e
"$KG" no-such-command >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 for an unknown subcommand, got $rc"; exit 1; }
echo "cli ok"
