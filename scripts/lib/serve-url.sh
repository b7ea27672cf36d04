# Sourced, not run: waits for a `kg serve` started in the background to print its address.
#
#   url=$(kg_serve_url OUT_FILE PID [TENTHS]) || fail "..."
#
# OUT_FILE is where the server's stdout goes. The shell that starts `kg serve ... >OUT_FILE &`
# opens that redirection in the background child, so the file may not exist yet when the first
# poll runs; a missing file is therefore "not yet", never an error (under `set -e` a failing
# `sed` in a command substitution would end the caller). Prints the URL and returns 0; returns 1
# when the server exits first or prints nothing within TENTHS tenths of a second (default 100).
kg_serve_url() {
  local out=$1 pid=$2 tenths=${3:-100} url="" _
  for _ in $(seq 1 "$tenths"); do
    if [ -f "$out" ]; then
      url=$(sed -n 's/^kg: serving \(http:[^ ]*\)$/\1/p' "$out")
      if [ -n "$url" ]; then printf '%s\n' "$url"; return 0; fi
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
