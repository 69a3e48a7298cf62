# tbsim's heavy guest: riscv64 Linux + busybox initramfs + OpenSBI, from Debian
# packages only (guests/linux/README.md). Included by the top-level Makefile.

LINUX_OUT  := $(or $(BUILD),build)/linux
LINUX_SRC  := guests/linux
LINUX_QEMU_TIMEOUT ?= 120
# The script both machines run; compare-qemu-linux-compute runs the compute-heavy one.
LINUX_STDIN ?= $(LINUX_SRC)/sample-stdin.txt

.PHONY: guest-linux compare-qemu-linux compare-qemu-linux-compute

# Builds once per content of guests/linux/{build.sh,kernel.config,busybox.config,init}
# into $${TBSIM_CACHE:-/var/cache/tbsim}; later calls only copy the cached files.
guest-linux:
	JOBS=2 bash $(LINUX_SRC)/build.sh $(LINUX_OUT)

# Boots the guest on QEMU's virt machine with the sample script (or LINUX_STDIN) on the
# UART; console output goes to $(LINUX_OUT)/qemu-stdout.txt.
compare-qemu-linux: test-deps guest-linux build
	bash $(LINUX_SRC)/qemu-run.sh $(LINUX_OUT) $(LINUX_STDIN) \
	    $(LINUX_OUT)/qemu-stdout.txt $(LINUX_QEMU_TIMEOUT)
	.build/release/tbsim run --linux --stdin $(LINUX_STDIN) \
	    --stdout $(LINUX_OUT)/tbsim-stdout.txt --stats
	@# Lines naming the machine itself differ by design (board name, MMU modes QEMU 7.2
	@# cannot switch off, PLIC size, device-tree size in the memory line).
	@filter='Platform Name|Machine model|^mmu[[:space:]]|^Memory: |plic: .*mapped'; \
	grep -avE "$$filter" $(LINUX_OUT)/qemu-stdout.txt > $(LINUX_OUT)/qemu-compared.txt; \
	grep -avE "$$filter" $(LINUX_OUT)/tbsim-stdout.txt > $(LINUX_OUT)/tbsim-compared.txt; \
	if cmp -s $(LINUX_OUT)/qemu-compared.txt $(LINUX_OUT)/tbsim-compared.txt; then \
	  echo "console output agrees on QEMU and tbsim ($$(wc -l < $(LINUX_OUT)/tbsim-compared.txt) lines; machine-identity lines left out)"; \
	else \
	  echo "console output differs (QEMU <, tbsim >):"; \
	  diff $(LINUX_OUT)/qemu-compared.txt $(LINUX_OUT)/tbsim-compared.txt; exit 1; \
	fi

# The same with the compute-heavy script (ash and awk arithmetic loops, 2.56 G
# instructions; awk's numbers are doubles): the figure the README's table reports.
compare-qemu-linux-compute:
	$(MAKE) compare-qemu-linux LINUX_STDIN=$(LINUX_SRC)/compute-stdin.txt
