#!/usr/bin/env bash
# Run a tbsim guest ELF on QEMU (the oracle): guests/qemu-run.sh ELF [STDIN_FILE]
# Prints the guest's console output on stdout and exits with the guest's exit code
# (the test finisher's code), 124 on timeout. Extra QEMU options: $QEMU_EXTRA (e.g. a plugin).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 ELF [STDIN_FILE]" >&2
  exit 2
fi
elf=$1
input=${2:-/dev/null}
[ -r "$elf" ] || { echo "$0: cannot read ELF '$elf'" >&2; exit 2; }
[ -r "$input" ] || { echo "$0: cannot read input '$input'" >&2; exit 2; }
timeout_s=${QEMU_TIMEOUT:-120}

# QEMU's UART gives no end-of-input signal (LSR.DR is simply 0 until more bytes come), so
# the number of input bytes is written into guest RAM at 0x87000000 as an "input
# descriptor": magic "TIMINPUT" (little-endian u64), then the byte count (u64). The runtime
# reads exactly that many bytes from the UART, then reports end of input. tbsim has no
# descriptor (that RAM is zero) and ends input when LSR.DR = 0.
# The UART is QEMU's stdio chardev: stdin redirected from the input file (QEMU 7.2's file
# chardev has no input path), stdout into a temporary file that is printed at the end.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/out"
# A pipe or device (e.g. <(…)) is copied first: its size must be known up front.
if [ ! -f "$input" ]; then
  cat "$input" >"$tmp/in"
  input=$tmp/in
fi
len=$(stat -L -c %s "$input")

set +e
# -icount shift=0,sleep=off: one virtual nanosecond per instruction, time never waits on
# the host clock, so timer interrupts and counters depend only on the instruction stream.
timeout --kill-after=5 "$timeout_s" qemu-system-riscv64 \
  -M virt -smp 1 -m 128M -bios none \
  -display none -monitor none -serial chardev:uart0 \
  -chardev stdio,id=uart0,signal=off \
  -icount shift=0,align=off,sleep=off \
  -device loader,addr=0x87000000,data=0x5455504e494d4954,data-len=8 \
  -device loader,addr=0x87000008,data="$len",data-len=8 \
  -kernel "$elf" ${QEMU_EXTRA:-} <"$input" >"$tmp/out"
rc=$?
set -e
cat "$tmp/out"
exit $rc
