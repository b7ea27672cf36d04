# The two commands a newcomer needs (README.md):
#   make demo   installs what is missing, builds, ingests examples/ into ./kg.db, runs the G-7
#               query and starts the server on http://127.0.0.1:7474
#   make test   installs what is missing, builds, and runs every test through ctest
# .ci/run calls `make test`, then `make test-sanitize` and `make fuzz` (docs/RELIABILITY.md).

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps test-deps compile build demo test clean test-sanitize fuzz

all: build

deps:
	@bash scripts/install-deps.sh
	@bash scripts/install-web.sh

test-deps:
	@bash scripts/install-deps.sh --test
	@bash scripts/install-web.sh
	@bash scripts/install-interop.sh || echo "install-interop: npm failed; the export_interop test will be skipped" >&2

$(BUILD_DIR)/CMakeCache.txt:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

compile: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) -j $(JOBS)

build: deps
	@$(MAKE) --no-print-directory compile

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

test: test-deps
	@$(MAKE) --no-print-directory compile
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Reliability checks (docs/RELIABILITY.md), in their own clang build directory: the whole suite
# under AddressSanitizer + UBSan, and each libFuzzer target for FUZZ_SECONDS.
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
# Extra ctest arguments for the sanitizer suite, e.g. SANITIZE_CTEST_ARGS="-E tck_test".
SANITIZE_CTEST_ARGS ?=

test-sanitize: test-deps
	@bash scripts/install-deps.sh --sanitize
	@KG_ASAN_BUILD_DIR=$(ASAN_BUILD_DIR) JOBS=$(JOBS) bash scripts/test-sanitize.sh $(SANITIZE_CTEST_ARGS)

fuzz: deps
	@bash scripts/install-deps.sh --sanitize
	@KG_ASAN_BUILD_DIR=$(ASAN_BUILD_DIR) FUZZ_JOBS=$(FUZZ_JOBS) bash scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	@rm -rf $(BUILD_DIR)
