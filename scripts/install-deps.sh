#!/usr/bin/env bash
# Installs the Debian packages kg needs to build and run, and with --test also what the tests
# need (Debian's chromium for the browser test), and with --sanitize clang and libFuzzer for
# `make test-sanitize` / `make fuzz`. Idempotent: when everything is present it prints
# nothing and returns in well under a second. Uses sudo when not run as root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  librocksdb-dev libboost-graph-dev libcpp-httplib-dev libfmt-dev catch2
  nlohmann-json3-dev libsimdjson-dev libcli11-dev libutf8proc-dev zlib1g-dev libre2-dev
  iso-codes wamerican wbritish
  libjemalloc-dev
)
# The web explorer's front-end packages come from npm (scripts/install-web.sh). Node.js may already
# be installed from elsewhere (e.g. NodeSource): ask apt for it only when npm is missing.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
if [ "${1:-}" = "--test" ]; then
  PACKAGES+=(chromium)
fi
if [ "${1:-}" = "--sanitize" ]; then
  PACKAGES+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
