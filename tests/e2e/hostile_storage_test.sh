#!/usr/bin/env bash
# Hostile storage (issue #8): a full disk, a read-only directory, a truncated, a bit-flipped and
# a deleted SST file. Each gives a clear error naming the cause (exact text below), never a
# silently wrong graph: after the disk is freed the same ingest finishes with the graph of an
# undisturbed run, and `kg-inspect verify` names the damaged file.
# The full disk and the read-only directory are small tmpfs mounts when we may mount (root);
# otherwise a file-size limit (ulimit -f, SIGXFSZ ignored) and chmod stand in.
set -euo pipefail
. "$KG_SOURCE_DIR/scripts/lib/serve-url.sh"
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }
tmp=$(mktemp -d)
mounted=""
cleanup() {
  [ -z "$mounted" ] || umount "$mounted" 2>/dev/null || true
  chmod -R u+rwx "$tmp" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"

# 1,500 generated articles (~2.5 MB of text): more than the 2 MB disk holds once stored.
python3 - <<'PY'
import json, random
rng = random.Random(11)
people = ["Angela Merkel", "Tony Blair", "Jacques Chirac", "Gerhard Schroeder", "Vladimir Putin",
          "George Bush", "Junichiro Koizumi", "Silvio Berlusconi", "Paul Martin", "Hu Jintao"]
places = ["Berlin", "London", "Paris", "Hanover", "Moscow", "Washington", "Tokyo", "Rome"]
with open("dump.jsonl", "w") as f:
    for i in range(1500):
        text = " ".join(f"{rng.choice(people)} met {rng.choice(people)} in {rng.choice(places)} "
                        f"to discuss item {rng.randrange(10**6)}." for _ in range(14))
        f.write(json.dumps({"id": f"a{i}", "title": f"Talks {i}", "text": text}) + "\n")
PY
"$KG" --db ref.db ingest --quiet dump.jsonl >/dev/null
"$KG_INSPECT" --db ref.db digest >ref.digest

can_mount=0
if [ -z "${KG_TEST_NO_MOUNT:-}" ] && [ "$(id -u)" = 0 ] && mkdir -p mnt && mount -t tmpfs -o size=2m tmpfs mnt 2>/dev/null; then
  can_mount=1
  mounted=$tmp/mnt
fi

# --- a full disk -------------------------------------------------------------------------------
rc=0
if [ "$can_mount" = 1 ]; then
  echo "full disk: a 2 MB tmpfs"
  "$KG" --db mnt/kg.db ingest --quiet --workers 2 dump.jsonl >/dev/null 2>err || rc=$?
  full_message="No space left on device"
  db=mnt/kg.db
else
  echo "full disk: cannot mount here; a 2 MB file-size limit (ulimit -f) stands in"
  mkdir lim
  (trap '' XFSZ; ulimit -f 2048; exec "$KG" --db lim/kg.db ingest --quiet --workers 2 dump.jsonl) \
    >/dev/null 2>err || rc=$?
  full_message="File too large"
  db=lim/kg.db
fi
# RocksDB's own LOG writer asserted (Debian builds it with assertions) when the disk had failed a
# LOG line and another came: about one full-disk ingest in ten aborted. kg writes that LOG itself
# now (store/src/info_log.h), so the exit code and the message are checked on every run.
[ "$rc" = 2 ] || fail "a full disk: kg ingest exited $rc, expected 2: $(cat err)"
grep -q "^kg: cannot write $db: IO error: .*$full_message" err ||
  fail "a full disk: expected 'kg: cannot write $db: IO error: ...$full_message', got: $(cat err)"
# What was written before the disk filled is consistent...
"$KG_INSPECT" --db "$db" verify >verify.out 2>&1 || fail "verify on the full disk: $(cat verify.out)"
stored=$(sed -n 's/.* \([0-9]*\) documents.*/\1/p' verify.out)
echo "  kg ingest stopped with '$full_message' after $stored documents; verify clean"
[ "$stored" -lt 1500 ] || fail "the disk never filled ($stored documents stored)"
# ...and with room again, the same command finishes the job: the graph of an undisturbed run.
[ "$can_mount" = 1 ] && mount -o remount,size=256m "$mounted"
"$KG" --db "$db" ingest --quiet dump.jsonl >/dev/null 2>err || fail "resume after the full disk: $(cat err)"
"$KG_INSPECT" --db "$db" verify >verify.out 2>&1 || fail "verify after resume: $(cat verify.out)"
"$KG_INSPECT" --db "$db" digest >run.digest
cmp -s ref.digest run.digest || fail "after a full disk and resume the graph differs: $(diff ref.digest run.digest | head -5)"
echo "  resumed: the graph equals the undisturbed run's"

# --- a read-only directory --------------------------------------------------------------------
ro_message=""
if [ "$can_mount" = 1 ]; then
  mount -o remount,ro "$mounted"
  ro_message="Read-only file system"
elif [ "$(id -u)" != 0 ]; then
  chmod -R a-w "$db"
  ro_message="Permission denied"
else
  echo "  read-only directory: not tried (root ignores chmod, and mounting is not allowed here)"
fi
if [ -n "$ro_message" ]; then
  rc=0
  "$KG" --db "$db" ingest --quiet dump.jsonl >/dev/null 2>err || rc=$?
  [ "$rc" = 2 ] || fail "a read-only store: kg ingest exited $rc, expected 2: $(cat err)"
  grep -q "^kg: cannot open $db: IO error: .*$ro_message" err ||
    fail "a read-only store: expected 'kg: cannot open $db: IO error: ...$ro_message', got: $(cat err)"
  # Reading needs no write access to the store.
  "$KG_INSPECT" --db "$db" verify >verify.out 2>&1 || fail "verify on a read-only store: $(cat verify.out)"
  n=$("$KG" --db "$db" query --format csv "MATCH (d) RETURN count(d) AS n" | tail -1)
  [ "$n" -gt 0 ] || fail "query on a read-only store: $n"
  echo "  read-only directory: ingest refused ('$ro_message'), verify and query work"
fi
if [ "$can_mount" = 1 ]; then umount "$mounted"; mounted=""; fi

# --- a full or missing temporary directory ------------------------------------------------------
# Readers (RocksDB secondary instances) write nothing outside the store: not in $TMPDIR (until
# session 9 each kept a scratch directory there for its LOG, which every killed reader left
# behind), so a full, missing or watched one changes nothing.
if [ "$can_mount" = 1 ]; then
  mkdir -p tmpfull && mount -t tmpfs -o size=64k tmpfs tmpfull && mounted=$tmp/tmpfull
  dd if=/dev/zero of=tmpfull/fill bs=1k count=64 2>/dev/null || true
  for i in 1 2 3; do
    n=$(TMPDIR=$tmp/tmpfull "$KG" --db ref.db query --format csv "MATCH (d) RETURN count(d) AS n" | tail -1)
    [ "$n" -gt 0 ] || fail "query with a full TMPDIR: '$n'"
  done
  TMPDIR=$tmp/tmpfull "$KG_INSPECT" --db ref.db verify >verify.out 2>&1 ||
    fail "verify with a full TMPDIR: $(cat verify.out)"
  umount "$mounted"; mounted=""
  echo "  a full TMPDIR: query and verify work"
fi
n=$(TMPDIR=$tmp/no-such-dir "$KG" --db ref.db query --format csv "MATCH (d) RETURN count(d) AS n" |
    tail -1) || fail "a missing TMPDIR: kg query failed"
[ "$n" -gt 0 ] || fail "a missing TMPDIR: '$n'"
echo "  a missing TMPDIR: query works"
# A reader killed while it holds the store open leaves nothing behind.
mkdir -p watched
TMPDIR=$tmp/watched "$KG" --db ref.db serve --port 0 --quiet >serve.out 2>&1 &
serve_pid=$!
kg_serve_url serve.out "$serve_pid" >/dev/null || fail "kg serve did not start: $(cat serve.out)"
TMPDIR=$tmp/watched "$KG_INSPECT" --db ref.db stats >/dev/null || fail "stats beside a server"
kill -KILL "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
[ -z "$(ls -A watched)" ] || fail "readers left files in TMPDIR: $(ls -A watched)"
echo "  a killed reader leaves nothing in TMPDIR"

# --- damaged SST files -------------------------------------------------------------------------
largest_sst() { ls -S "$1"/*.sst | head -1; }
expect_damage() {  # $1 = store, $2 = what is wrong, $3 = what every message must contain
  local what rc
  for what in verify query ingest; do
    rc=0
    case "$what" in
      verify) "$KG_INSPECT" --db "$1" verify >/dev/null 2>err || rc=$? ;;
      query) "$KG" --db "$1" query "RETURN 1" >/dev/null 2>err || rc=$? ;;
      ingest) "$KG" --db "$1" ingest --quiet dump.jsonl >/dev/null 2>err || rc=$? ;;
    esac
    [ "$rc" != 0 ] || fail "$what succeeded on a store with $2"
    grep -qF -- "$3" err || fail "$what on $2: expected '$3', got: $(cat err)"
  done
}

cp -r ref.db trunc.db
f=$(largest_sst trunc.db)
size=$(stat -c %s "$f")
truncate -s $((size / 2)) "$f"
expect_damage trunc.db "a truncated SST" \
  "cannot open trunc.db: Corruption: file is too short ($size bytes) to be an sstable$f"
echo "  truncated $f: verify, query and ingest refuse it, naming the file"

cp -r ref.db gone.db
f=$(largest_sst gone.db)
rm "$f"
expect_damage gone.db "a deleted SST" "cannot open gone.db: Corruption: "
grep -qF "${f%.sst}.ldb: No such file or directory" err || fail "the deleted file is not named: $(cat err)"
echo "  deleted $f: refused, naming the file"

cp -r ref.db flip.db
f=$(largest_sst flip.db)
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for i in range(len(b) // 2, len(b) // 2 + 16):
    b[i] ^= 0xFF
open(p, "wb").write(b)
PY
rc=0
"$KG_INSPECT" --db flip.db verify >verify.out 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "verify passed a bit-flipped SST"
grep -q "Corruption: block checksum mismatch: .* in $f offset" verify.out ||
  fail "verify on a bit-flipped SST: expected 'Corruption: block checksum mismatch ... in $f', got: $(head -3 verify.out)"
echo "  bit-flipped $f: verify reports the checksum mismatch and the file"
echo "hostile storage ok"
