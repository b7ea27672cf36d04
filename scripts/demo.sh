#!/usr/bin/env bash
# The main job on the bundled examples (the README's first command):
#   1. ingest examples/articles into ./kg.db (re-running adds nothing twice),
#   2. print what the store holds,
#   3. ask the G-7 question in Cypher,
#   4. serve the HTTP API and the web explorer until Ctrl-C.
# Environment: KG_DB (default ./kg.db), KG_PORT (default 7474), KG_NO_SERVE=1 to stop after 3.
set -euo pipefail
BUILD_DIR=${1:-build}
KG="$BUILD_DIR/tools/kg"
DB=${KG_DB:-kg.db}
PORT=${KG_PORT:-7474}

echo "== kg ingest examples/articles -> $DB"
"$KG" --db "$DB" ingest examples/articles

echo
echo "== what the store holds (kg stats)"
"$KG" --db "$DB" stats

echo
echo "== all G-7 members and their positions on Russia"
G7_QUERY="MATCH (m)-[:MEMBER_OF]->(:Group {name: 'G-7'})
OPTIONAL MATCH (m)-[s:STANCE]->(:Country {name: 'Russia'})
RETURN m.name AS member, s.polarity AS stance, size(evidence(s)) AS sentences
ORDER BY member"
echo "$G7_QUERY"
"$KG" --db "$DB" query --format table "$G7_QUERY"

if [ "${KG_NO_SERVE:-0}" = "1" ]; then exit 0; fi
echo
echo "== kg serve: open http://127.0.0.1:$PORT/ in a browser (Ctrl-C stops it)"
exec "$KG" --db "$DB" serve --port "$PORT"
