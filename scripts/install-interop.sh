#!/usr/bin/env bash
# Installs the peer engines that kg's export tests load exports into (tests/interop/package.json:
# kuzu for the Kùzu CSV export, oxigraph for the N-Triples export) into tests/interop/node_modules
# (git-ignored). Idempotent: when they are present and match package-lock.json it prints nothing
# and returns at once. Needs node and npm (Debian: apt-get install nodejs npm) and the npm
# registry. kuzu ships a prebuilt kuzujs.node for linux-x64, so its install script is not needed
# (npm 11 does not run it by default anyway).
# Exit codes: 0 installed, 1 npm missing or the install failed (tests then skip with exit 77).
set -euo pipefail
dir="$(cd "$(dirname "$0")/../tests/interop" && pwd)"
command -v npm >/dev/null || { echo "install-interop: npm is not installed (apt-get install npm)" >&2; exit 1; }
stamp="$dir/node_modules/.kg-installed"
if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package.json" ] && [ "$stamp" -nt "$dir/package-lock.json" ] &&
   [ -d "$dir/node_modules/kuzu" ] && [ -d "$dir/node_modules/oxigraph" ]; then
  exit 0
fi
echo "install-interop: npm ci in $dir" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
touch "$stamp"
