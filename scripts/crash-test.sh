#!/usr/bin/env bash
# Crash and recovery (issue #8): ingest the news corpus while `kg ingest` is killed with SIGKILL at
# random moments, resuming each time, and while `kg serve` (a read-only RocksDB secondary) answers
# queries from the same store. After every kill `kg-inspect verify` must be clean; when a run
# finally completes, the store's `kg-inspect digest` must equal the one of an uninterrupted run
# (same documents, nodes by label and name, edges with the same evidence counts). The server
# must survive: every request gets a response (200, or a JSON error), never a dropped connection,
# and the document count it reports never goes down.
#
#   scripts/crash-test.sh [--kills N] [--long] [--no-serve] [--dump FILE] [--seed S] [--keep]
#
#   --kills N    SIGKILLs in all (default 20)
#   --long       300 kills: several passes over the corpus, each on a fresh store
#   --no-serve   no server beside the ingest
#   --dump FILE  the dump to ingest (default ../shared/data/news/bbc.jsonl, the 2,225 BBC articles)
#   --seed S     seed of the kill moments (default: random; printed, so a failure can be replayed)
#   --keep       keep the temporary folder (printed) for inspection
#
# Binaries: $KG and $KG_INSPECT, else build/tools/kg and build/tools/kg-inspect. Exit 0 = passed,
# 1 = failed (the reason on the last line), 77 = skipped (the corpus is absent).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/lib/serve-url.sh"
kills_wanted=20
serve=1
dump=""
seed=$(( (RANDOM << 15) | RANDOM ))
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills_wanted=$2; shift 2 ;;
    --long) kills_wanted=300; shift ;;
    --no-serve) serve=0; shift ;;
    --dump) dump=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "crash-test: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$kills_wanted" in ''|*[!0-9]*) echo "crash-test: --kills wants a number" >&2; exit 2 ;; esac

KG=${KG:-$here/build/tools/kg}
KG_INSPECT=${KG_INSPECT:-$here/build/tools/kg-inspect}
shared=${KG_SHARED_DIR:-$here/../shared}
if [ -z "$dump" ]; then
  dump=$shared/data/news/bbc.jsonl
  if [ ! -f "$dump" ]; then
    echo "SKIPPED: the news corpus $dump is absent (../shared/data is not part of the repository)"
    exit 77
  fi
fi
[ -r "$dump" ] || { echo "crash-test: cannot read $dump" >&2; exit 2; }
for bin in "$KG" "$KG_INSPECT"; do
  [ -x "$bin" ] || { echo "crash-test: $bin is not built" >&2; exit 2; }
done
if [ "$serve" = 1 ] && ! command -v curl >/dev/null; then
  echo "crash-test: curl is not installed: running without the server"
  serve=0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kg-crash.XXXXXX")
ingest_pid=""
server_pid=""
client_pid=""
cleanup() {
  for pid in $client_pid $ingest_pid $server_pid; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "replay with: scripts/crash-test.sh --kills $kills_wanted --seed $seed"
  exit 1
}
# A command that fails outside the checks above (set -e) still names itself, never a silent exit.
set -E
trap 'rc=$?; echo "FAIL: crash-test.sh line $LINENO: \"$BASH_COMMAND\" exited $rc"; echo "replay with: scripts/crash-test.sh --kills $kills_wanted --seed $seed"' ERR
RANDOM=$seed
echo "crash-test: dump $dump, $kills_wanted kills, seed $seed, server: $([ $serve = 1 ] && echo yes || echo no)"

# The canonical form of a store: `kg-inspect digest` (id-free, sorted).
digest() { "$KG_INSPECT" --db "$1" digest; }
"$KG_INSPECT" digest --help >/dev/null 2>&1 || fail "$KG_INSPECT has no digest subcommand"

# The reference: one uninterrupted run.
start_ns=$(date +%s%N)
"$KG" --db "$tmp/ref.db" ingest --quiet --workers 2 --summary json "$dump" >"$tmp/ref.json" ||
  fail "the reference run failed: $(cat "$tmp/ref.json")"
ref_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
digest "$tmp/ref.db" >"$tmp/ref.digest" || fail "digest of the reference store"
[ -s "$tmp/ref.digest" ] || fail "the reference store is empty"
ref_docs=$(grep -c '^document' "$tmp/ref.digest" || true)
ref_counts="$ref_docs $(grep -c '^node' "$tmp/ref.digest" || true) $(grep -c '^edge' "$tmp/ref.digest" || true) $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["evidence_added"])' "$tmp/ref.json")"
echo "reference: $ref_docs documents, $(wc -l <"$tmp/ref.digest") digest lines, ${ref_ms} ms"

# Kill moments: uniform between 20 ms and a bound such that about 20 kills spread over one whole
# ingest (each run also spends time starting and skipping what is stored: kills land there too).
max_delay_ms=$(( ref_ms / 10 + 300 ))

# --- the server and its client ---------------------------------------------------------------
url=""
start_server() {  # $1 = store
  "$KG" --db "$1" serve --port 0 --quiet --query-timeout-ms 5000 >"$tmp/serve.out" \
    2>"$tmp/serve.err" &
  server_pid=$!
  url=$(kg_serve_url "$tmp/serve.out" "$server_pid") ||
    fail "kg serve exited at start or printed no address: $(cat "$tmp/serve.err")"
  # The client: a loop of reads until told to stop. Each line of client.log: status and what.
  # 000 means no response at all (connection refused or dropped): the server died or hung.
  : >"$tmp/client.log"
  rm -f "$tmp/client.stop"
  (
    queries=(
      '{"query": "MATCH (d) RETURN count(d) AS n"}'
      '{"query": "MATCH (p:Person)-[r]->(o) RETURN p.name, type(r), o.name LIMIT 20"}'
      '{"query": "MATCH (c:Country)<-[r]-(x) RETURN c.name, count(x) AS n ORDER BY n DESC LIMIT 5"}'
      '{"query": "MATCH (a)-[*1..2]->(b:Country {name: \"Britain\"}) RETURN count(*)"}'
    )
    i=0
    while [ ! -e "$tmp/client.stop" ]; do
      q=${queries[$((i % ${#queries[@]}))]}
      code=$(curl -s -o "$tmp/client.body" -w '%{http_code}' --max-time 20 \
        -H 'Content-Type: application/json' -d "$q" "$url/query" || true)
      echo "$code query$((i % ${#queries[@]}))" >>"$tmp/client.log"
      if [ "$code" != 200 ] && [ "$code" != 000 ] &&
         ! grep -q '"error"' "$tmp/client.body" 2>/dev/null; then
        echo "$code NOT-JSON-ERROR $(head -c 200 "$tmp/client.body")" >>"$tmp/client.log"
      fi
      code=$(curl -s -o "$tmp/client.stats" -w '%{http_code}' --max-time 20 "$url/stats" || true)
      docs=$(sed -n 's/.*"documents":\([0-9]*\).*/\1/p' "$tmp/client.stats" 2>/dev/null || true)
      echo "$code stats ${docs:-?}" >>"$tmp/client.log"
      i=$((i + 1))
    done
  ) &
  client_pid=$!
}

stop_server() {  # checks what the client saw and that the server is alive, then stops it
  touch "$tmp/client.stop"
  wait "$client_pid" 2>/dev/null || true
  client_pid=""
  kill -0 "$server_pid" 2>/dev/null ||
    fail "kg serve died during the kills: $(tail -5 "$tmp/serve.err")"
  local health
  health=$(curl -s --max-time 10 "$url/health" || true)
  case "$health" in
    *'"status":"ok"'*) ;;
    *)
      local state
      state=$(ps -o stat= -p "$server_pid" 2>/dev/null || true)
      case "$state" in
        Z*) local st=0
            wait "$server_pid" || st=$?
            fail "kg serve crashed (exit status $st): $(tail -5 "$tmp/serve.err")" ;;
        *) fail "kg serve (state '$state') does not answer /health within 10 s: '$health'" \
             "$(tail -5 "$tmp/serve.err")" ;;
      esac ;;
  esac
  # Once caught up (at most 1 s after the last write), the server sees the whole graph: the
  # same counts as the store opened afresh, and as the reference.
  sleep 1.5
  curl -s --max-time 10 "$url/stats" >/dev/null || true  # this request triggers the catch-up
  local stats counts
  stats=$(curl -s --max-time 10 "$url/stats" || true)
  counts=$(python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(s["documents"], s["nodes"], s["edges"], s["evidence"])' "$stats" 2>/dev/null || echo "unreadable: $stats")
  [ "$counts" = "$ref_counts" ] ||
    fail "after the last run the server reports documents/nodes/edges/evidence $counts, the store holds $ref_counts"
  kill -TERM "$server_pid" 2>/dev/null || true  # gone already: wait below reports how it ended
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=""
  [ "$rc" = 0 ] || fail "kg serve exited $rc on SIGTERM: $(tail -5 "$tmp/serve.err")"
  local total ok dropped unclean backwards
  total=$(wc -l <"$tmp/client.log")
  ok=$(grep -c '^200 ' "$tmp/client.log" || true)
  dropped=$(grep -c '^000 ' "$tmp/client.log" || true)
  unclean=$(grep -c 'NOT-JSON-ERROR' "$tmp/client.log" || true)
  # The server reads snapshots of a store that only grows: its document count never goes down.
  backwards=$(awk '$2 == "stats" && $3 != "?" { if ($3 + 0 < last) bad++; last = $3 + 0 }
                   END { print bad + 0 }' "$tmp/client.log")
  last_docs=$(awk '$2 == "stats" && $3 != "?" { d = $3 } END { print d + 0 }' "$tmp/client.log")
  requests_total=$((requests_total + total))
  requests_ok=$((requests_ok + ok))
  echo "  server: $total requests, $ok answered 200, $((total - ok - dropped)) clean errors," \
       "$dropped without a response; last document count seen $last_docs"
  [ "$dropped" = 0 ] || fail "$dropped requests got no response: $(grep '^000' "$tmp/client.log" | sort | uniq -c | tr '\n' ' ')"
  [ "$unclean" = 0 ] || fail "errors that are not JSON: $(grep NOT-JSON "$tmp/client.log" | head -3)"
  [ "$backwards" = 0 ] || fail "the server's document count went down $backwards times: $(awk '$2 == "stats" && $3 != "?" { if ($3 + 0 < last) printf "%s -> %s; ", last, $3; last = $3 + 0 }' "$tmp/client.log")"
  [ "$ok" -gt 0 ] || fail "no request succeeded"
}

# --- the kills -------------------------------------------------------------------------------
kills=0
passes=0
verifies=0
requests_total=0
requests_ok=0
while [ "$kills" -lt "$kills_wanted" ]; do
  passes=$((passes + 1))
  db=$tmp/run$passes.db
  runs=0
  pass_kills=0
  finished=0
  while [ "$finished" = 0 ]; do
    runs=$((runs + 1))
    # The last run of a pass (once enough kills happened) goes to completion.
    if [ "$kills" -ge "$kills_wanted" ]; then delay_ms=""; else
      delay_ms=$(( 20 + (RANDOM * 32768 + RANDOM) % max_delay_ms ))
    fi
    "$KG" --db "$db" ingest --quiet --workers 2 --summary json "$dump" >"$tmp/run.json" \
      2>"$tmp/run.err" &
    ingest_pid=$!
    rc=0
    if [ -n "$delay_ms" ]; then
      sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
      if kill -KILL "$ingest_pid" 2>/dev/null; then
        wait "$ingest_pid" 2>/dev/null || rc=$?
        ingest_pid=""
        if [ "$rc" = 137 ]; then
          kills=$((kills + 1))
          pass_kills=$((pass_kills + 1))
          # Killed before it created the store: nothing to check yet.
          [ -e "$db/CURRENT" ] || continue
          # Recovery: the store opens and is consistent after every kill.
          "$KG_INSPECT" --db "$db" verify >"$tmp/verify.out" 2>&1 ||
            fail "kg-inspect verify after kill $kills (after ${delay_ms} ms): $(tail -5 "$tmp/verify.out")"
          verifies=$((verifies + 1))
          # The server needs the store to exist: start it once the first kill left one.
          if [ "$serve" = 1 ] && [ -z "$server_pid" ]; then start_server "$db"; fi
          continue
        fi
      else
        wait "$ingest_pid" 2>/dev/null || rc=$?
        ingest_pid=""
      fi
    else
      wait "$ingest_pid" 2>/dev/null || rc=$?
      ingest_pid=""
    fi
    # The run ended by itself: it must have succeeded and finished the dump.
    [ "$rc" = 0 ] || fail "kg ingest exited $rc (run $runs of pass $passes): $(tail -5 "$tmp/run.err")"
    python3 - "$tmp/run.json" "$ref_docs" <<'PY' || fail "final run of pass $passes: $(cat "$tmp/run.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert not s["interrupted"] and s["bad"] == 0, s
PY
    finished=1
  done
  [ -z "$server_pid" ] || stop_server
  "$KG_INSPECT" --db "$db" verify >"$tmp/verify.out" 2>&1 ||
    fail "kg-inspect verify at the end of pass $passes: $(tail -5 "$tmp/verify.out")"
  digest "$db" >"$tmp/run.digest" || fail "digest of pass $passes"
  if ! cmp -s "$tmp/ref.digest" "$tmp/run.digest"; then
    diff "$tmp/ref.digest" "$tmp/run.digest" | head -10
    fail "pass $passes: the graph differs from the uninterrupted run's"
  fi
  echo "pass $passes: $pass_kills kills in $runs runs; verify clean after each; digest equals the reference"
  # A store is kept only for --keep; passes after the first start afresh.
  [ "$keep" = 1 ] || rm -rf "$db"
done
summary="kills survived: $kills in $passes passes, $verifies verifies clean, graph identical"
[ "$serve" = 1 ] && summary+="; server answered $requests_ok of $requests_total requests with 200, none dropped"
echo "crash-test ok: $summary"
