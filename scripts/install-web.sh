#!/usr/bin/env bash
# Installs the web explorer's npm packages (web/package.json: cytoscape for the page,
# playwright-core for the browser test) into web/node_modules. Idempotent: when they are present
# and match package-lock.json it prints nothing and returns at once. Needs node and npm
# (Debian: apt-get install nodejs npm); the browser test also needs chromium (apt-get install
# chromium).
set -euo pipefail
web="$(cd "$(dirname "$0")/../web" && pwd)"
command -v npm >/dev/null || { echo "install-web: npm is not installed (apt-get install npm)" >&2; exit 1; }
stamp="$web/node_modules/.kg-installed"
if [ -f "$stamp" ] && [ "$stamp" -nt "$web/package.json" ] && [ "$stamp" -nt "$web/package-lock.json" ] &&
   [ -f "$web/node_modules/cytoscape/dist/cytoscape.min.js" ] && [ -d "$web/node_modules/playwright-core" ]; then
  exit 0
fi
echo "install-web: npm ci in $web" >&2
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
touch "$stamp"
