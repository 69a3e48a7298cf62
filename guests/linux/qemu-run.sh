#!/usr/bin/env bash
# Boots the tbsim Linux guest on QEMU's virt machine and feeds a script to its UART.
# Usage: qemu-run.sh DIR STDIN OUTFILE [TIMEOUT_SECONDS]
#   DIR     holds Image, initramfs.cpio.gz, fw_jump.bin (make guest-linux)
#   STDIN   script fed to the serial console (ttyS0)
#   OUTFILE everything QEMU's serial port printed
# Env: FEED=ready (default) sends STDIN once the guest printed its ready marker;
#      FEED=now sends it before the guest boots (shows what early input does).
# The input goes through a FIFO so it is sent exactly when we choose and the
# serial port never sees end-of-file; QEMU only moves bytes from its stdio
# chardev into the 16550's receive FIFO while that FIFO has room, so nothing is
# dropped however much is written at once.
set -euo pipefail
DIR=${1:?usage: qemu-run.sh DIR STDIN OUTFILE [TIMEOUT]}
IN=${2:?stdin file}
OUTF=${3:?output file}
TMO=${4:-120}
FEED=${FEED:-ready}
MARKER='tbsim-guest: ready'
QEMU=${QEMU:-qemu-system-riscv64}
# A CPU as close to tbsim's as QEMU 7.2 allows: RV64GC without H, Sstc, PMU counters or
# Zihintpause, zero marchid/mimpid. (7.2 cannot limit satp to Sv39.)
QEMU_CPU=${QEMU_CPU:-rv64,h=false,sstc=false,pmu-num=0,marchid=0,mimpid=0,Zihintpause=false}

for f in Image initramfs.cpio.gz fw_jump.bin; do
    [ -f "$DIR/$f" ] || { echo "qemu-run: $DIR/$f missing (run make guest-linux)" >&2; exit 1; }
done
[ -f "$IN" ] || { echo "qemu-run: stdin file $IN missing" >&2; exit 1; }
command -v "$QEMU" >/dev/null || { echo "qemu-run: $QEMU not found (Debian package qemu-system-misc)" >&2; exit 1; }

tmp=$(mktemp -d)
qpid=""
cleanup() { [ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
mkfifo "$tmp/in"
exec 3<>"$tmp/in"          # read-write: never blocks, and keeps the FIFO open (no EOF)
: >"$OUTF"

# The input, ending in a newline and then Ctrl-D (0x04): if the script does not power
# off itself, the guest sees end of input and powers off.
{ cat "$IN"; [ -z "$(tail -c1 "$IN")" ] || echo; printf '\004'; } >"$tmp/feed"

now() { date +%s.%N; }
t0=$(now)
timeout --signal=KILL "$TMO" "$QEMU" -M virt -cpu "$QEMU_CPU" -m 128M -nographic -monitor none \
    -serial stdio \
    -bios "$DIR/fw_jump.bin" -kernel "$DIR/Image" -initrd "$DIR/initramfs.cpio.gz" \
    -append "console=ttyS0 earlycon=uart8250,mmio,0x10000000 initramfs_async=0" \
    <&3 >"$OUTF" 2>"$tmp/qemu.err" &
qpid=$!

if [ "$FEED" = now ]; then
    cat "$tmp/feed" >&3
else
    until grep -qF "$MARKER" "$OUTF"; do
        kill -0 "$qpid" 2>/dev/null || break
        sleep 0.02
    done
    tready=$(now)
    cat "$tmp/feed" >&3
fi
set +e
wait "$qpid"; rc=$?
set -e
qpid=""
t1=$(now)

echo "qemu-run: QEMU exit status $rc, output in $OUTF ($(wc -c <"$OUTF") bytes)"
[ ! -s "$tmp/qemu.err" ] || { echo "qemu-run: QEMU stderr:"; sed 's/^/  /' "$tmp/qemu.err"; }
[ -z "${tready:-}" ] || awk -v a="$t0" -v b="$tready" 'BEGIN { printf "qemu-run: boot to ready marker %.2f s\n", b - a }'
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "qemu-run: boot to power-off wall time %.2f s\n", b - a }'
if [ $rc = 137 ]; then
    echo "qemu-run: timed out after $TMO s (killed)" >&2; exit 1
fi
[ $rc = 0 ] || { echo "qemu-run: QEMU failed" >&2; exit 1; }
grep -qF "$MARKER" "$OUTF" || { echo "qemu-run: guest never printed '$MARKER'" >&2; exit 1; }
