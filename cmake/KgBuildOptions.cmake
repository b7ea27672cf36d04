# Warnings and sanitizers live in one INTERFACE target that every kg target links PRIVATE,
# so they never leak into third-party code (fmt scopes FMT_PEDANTIC the same way).
add_library(kg_build_options INTERFACE)
target_compile_features(kg_build_options INTERFACE cxx_std_20)
target_compile_options(kg_build_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
# GCC 12 reports -Wrestrict on `"literal" + std::string` inside libstdc++ at -O2 (a false
# positive, GCC bug 105329), which would bury real warnings.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(kg_build_options INTERFACE -Wno-restrict)
endif()
if(KG_WERROR)
  target_compile_options(kg_build_options INTERFACE -Werror)
endif()

# KG_SANITIZE=address,undefined (or thread): every report aborts the process, UBSan included
# (-fno-sanitize-recover), so a ctest run is clean only when nothing was reported. Line tables
# make the reports name file:line at little build cost; -O1 (after the build type's -O3) halves
# the compile time of an instrumented build, as libFuzzer's docs advise. docs/RELIABILITY.md.
if(KG_SANITIZE)
  target_compile_options(kg_build_options INTERFACE -O1
    -fsanitize=${KG_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(kg_build_options INTERFACE -gline-tables-only)
  else()
    target_compile_options(kg_build_options INTERFACE -g1)
  endif()
  target_link_options(kg_build_options INTERFACE -fsanitize=${KG_SANITIZE})
endif()

# KG_FUZZ (clang only): the libraries get libFuzzer's coverage instrumentation
# (-fsanitize=fuzzer-no-link) and tests/fuzz builds the libFuzzer targets. Combined with
# KG_SANITIZE=address,undefined, one build directory serves both the sanitizer test suite and the
# fuzzers (scripts/test-sanitize.sh, scripts/fuzz.sh). Without KG_FUZZ, tests/fuzz still builds
# each target with a small driver that replays its committed corpus as a ctest test.
option(KG_FUZZ "Build libFuzzer targets (clang only)" OFF)
if(KG_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "KG_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Only the layers the fuzzers explore (KG_FUZZ_COVERAGE, set in the top-level CMakeLists.txt):
  # coverage of the tests and tools would guide no fuzzer, and costs a fifth of their compile time.
  target_compile_options(kg_build_options INTERFACE
    $<$<BOOL:$<TARGET_PROPERTY:KG_FUZZ_COVERAGE>>:-fsanitize=fuzzer-no-link>)
endif()

# KG_CODE_ROLE "test" marks code that only drives the libraries (the Catch2 binaries), which keep
# their own optimisation: test code needs none of -O3's time (a third of a test file's compile
# time) and gets -O1 in Release, -O0 under the sanitizers (three times faster to compile than
# -O1 with coverage). The command lines keep their optimisation: at -O0 under the sanitizers
# they made the end-to-end tests twice as slow (the TCK 161 -> 243 s), more than their compile
# time saved. CI compiles everything twice in its 30 minutes (.ci/run).
set(kg_code_role "$<TARGET_PROPERTY:KG_CODE_ROLE>")
if(KG_SANITIZE)
  target_compile_options(kg_build_options INTERFACE
    $<$<STREQUAL:${kg_code_role},test>:-O0>)
else()
  target_compile_options(kg_build_options INTERFACE
    $<$<AND:$<STREQUAL:${kg_code_role},test>,$<CONFIG:Release,RelWithDebInfo>>:-O1>)
endif()
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
