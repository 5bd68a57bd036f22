# sessiongate: `make demo` runs the local demo, `make test` every test; both set up a fresh machine first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all deps controlplane node configure build test unit e2e demo bench format clean

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

# Unit tests, the policy cases and the e2e suites against a local control plane, all as ctest tests; the
# output ends with ctest's summary.
test: build controlplane node
	cd $(BUILD_DIR) && ctest --output-on-failure $(CTEST_ARGS)

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -LE e2e $(CTEST_ARGS)

e2e: build controlplane node
	cd $(BUILD_DIR) && ctest --output-on-failure -L e2e $(CTEST_ARGS)

demo: build controlplane
	scripts/demo.sh $(BUILD_DIR)

# Benchmarks use the same optimised build (RelWithDebInfo: -O2, NDEBUG) as the tests, and print figures;
# nothing is asserted.
bench: build controlplane
	bench/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
