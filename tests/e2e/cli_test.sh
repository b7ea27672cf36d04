#!/usr/bin/env bash
# The command lines answer --help, and reject an unknown subcommand and out-of-range numbers
# with exit 1 and a message naming the option.
set -euo pipefail
"$KG" --help | grep -q "kg: a knowledge graph"
"$KG_INSPECT" --help | grep -q "kg-inspect"
set +e
"$KG" no-such-command >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 for an unknown subcommand, got $rc"; exit 1; }
# Unsigned options must not take "-1" as 2^64-1 (kg serve would then start).
for bad in "--query-cache -1" "--max-body-kib 0"; do
  set +e
  # shellcheck disable=SC2086
  msg=$(timeout 10 "$KG" --db "$(mktemp -d)/none.db" serve $bad 2>&1); rc=$?
  set -e
  [ "$rc" -eq 1 ] || { echo "kg serve $bad: expected exit 1, got $rc ($msg)"; exit 1; }
  echo "$msg" | grep -q -- "${bad%% *}: Value .* not in range" ||
    { echo "kg serve $bad: unexpected message: $msg"; exit 1; }
done
echo "cli ok"
