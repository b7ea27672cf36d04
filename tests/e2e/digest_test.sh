#!/usr/bin/env bash
# kg-inspect digest names every record by what it is, not by its id: two stores built from the
# same articles give byte-identical digests, and one more article changes the digest.
set -euo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
examples="$KG_SOURCE_DIR/examples/articles"
"$KG" --db "$tmp/a" ingest -q "$examples" >/dev/null
"$KG" --db "$tmp/b" ingest -q "$examples" >/dev/null
"$KG_INSPECT" --db "$tmp/a" digest --evidence --properties >"$tmp/a.txt"
"$KG_INSPECT" --db "$tmp/b" digest --evidence --properties >"$tmp/b.txt"
cmp "$tmp/a.txt" "$tmp/b.txt" || { echo "same articles, different digests"; exit 1; }
grep -q '^node	Group:G-7	' "$tmp/a.txt" || { echo "digest lacks the G-7 node"; exit 1; }
grep -q '^edge	Country:Japan	MEMBER_OF	Group:G-7	' "$tmp/a.txt" \
  || { echo "digest lacks Japan MEMBER_OF G-7"; exit 1; }

mkdir "$tmp/more"
printf 'Canada and Mexico signed a trade deal in Ottawa on Monday.\n' >"$tmp/more/extra.txt"
"$KG" --db "$tmp/b" ingest -q "$tmp/more" >/dev/null
"$KG_INSPECT" --db "$tmp/b" digest --evidence --properties >"$tmp/b2.txt"
if cmp -s "$tmp/a.txt" "$tmp/b2.txt"; then echo "a new article left the digest unchanged"; exit 1; fi
grep -q '^document	more/extra.txt	' "$tmp/b2.txt" || { echo "new document missing"; exit 1; }
echo "digest ok"
