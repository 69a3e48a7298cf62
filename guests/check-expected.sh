#!/usr/bin/env bash
# Check (default) or regenerate (--update) guests/expected/ from QEMU, the oracle.
#   guests/check-expected.sh [--update] [NAME...]
# For every program (or the NAMEs given): runs it on QEMU with expected/NAME.in as input if
# present; runs it a second time under the instruction-count plugin and requires identical
# output (reproducibility); compares with the independent model in check/NAME.py (prints
# the expected output; gets the input file as argument) or check/NAME-verify.py (reads the
# output file, exits non-zero on a wrong line) when one exists. Without --update it also
# compares with expected/NAME.out and expected/NAME.icount. With --update it writes them,
# but only if QEMU is reproducible and the model (if any) agrees. Programs that read stdin
# get no .icount: the UART polling loop makes QEMU's count vary from run to run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
make -s -C "$root" guests >/dev/null || { echo "make guests failed" >&2; exit 1; }

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for src in "$here"/programs/*.c "$here"/programs/*.S; do
    [ -e "$src" ] || continue
    n=$(basename "$src"); names+=("${n%.*}")
  done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
for name in "${names[@]}"; do
  elf=$root/build/guests/$name.elf
  input=$here/expected/$name.in
  args=("$elf"); [ -f "$input" ] && args+=("$input")
  problems=()
  "$here/qemu-run.sh" "${args[@]}" >"$tmp/out"; rc=$?
  [ $rc -eq 0 ] || problems+=("exit status $rc")
  count=$("$here/qemu-icount.sh" "${args[@]}" 2>"$tmp/out2")
  cmp -s "$tmp/out" "$tmp/out2" || problems+=("output differs between two QEMU runs")
  if [ -f "$here/check/$name.py" ]; then
    if [ -f "$input" ]; then python3 "$here/check/$name.py" "$input" >"$tmp/model"
    else python3 "$here/check/$name.py" >"$tmp/model"; fi
    cmp -s "$tmp/out" "$tmp/model" || problems+=("QEMU output differs from check/$name.py")
    model="model"
  elif [ -f "$here/check/$name-verify.py" ]; then
    python3 "$here/check/$name-verify.py" "$tmp/out" >"$tmp/verify" 2>/dev/null \
      || problems+=("check/$name-verify.py rejects the output: $(head -3 "$tmp/verify")")
    model="verifier"
  else
    model="no model"
  fi
  if [ $update -eq 1 ]; then
    if [ ${#problems[@]} -eq 0 ]; then
      cp "$tmp/out" "$here/expected/$name.out"
      if [ -f "$input" ]; then rm -f "$here/expected/$name.icount"
      else echo "$count" >"$here/expected/$name.icount"; fi
    fi
  else
    cmp -s "$tmp/out" "$here/expected/$name.out" 2>/dev/null || problems+=("output differs from expected/$name.out")
    if [ ! -f "$input" ]; then
      want=$(cat "$here/expected/$name.icount" 2>/dev/null)
      [ "$count" = "$want" ] || problems+=("QEMU count $count, expected/$name.icount says ${want:-nothing}")
    fi
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    printf '%-14s ok (%s, %s instructions)\n' "$name" "$model" "$count"
  else
    failures=$((failures + 1))
    printf '%-14s FAILED: %s\n' "$name" "$(IFS=';'; echo "${problems[*]}")"
  fi
done
exit $((failures > 0))
