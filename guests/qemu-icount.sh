#!/usr/bin/env bash
# Print how many guest instructions QEMU executes for one run of a tbsim guest:
#   guests/qemu-icount.sh ELF [STDIN_FILE]
# Counts from the first instruction of the reset ROM at 0x1000 to the store into the test
# finisher, both included, one per executed instruction (trapping ones included; see
# guests/README.md). Uses the TCG plugin in guests/qemu-plugin/icount.c, built here for the
# host with clang. The guest's console output goes to stderr; the exit status is the guest's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 ELF [STDIN_FILE]" >&2
  exit 2
fi
plugin_dir=${GUEST_PLUGIN_DIR:-$root/build/guests/qemu-plugin}
plugin=$plugin_dir/libicount.so
src=$here/qemu-plugin/icount.c
if [ ! -f "$plugin" ] || [ "$src" -nt "$plugin" ]; then
  mkdir -p "$plugin_dir"
  ${HOST_CC:-clang} -O2 -shared -fPIC -Wall -Werror "$src" -o "$plugin"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
QEMU_EXTRA="-plugin $plugin,out=$tmp/count" "$here/qemu-run.sh" "$@" >&2
rc=$?
set -e
if [ ! -s "$tmp/count" ]; then
  echo "$0: QEMU wrote no instruction count (exit status $rc)" >&2
  exit 1
fi
cat "$tmp/count"
exit $rc
