# sessiongate: `make demo` runs the local demo, `make test` every test; both set up a fresh machine first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all deps controlplane node configure build test unit e2e check sanitize-configure fuzz demo bench bench-scale format clean

all: build

deps:
	scripts/deps.sh

controlplane: deps
	scripts/controlplane/build.sh

# The real node's Go parts (kubelet, kube-scheduler, kube-proxy, kube-router, MetalLB), cached like the
# control plane; the e2e-node test needs them.
node: controlplane
	scripts/node/build.sh

$(BUILD_DIR)/build.ninja: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Every test: first the sanitizer build (check) and the fuzzers' smoke run (fuzz), then the unit tests, the
# policy cases and the e2e suites against a local control plane, all as ctest tests; the output ends with
# ctest's summary.
# The fuzz smoke of make test is a fixed sequence (seed 1, FUZZ_RUNS inputs per target from the seeds, at most
# FUZZ_SECONDS): it proves the fuzzers run and that every input tried here still passes; make fuzz explores.
test: FUZZ_RUNS ?= 100000
test: check fuzz build controlplane node
	cd $(BUILD_DIR) && ctest --output-on-failure $(CTEST_ARGS)

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -LE e2e $(CTEST_ARGS)

e2e: build controlplane node
	cd $(BUILD_DIR) && ctest --output-on-failure -L e2e $(CTEST_ARGS)

# check: the unit tests of the components without a control plane, built by clang with AddressSanitizer
# and UndefinedBehaviorSanitizer in $(SANITIZE_DIR) (also the proof that clang builds the code). The same
# tree carries libFuzzer's coverage instrumentation and the fuzz/ targets.
SANITIZE_DIR ?= build-sanitize
SANITIZE_TESTS ?= test_core test_webhook test_server test_certs test_cli
sanitize-configure: deps
	CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSESSIONGATE_SANITIZE=ON -DSESSIONGATE_FUZZ=ON

check: sanitize-configure
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target $(SANITIZE_TESTS)
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -L unit -R '^(core|webhook|server|certs|cli):' $(CTEST_ARGS)

# fuzz: each libFuzzer target of fuzz/ for FUZZ_SECONDS from its seed corpus (the test fixtures), as ctest
# tests of label fuzz run $(JOBS) at a time; a crash fails and leaves the input in
# $(SANITIZE_DIR)/fuzz/artifacts/. make test runs it with the default.
FUZZ_SECONDS ?= 60
fuzz: sanitize-configure
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target fuzzers
	cd $(SANITIZE_DIR) && FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) ctest --output-on-failure -L fuzz -j $(JOBS) $(CTEST_ARGS)

# The demo runs on the local node (root): sessiongate installed with kubectl apply -k, a session reached
# through MetalLB; everything is torn down at the end.
demo: build controlplane node
	scripts/demo.sh $(BUILD_DIR)

# Benchmarks use the same optimised build (RelWithDebInfo: -O2, NDEBUG) as the tests, and print figures;
# nothing is asserted.
bench: build controlplane node
	bench/run.sh $(BUILD_DIR)

# The controller alone at 5,000 sessions, next to its ceiling (allow about 40 minutes on 2 busy cores; the
# deletion phase and the kopf peer, measured at 500 by make bench, are left out: DELETE_BENCH=1 adds them,
# CEILING_BENCH=0 leaves out the ceiling), then the webhook's RSS with 5,000 UserSessions in its cache.
bench-scale: build controlplane
	SESSIONS=5000 TIMEOUT=$${TIMEOUT:-3600} POLL=$${POLL:-2} DELETE_BENCH=$${DELETE_BENCH:-0} \
	  bench/controller_bench.sh $(BUILD_DIR)
	SESSIONS=5000 bench/webhook_cache_rss.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
