#!/usr/bin/env bash
# The web explorer in a real browser: Debian's chromium driven by playwright-core (from
# web/node_modules, installed by scripts/install-web.sh) searches a person, expands a node and
# reads an edge's evidence (tests/browser/explorer.mjs). Skipped (77) when chromium, node or
# playwright-core is absent. KG_SCREENSHOT=path keeps the screenshot.
set -euo pipefail
. "$KG_SOURCE_DIR/scripts/lib/serve-url.sh"
web="$KG_SOURCE_DIR/web"
command -v node >/dev/null || { echo "SKIPPED: node is not installed"; exit 77; }
[ -x /usr/bin/chromium ] || { echo "SKIPPED: /usr/bin/chromium is absent (apt-get install chromium)"; exit 77; }
[ -d "$web/node_modules/playwright-core" ] || {
  echo "SKIPPED: $web/node_modules/playwright-core is absent (run scripts/install-web.sh)"; exit 77; }
[ -d "$web/node_modules/cytoscape" ] || {
  echo "SKIPPED: $web/node_modules/cytoscape is absent (run scripts/install-web.sh)"; exit 77; }

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$KG" --db "$tmp/kg.db" ingest --quiet "$KG_SOURCE_DIR/examples/articles" >/dev/null
"$KG" --db "$tmp/kg.db" serve --port 0 --quiet --web "$web" >"$tmp/out" 2>"$tmp/err" &
server_pid=$!
url=$(kg_serve_url "$tmp/out" "$server_pid") ||
  { echo "FAIL: kg serve exited early or printed no address"; cat "$tmp/err"; exit 1; }

shot="${KG_SCREENSHOT:-$tmp/explorer.png}"
KG_WEB_DIR="$web" node "$KG_SOURCE_DIR/tests/browser/explorer.mjs" "$url/" "Kamikawa" "$shot"
echo "browser ok (screenshot: $shot)"
