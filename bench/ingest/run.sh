#!/usr/bin/env bash
# Ingest throughput: kg ingest over the BBC corpus (2,225 articles, 5 MB) and over a 20x larger
# dump made from it (each copy's articles altered by one line so content hashes differ), with 1
# worker and with all workers. Prints articles/s, MB/s and peak RSS (GNU time -v) per run.
#
#   bench/ingest/run.sh [BUILD_DIR] [SHARED_DATA_DIR]
#   X20=0 bench/ingest/run.sh ...   # the BBC folder only (the 20x dump takes minutes)
#
# CPU s is user + system time of the whole process (reader, workers, writer, RocksDB's threads);
# MB/CPU-s = text MB / CPU s, the per-core figure, steadier than wall time on a busy machine.
# Needs /usr/bin/time (Debian package "time"). Writes only under a temporary directory.
# On a busy machine compare builds with bench/ingest/instructions.sh (instruction counts).
set -euo pipefail
build=${1:-build}
data=${2:-$(dirname "$0")/../../../shared/data}
kg="$build/tools/kg"
bbc="$data/news/bbc"
[ -x "$kg" ] || { echo "no kg binary at $kg (give the build dir)"; exit 1; }
[ -d "$bbc" ] || { echo "no BBC corpus at $bbc"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The 20x dump: JSON Lines, copy k of each article gets a first line "Copy k." so hashes differ.
python3 - "$bbc" "$tmp/bbc20.jsonl" <<'PY'
import json, os, sys
root, out_path = sys.argv[1], sys.argv[2]
files = []
for dirpath, _, names in os.walk(root):
    for n in names:
        if n.endswith(".txt"):
            files.append(os.path.join(dirpath, n))
files.sort()
articles = []
for f in files:
    raw = open(f, "rb").read().decode("utf-8", errors="replace")
    lines = raw.split("\n", 1)
    articles.append((os.path.relpath(f, root), lines[0].strip(), lines[1] if len(lines) > 1 else ""))
with open(out_path, "w") as out:
    for k in range(20):
        for rel, title, body in articles:
            out.write(json.dumps({"id": f"{rel}#{k}", "title": title,
                                  "text": f"Copy {k}.\n\n{body}"}) + "\n")
PY

cores=$(nproc)
printf '%-10s %-8s %9s %9s %8s %9s %8s %8s %10s\n' dump workers articles seconds art/s MB/s CPU_s MB/CPU-s RSS_MB
run() {
  local name=$1 dump=$2 workers=$3
  rm -rf "$tmp/db"
  /usr/bin/time -v "$kg" --db "$tmp/db" ingest --quiet --summary json --workers "$workers" "$dump" \
    >"$tmp/summary.json" 2>"$tmp/time.txt"
  python3 - "$tmp/summary.json" "$tmp/time.txt" "$name" "$workers" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))
t = open(sys.argv[2]).read()
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + \
      float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
mb = s['mb_per_second'] * s['seconds']
print(f"{sys.argv[3]:<10} {sys.argv[4]:<8} {s['ingested']:>9} {s['seconds']:>9.1f} "
      f"{s['articles_per_second']:>8.1f} {s['mb_per_second']:>9.3f} {cpu:>8.1f} "
      f"{mb / cpu if cpu else 0:>8.2f} {rss_kb/1024:>8.0f}")
PY
}
run bbc "$bbc" 1
run bbc "$bbc" "$cores"
if [ "${X20:-1}" != 0 ]; then
  run bbc20 "$tmp/bbc20.jsonl" 1
  run bbc20 "$tmp/bbc20.jsonl" "$cores"
fi

# The text pipeline alone (read + clean + sentences + tokens, no extraction, no store).
echo
echo "reader + text pipeline only (kg-inspect articles over the 20x dump):"
/usr/bin/time -f "%e s wall, %U s user, %M kB peak RSS" "$(dirname "$kg")/kg-inspect" articles --sentences "$tmp/bbc20.jsonl" >/dev/null
