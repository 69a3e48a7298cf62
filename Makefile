# tbsim — every build step the README promises. `make run` and `make test` are the
# two entry points; both install what they need first.

SWIFT      ?= swift
CLANG      ?= clang
GUEST_LD   ?= ld.lld
BUILD      := build
GUEST_OUT  := $(BUILD)/guests
GUEST_SRC  := guests
GUEST_CFLAGS := --target=riscv64-unknown-elf -march=rv64gc -mabi=lp64d -mcmodel=medany \
                -O2 -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-stack-protector \
                -Wall -Werror -I$(GUEST_SRC)/runtime
GUEST_LDFLAGS := -T $(GUEST_SRC)/runtime/link.ld --no-relax -nostdlib -z nognustack
RUNTIME_SRCS := $(wildcard $(GUEST_SRC)/runtime/*.S) $(wildcard $(GUEST_SRC)/runtime/*.c)
RUNTIME_OBJS := $(patsubst $(GUEST_SRC)/runtime/%,$(GUEST_OUT)/runtime/%.o,$(RUNTIME_SRCS))
PROGRAMS   := $(basename $(notdir $(wildcard $(GUEST_SRC)/programs/*.c) $(wildcard $(GUEST_SRC)/programs/*.S)))
GUEST_ELFS := $(addprefix $(GUEST_OUT)/,$(addsuffix .elf,$(PROGRAMS)))
TBSIM      := .build/release/tbsim

# What running needs, and what the tests and QEMU comparisons add (the oracle and dtc).
RUN_PACKAGES  := libzmq3-dev libsqlite3-dev pkg-config
TEST_PACKAGES := $(RUN_PACKAGES) qemu-system-misc device-tree-compiler sqlite3 iproute2

.PHONY: all deps test-deps guests guests-check build run test test-fast bench bench-network clean challenge-sweep k-sweep

all: build guests

# Debian packages, installed only when missing: `deps` for building and running,
# `test-deps` for the tests and the QEMU comparisons as well.
define install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(RUN_PACKAGES))

test-deps:
	$(call install_missing,$(TEST_PACKAGES))

guests: $(GUEST_ELFS)

# Re-run every guest on QEMU (the oracle) and compare with guests/expected and the models.
guests-check: test-deps guests
	guests/check-expected.sh

# Keep the objects (they are intermediate files to make) so rebuilds stay incremental.
.SECONDARY:

$(GUEST_OUT)/runtime/%.o: $(GUEST_SRC)/runtime/% $(wildcard $(GUEST_SRC)/runtime/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.o: $(GUEST_SRC)/programs/%.c $(wildcard $(GUEST_SRC)/runtime/*.h) $(wildcard $(GUEST_SRC)/programs/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.o: $(GUEST_SRC)/programs/%.S
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/%.o $(RUNTIME_OBJS) $(GUEST_SRC)/runtime/link.ld
	$(GUEST_LD) $(GUEST_LDFLAGS) $< $(RUNTIME_OBJS) -o $@

build: deps
	$(SWIFT) build -c release --product tbsim

# The main job: the built-in default scenario, end to end.
run: deps guests build
	$(TBSIM) scenario scenarios/honest.yaml

# The whole suite; nothing in it may be skipped. End-to-end scenario tests start the
# release binary (TBSIM_BIN) so the role processes run at full speed; the Linux guest is
# built (or taken from the cache) and its kernel handed to the tests (TBSIM_LINUX_IMAGE)
# so the Linux boot tests run too.
test: test-deps guests guest-linux
	$(SWIFT) build --build-tests
	$(SWIFT) build -c release --product tbsim
	@rm -f $(BUILD)/test-results*.xml
	TBSIM_BIN=$(CURDIR)/$(TBSIM) TBSIM_LINUX_IMAGE=$(CURDIR)/$(LINUX_OUT)/Image \
	    $(SWIFT) test --skip-build --xunit-output $(BUILD)/test-results.xml
	@# A skip under make test means an input the suite needs is missing: count skips, fail on any.
	@skipped=$$(sed -n 's/.*<testsuite [^>]*skipped="\([0-9]*\)".*/\1/p' $(BUILD)/test-results*.xml | awk '{s += $$1} END {print s + 0}'); \
	echo "skipped tests: $$skipped"; \
	if [ "$$skipped" -ne 0 ]; then grep -h -B1 '<skipped' $(BUILD)/test-results*.xml; exit 1; fi

# The inner loop: in-process tests only, under a minute once built. Leaves out what starts
# role processes or the CLI (ShippedScenarioTests, ChainCrashTests, NetworkNamespaceTests, ImpersonationTests, KeyFileTests, CLITests), boots Linux (LinuxGuestTests,
# the Linux lockstep, the QEMU Linux and OpenSBI boots) or runs QEMU (matchesQEMU, the
# QEMU device tree), and the four 100 M-instruction bench guests.
FAST_SKIP := ShippedScenarioTests|NetworkProcessTests|ChainCrashTests|NetworkNamespaceTests|SweepCommandTests|ImpersonationTests|KeyFileTests|LinuxGuestTests|CLITests|BootingLinux|GuestTests/matchesQEMU|AgreeWithQEMUVirt|BootsWithOurTree
EMPTY :=
COMMA := ,
FAST_GUESTS := $(subst $(EMPTY) $(EMPTY),$(COMMA),$(strip $(filter-out bench_%,$(PROGRAMS))))
test-fast: test-deps guests
	$(SWIFT) build --build-tests
	TBSIM_GUESTS=$(FAST_GUESTS) $(SWIFT) test --skip-build --skip '$(FAST_SKIP)'

# Settlement delay and gas as the number of silent liars grows, in each challenge mode
# (in-process runs); the table on standard output, plots in build/challenge-sweep.html.
challenge-sweep: deps guests build
	@mkdir -p $(BUILD)
	$(TBSIM) sweep scenarios/silent-liars.yaml --set 'verifiers[0].count=1,2,4,8,16,32' \
	    --set game.challenges=sequential,concurrent,chess-clock --csv - --html $(BUILD)/challenge-sweep.html

# The k sweep: the faulty-solver dispute with k = 2, 4, 8, 16, 32 under both root storage
# strategies (in-process runs); the table on standard output, plots in build/k-sweep.html.
k-sweep: deps guests build
	@mkdir -p $(BUILD)
	$(TBSIM) sweep scenarios/faulty-solver.yaml --set game.k=2..32*2 --set game.storage=per_root,roots_hash \
	    --csv - --html $(BUILD)/k-sweep.html

# Figures, never pass/fail: the machine's MIPS on the four bench guests side by side with
# QEMU's (net of its start-up, which is printed on its own line) and with the same C built
# natively by the host's `cc -O2` (guests/native/hosted.c; skipped with a line when there
# is no cc), then commitment costs, checkpoint memory at 2 GiB of guest RAM, the dispute
# overhead, signatures, the ledger, the Linux workload when built, and the 100-task network.
bench: test-deps guests build
	$(TBSIM) bench

# The scale figures of a verifier network alone (configs/network-bench.yaml: 100 tasks,
# 10 verifiers, 3 solvers, in one process): tasks/s, messages/s, disputes, peak memory.
# Figures only; `make bench` prints them last.
bench-network: deps guests build
	$(TBSIM) bench --only network

include guests/linux/linux.mk

clean:
	rm -rf $(BUILD)
