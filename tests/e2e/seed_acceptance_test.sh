#!/usr/bin/env bash
# The acceptance article end to end: `kg ingest` the seed folder, then ask the store with
# `kg query` for "all G-7 members and their positions on Russia" and the other facts the article
# states (docs/SCHEMA.md). Skipped when ../shared/data is absent.
set -euo pipefail
SEED="$KG_SHARED_DIR/data/seed"
if [ ! -d "$SEED" ]; then
  echo "SKIPPED: $SEED is absent (../shared/data is only beside CI's clone)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/kg.db"
"$KG" ingest --db "$db" "$SEED" >"$tmp/ingest.out" 2>"$tmp/ingest.err" ||
  { cat "$tmp/ingest.err"; exit 1; }

q() { "$KG" query --db "$db" --format csv "$1"; }
check() {  # check <name> <expected> <actual>
  [ "$2" = "$3" ] || { printf '%s:\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"; exit 1; }
}

members=$(q "MATCH (c)-[:MEMBER_OF]->(g:Group {name: 'G-7'}) RETURN c.name AS name ORDER BY name")
check "G-7 members" "$(printf 'name\nCanada\nFrance\nGermany\nItaly\nJapan\nUnited Kingdom\nUnited States')" "$members"

stances=$(q "MATCH (c)-[:MEMBER_OF]->(:Group {name: 'G-7'})
  OPTIONAL MATCH (c)-[s:STANCE]->(:Country {name: 'Russia'})
  RETURN c.name AS member, s.polarity AS polarity ORDER BY member")
check "stances on Russia" "$(printf 'member,polarity\nCanada,null\nFrance,null\nGermany,null\nItaly,null\nJapan,positive\nUnited Kingdom,null\nUnited States,negative')" "$stances"

# The negative stance of the United States carries its evidence sentences.
evidence=$("$KG" query --db "$db" "MATCH (:Country {name: 'United States'})-[s:STANCE]->(:Country {name: 'Russia'}) RETURN evidence(s) AS e")
echo "$evidence" | grep -q "critical of Russia over its annexation of Crimea" ||
  { echo "US stance evidence lacks the Crimea sentence: $evidence"; exit 1; }
echo "$evidence" | grep -q "pressure on Moscow" ||
  { echo "US stance evidence lacks the pressure sentence: $evidence"; exit 1; }

positions=$(q "MATCH (p:Person)-[:HOLDS_POSITION]->(pos:Position) RETURN p.name AS person, pos.name AS position ORDER BY person")
for row in "Shinzo Abe,Prime Minister of Japan" "Vladimir Putin,President of Russia" \
           "Barack Obama,President of United States" "Bashar al-Assad,President of Syria" \
           "Akihito,Emperor of Japan"; do
  echo "$positions" | grep -qx "$row" || { echo "missing position $row in: $positions"; exit 1; }
done

check "annexation" "$(printf 'who,what,year\nRussia,Crimea,2014')" \
  "$(q "MATCH (a)-[r:ANNEXED]->(b) RETURN a.name AS who, b.name AS what, r.year AS year")"
check "Russia backs Syria" "$(printf 'polarity\npositive')" \
  "$(q "MATCH (:Country {name: 'Russia'})-[s:STANCE]->(:Country {name: 'Syria'}) RETURN s.polarity AS polarity")"
check "Yamaguchi" "$(printf 'country\nJapan')" \
  "$(q "MATCH (:Place {name: 'Yamaguchi Prefecture'})-[:PART_OF]->(c) RETURN c.name AS country")"

events=$(q "MATCH (p:Person {name: 'Shinzo Abe'})-[:PARTICIPANT_IN]->(e:Event)-[:HELD_IN]->(pl)
  RETURN e.date AS date, pl.name AS place ORDER BY date")
check "events" "$(printf 'date,place\n--12-15,Yamaguchi Prefecture\n--12-16,Tokyo')" "$events"

# Nothing from the page's boilerplate lines.
for name in Ambassador Ukraine COVID-19 "Trending Japan"; do
  n=$(q "MATCH (n {name: '$name'}) RETURN count(*) AS n" | tail -1)
  check "no node $name" "0" "$n"
done
echo "seed acceptance ok"
