# Sourced by scripts/test-sanitize.sh and scripts/fuzz.sh: the sanitizer runtime options and the
# one clang build directory both use (ASan + UBSan + libFuzzer coverage, docs/RELIABILITY.md).

# Any report ends the process with a failure (UBSan is also compiled -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-}"
# Tests whose work grows with their data (an ingest of the BBC corpus killed 20 times) take a
# smaller dump under the sanitizers, which make kg ~5x slower: same checks, less data.
export KG_SANITIZED=1
# The line tables (-gline-tables-only) would make ccache key on the build directory; without
# that, a clone elsewhere (CI) reuses the cache (report paths then name the first clone).
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

# ConfigureSanitizerBuild DIR: configures DIR with clang, KG_SANITIZE=address,undefined and
# KG_FUZZ=ON unless it is already configured so.
ConfigureSanitizerBuild() {
  local dir="$1"
  if [ -f "$dir/CMakeCache.txt" ] && grep -q '^KG_FUZZ:BOOL=ON' "$dir/CMakeCache.txt"; then
    return 0
  fi
  local cxx
  cxx=$(command -v clang++-14 || command -v clang++ || true)
  if [ -z "$cxx" ]; then
    echo "sanitizer build: clang++ not found (bash scripts/install-deps.sh --sanitize)" >&2
    return 1
  fi
  local launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
    "${launcher[@]}" -DKG_SANITIZE=address,undefined -DKG_FUZZ=ON \
    -DKG_ROCKSDB_STATIC=OFF >/dev/null
}
