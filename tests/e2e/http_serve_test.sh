#!/usr/bin/env bash
# kg serve end to end: ingest the bundled examples, serve them read-only on a free loopback port,
# answer the API with curl, see an article ingested by a concurrent `kg ingest` appear without a
# restart, and stop cleanly on SIGTERM (exit 0).
set -euo pipefail
. "$KG_SOURCE_DIR/scripts/lib/serve-url.sh"
command -v curl >/dev/null || { echo "SKIPPED: curl is not installed"; exit 77; }

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server stderr:"; tail -20 "$tmp/err" || true; exit 1; }

# A missing store is a user error (exit 1) naming the path, not a new empty store.
rc=0
"$KG" --db "$tmp/missing.db" serve --port 0 >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || fail "serve on a missing store exited $rc, expected 1"
grep -q "missing.db" "$tmp/err" || fail "the error does not name the store"
[ ! -e "$tmp/missing.db" ] || fail "serve created the missing store"

mkdir "$tmp/first" "$tmp/second"
cp "$KG_SOURCE_DIR"/examples/articles/0[1-4]*.txt "$tmp/first/"
cp "$KG_SOURCE_DIR"/examples/articles/05*.txt "$tmp/second/"
"$KG" --db "$tmp/kg.db" ingest --quiet "$tmp/first" >/dev/null

"$KG" --db "$tmp/kg.db" serve --port 0 >"$tmp/out" 2>"$tmp/err" &
server_pid=$!
url=$(kg_serve_url "$tmp/out" "$server_pid") || fail "kg serve exited early or printed no address"
case "$url" in http://127.0.0.1:*) ;; *) fail "not bound to loopback: $url" ;; esac

get() { curl -s --max-time 10 "$url$1"; }
get /health | grep -q '"status":"ok"' || fail "/health"
get /health | grep -q '"read_only":true' || fail "the server should open the store read-only"
docs_before=$(get /stats | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')
[ "$docs_before" = 4 ] || fail "/stats documents = '$docs_before', expected 4"
get '/entities?q=jap' | grep -q '"name":"Japan"' || fail "/entities?q=jap does not find Japan"
japan=$(get '/entities?q=japan&limit=1' | sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)
get "/entities/$japan" | grep -q '"edges"' || fail "/entities/$japan"
get "/entities/$japan/neighbors?limit=5" | grep -q '"neighbors"' || fail "neighbors"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/entities/999999999")" = 404 ] || fail "404"
get / | grep -q '<title>kg explorer</title>' || fail "the explorer page"
if get /health | grep -q '"query":true'; then
  curl -s --max-time 10 -H 'Content-Type: application/json' \
    -d '{"query": "MATCH (c:Country {name: $n}) RETURN c.name", "parameters": {"n": "Japan"}}' \
    "$url/query" | grep -q '"rows":\[\["Japan"\]\]' || fail "POST /query"
fi

# A writer beside the server: the new article shows up once the server catches up (<= 1 s).
"$KG" --db "$tmp/kg.db" ingest --quiet "$tmp/second" >/dev/null || fail "kg ingest beside kg serve"
docs_after=""
for _ in $(seq 1 50); do
  docs_after=$(get /stats | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')
  [ "$docs_after" = 5 ] && break
  sleep 0.2
done
[ "$docs_after" = 5 ] || fail "the server did not see the new article (documents=$docs_after)"

grep -q '"path":"/health"' "$tmp/err" || fail "no access log line on stderr"

kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=""
[ "$rc" = 0 ] || fail "kg serve exited $rc on SIGTERM"
grep -q "kg: stopped" "$tmp/err" || fail "no 'stopped' line"
echo "http serve ok ($url)"
