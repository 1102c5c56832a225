# rescalesim front door. `make demo` and `make test` set everything up on a
# fresh Debian 12 machine: missing packages are installed (apt-get, with sudo
# when not root), the build is configured with meson and built with ninja.

BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
PACKAGES = libglib2.0-dev libgsl-dev libcjson-dev libyaml-dev libcriterion-dev gnuplot-nox \
           meson ninja-build pkg-config gcc
# Only for `make fuzz`: clang with libFuzzer (Debian 12).
FUZZ_PACKAGES = clang libclang-rt-14-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps fuzz-deps install-missing setup build demo test test-asan fuzz bench clean

all: build

# Installs only what is missing (dpkg-query), so a set-up machine is quick.
deps:
	@$(MAKE) --no-print-directory install-missing PKGS="$(PACKAGES)"

fuzz-deps:
	@$(MAKE) --no-print-directory install-missing PKGS="$(FUZZ_PACKAGES)"

install-missing:
	@missing=""; for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) --buildtype=debugoptimized

setup: deps $(BUILD)/build.ninja

build: setup
	ninja -C $(BUILD)

# The reactive-mode walkthrough under the three schedulers, with plots.
demo: build
	./$(BUILD)/sim/cli/rescalesim compare scenarios/reactive-walkthrough.json --out out/demo
	@echo
	@echo "Plots:"
	@./$(BUILD)/sim/cli/rescalesim plot out/demo
	@./$(BUILD)/sim/cli/rescalesim plot out/demo/reactive/seed-1

test: build
	bash tools/run-tests.sh $(BUILD)

$(ASAN_BUILD)/build.ninja: | deps
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

test-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	bash tools/run-tests.sh $(ASAN_BUILD)

# libFuzzer targets of tests/fuzz with the address and undefined-behaviour
# sanitizers, in their own build; each runs FUZZ_SECONDS on one core.
$(FUZZ_BUILD)/build.ninja: | deps fuzz-deps
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dfuzzing=true \
	  -Dtests=disabled -Db_sanitize=address,undefined -Db_lundef=false

fuzz: deps fuzz-deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	bash tests/fuzz/run.sh $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh $(BUILD)
	bash bench/month.sh $(BUILD)
	bash bench/bench-sweep.sh $(BUILD)
	bash bench/check-suite.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) out
