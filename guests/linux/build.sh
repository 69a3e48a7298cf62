#!/usr/bin/env bash
# Builds tbsim's Linux guest from Debian packages only and caches it:
#   kernel   Debian linux-source-6.1, tinyconfig + guests/linux/kernel.config, riscv64 cross
#   busybox  Debian busybox source package, allnoconfig + guests/linux/busybox.config, static
#   initrd   gzip'd cpio (newc) with busybox, its applet links and guests/linux/init
#   firmware Debian opensbi's generic fw_jump.bin
# Usage: guests/linux/build.sh OUTDIR   (OUTDIR gets Image vmlinux initramfs.cpio.gz
#        fw_jump.bin versions.txt, and the full kernel/busybox configs and cpio list)
# Env:   TBSIM_CACHE (default /var/cache/tbsim), JOBS (default 2),
#        TBSIM_LINUX_REBUILD=1 ignores a cached result.
set -euo pipefail
# The whole script is one { ... } block: bash parses it completely before running it,
# so editing this file during a build cannot derail the running build.
{

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:?usage: build.sh OUTDIR}
CACHE_ROOT=${TBSIM_CACHE:-/var/cache/tbsim}
JOBS=${JOBS:-2}
# Fixed build time for every timestamp the builds embed (uname -v, busybox banner,
# cpio mtimes): 2024-01-01 00:00:00 UTC. The guest's output must not depend on when
# or where it was built.
EPOCH=1704067200
export SOURCE_DATE_EPOCH=$EPOCH
export KBUILD_BUILD_TIMESTAMP="Mon Jan  1 00:00:00 UTC 2024"
export KBUILD_BUILD_USER=tbsim KBUILD_BUILD_HOST=tbsim KBUILD_BUILD_VERSION=1
export LC_ALL=C TZ=UTC
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross binutils-riscv64-linux-gnu
          opensbi dpkg-dev make gcc libc6-dev bc bison flex perl xz-utils gzip cpio file)
CROSS=riscv64-linux-gnu-
KTAR=/usr/src/linux-source-6.1.tar.xz

T0=$(date +%s)
say() { printf '[guest-linux %4ds] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { printf '[guest-linux] error: %s\n' "$*" >&2; exit 1; }

# The cache key: everything in this folder that shapes the result. Debian package
# updates do not change it (versions.txt records what was used); set
# TBSIM_LINUX_REBUILD=1 or edit a file here to rebuild.
KEY=$(cd "$HERE" && cat build.sh kernel.config busybox.config init | sha256sum | cut -c1-16)
CACHED="$CACHE_ROOT/linux-$KEY"
ARTIFACTS=(Image vmlinux initramfs.cpio.gz fw_jump.bin versions.txt kernel.config.full busybox.config.full initramfs.list)

publish() {
    mkdir -p "$OUT"
    for f in "${ARTIFACTS[@]}"; do cp -f "$CACHED/$f" "$OUT/$f"; done
    say "outputs in $OUT (from cache $CACHED)"
    (cd "$OUT" && ls -l "${ARTIFACTS[@]}")
}

cache_complete() { [ -f "$CACHED/.complete" ]; }

if cache_complete && [ "${TBSIM_LINUX_REBUILD:-0}" != 1 ]; then
    say "cache hit: $CACHED"
    publish
    exit 0
fi

mkdir -p "$CACHE_ROOT"
# One builder at a time per cache; a second caller waits and then takes the cache hit.
exec 9>"$CACHE_ROOT/linux.lock"
flock -n 9 || { say "another build holds $CACHE_ROOT/linux.lock: waiting"; flock 9; }
if cache_complete && [ "${TBSIM_LINUX_REBUILD:-0}" != 1 ]; then
    say "cache filled by another build: $CACHED"
    publish
    exit 0
fi

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
aptget() { $SUDO apt-get -o DPkg::Lock::Timeout=900 -qq "$@"; }

# --- 1. Debian packages (installed only when missing) --------------------------
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    aptget update
    aptget install -y "${missing[@]}" >/dev/null
fi
[ -f "$KTAR" ] || die "$KTAR missing although linux-source-6.1 is installed"
FW=$(dpkg -L opensbi | grep '/generic/fw_jump\.bin$' | head -n1)
[ -n "$FW" ] && [ -f "$FW" ] || die "opensbi has no generic/fw_jump.bin (dpkg -L opensbi)"

# busybox comes as a source package: make sure a deb-src line for this suite exists.
if ! grep -rqsE '^(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    . /etc/os-release
    [ -n "${VERSION_CODENAME:-}" ] || die "no VERSION_CODENAME in /etc/os-release"
    say "adding deb-src for Debian $VERSION_CODENAME (/etc/apt/sources.list.d/tbsim-deb-src.sources)"
    $SUDO tee /etc/apt/sources.list.d/tbsim-deb-src.sources >/dev/null <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $VERSION_CODENAME
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    aptget update
fi
if ! apt-cache showsrc busybox 2>/dev/null | grep -q '^Version:'; then
    aptget update
    apt-cache showsrc busybox 2>/dev/null | grep -q '^Version:' \
        || die "apt knows no busybox source package even with a deb-src line"
fi

KVER=$(dpkg-query -W -f='${Version}' linux-source-6.1)
BBVER=$(apt-cache showsrc busybox | sed -n 's/^Version: //p' | sort -V | tail -n1)
OSBIVER=$(dpkg-query -W -f='${Version}' opensbi)
GCCVER=$(dpkg-query -W -f='${Version}' gcc-riscv64-linux-gnu)
LIBCVER=$(dpkg-query -W -f='${Version}' libc6-dev-riscv64-cross)

# --- 2. sources, unpacked once per Debian version under $CACHE_ROOT/src ----------
SRC="$CACHE_ROOT/src"; mkdir -p "$SRC"
# (make cannot cope with ":" in paths, and Debian versions may carry an epoch)
safe() { printf %s "$1" | tr ':~' '_-'; }
KSRC="$SRC/linux-source-6.1_$(safe "$KVER")"
if [ ! -f "$KSRC/.unpacked" ]; then
    say "unpacking $KTAR (linux-source-6.1 $KVER, ~1 min)"
    rm -rf "$KSRC" "$KSRC.tmp"; mkdir -p "$KSRC.tmp"
    tar -xf "$KTAR" -C "$KSRC.tmp"
    mv "$KSRC.tmp/linux-source-6.1" "$KSRC"; rmdir "$KSRC.tmp"
    touch "$KSRC/.unpacked"
fi
BBSRC="$SRC/busybox_$(safe "$BBVER")"
if [ ! -f "$BBSRC/.unpacked" ]; then
    say "fetching busybox $BBVER source (apt-get source)"
    rm -rf "$BBSRC" "$BBSRC.tmp"; mkdir -p "$BBSRC.tmp"
    (cd "$BBSRC.tmp" && apt-get -qq source "busybox=$BBVER" >/dev/null 2>&1) \
        || (cd "$BBSRC.tmp" && apt-get source "busybox=$BBVER") \
        || die "apt-get source busybox=$BBVER failed"
    d=$(find "$BBSRC.tmp" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n1)
    [ -n "$d" ] || die "apt-get source busybox produced no busybox-* directory"
    mv "$d" "$BBSRC"; rm -rf "$BBSRC.tmp"
    touch "$BBSRC/.unpacked"
fi

WORK="$CACHE_ROOT/build/linux-$KEY"
rm -rf "$WORK"; mkdir -p "$WORK/logs" "$WORK/out"
LOGS="$WORK/logs"

# run LOG CMD...: run quietly into a log, show its tail if it fails.
run() {
    local log="$LOGS/$1"; shift
    if ! "$@" >"$log" 2>&1; then
        echo "---- last lines of $log ----" >&2; tail -n 40 "$log" >&2
        die "failed: $*"
    fi
}

# check_fragment FRAGMENT CONFIG: each `CONFIG_X=v` line of FRAGMENT must be in
# CONFIG verbatim; each `# CONFIG_X is not set` must not be enabled there.
check_fragment() {
    local frag=$1 conf=$2 bad=0 line opt
    while IFS= read -r line; do
        case "$line" in
            CONFIG_*=*)
                grep -qxF -- "$line" "$conf" || {
                    opt=${line%%=*}
                    echo "  wanted $line, got: $(grep -E "^(# )?$opt[= ]" "$conf" || echo 'absent')" >&2
                    bad=1; }
                ;;
            "# CONFIG_"*" is not set")
                opt=${line#\# }; opt=${opt%% *}
                if grep -qE "^$opt=" "$conf"; then
                    echo "  wanted $opt off, got: $(grep -E "^$opt=" "$conf")" >&2; bad=1
                fi
                ;;
        esac
    done <"$frag"
    [ $bad = 0 ] || die "$conf does not satisfy $frag (options above)"
}

# The kernel and busybox are also cached on their own ($CACHE_ROOT/parts), keyed by
# their fragment, the Debian versions and a recipe string, so changing only /init or
# only the busybox fragment does not recompile the kernel. Their build trees
# ($CACHE_ROOT/build) survive a failed or interrupted run and resume incrementally.
# Bump RECIPE when a build step below changes in a way the fragments do not show.
RECIPE="r1 $CROSS $GCCVER $LIBCVER $KBUILD_BUILD_TIMESTAMP $EPOCH"
KHASH=$(cat "$HERE/kernel.config" <(echo "$KVER $RECIPE") | sha256sum | cut -c1-16)
BHASH=$(cat "$HERE/busybox.config" <(echo "$BBVER $RECIPE") | sha256sum | cut -c1-16)
KPART="$CACHE_ROOT/parts/kernel-$KHASH"
BPART="$CACHE_ROOT/parts/busybox-$BHASH"

# --- 3. kernel -------------------------------------------------------------------
if [ -f "$KPART/.complete" ]; then
    say "kernel: cached in $KPART"
else
    KB="$CACHE_ROOT/build/kernel-$KHASH"; mkdir -p "$KB"
    kmake() { make -C "$KSRC" O="$KB" ARCH=riscv CROSS_COMPILE=$CROSS "$@"; }
    say "kernel: tinyconfig + kernel.config"
    run kconfig.log kmake tinyconfig
    run kmerge.log "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KB" "$KB/.config" "$HERE/kernel.config"
    run kolddef.log kmake olddefconfig
    check_fragment "$HERE/kernel.config" "$KB/.config"
    say "kernel: compiling Image with -j$JOBS (the long step: ~10-20 min on 2 busy cores, log $LOGS/kbuild.log)"
    run kbuild.log kmake -j"$JOBS" Image
    rm -rf "$KPART.tmp"; mkdir -p "$KPART.tmp"
    cp "$KB/arch/riscv/boot/Image" "$KB/vmlinux" "$KPART.tmp/"
    cp "$KB/.config" "$KPART.tmp/kernel.config.full"
    cp "$KB/include/config/kernel.release" "$KPART.tmp/"
    touch "$KPART.tmp/.complete"; rm -rf "$KPART"; mv "$KPART.tmp" "$KPART"
    rm -rf "$KB"
    say "kernel: done ($(stat -c %s "$KPART/Image") bytes Image)"
fi

# --- 4. busybox --------------------------------------------------------------------
if [ -f "$BPART/.complete" ]; then
    say "busybox: cached in $BPART"
else
    BB="$CACHE_ROOT/build/busybox-$BHASH"; mkdir -p "$BB"
    bbmake() { make -C "$BBSRC" O="$BB" "$@"; }
    say "busybox: allnoconfig + busybox.config"
    run bbconfig.log bbmake allnoconfig
    # Apply the fragment: drop every line that names one of its options, append it.
    opts=$(grep -oE '^(# )?CONFIG_[A-Za-z0-9_]+' "$HERE/busybox.config" | sed 's/^# //' | sort -u)
    grep -vwF -f <(echo "$opts") "$BB/.config" >"$BB/.config.new" || true
    grep -E '^(CONFIG_|# CONFIG_)' "$HERE/busybox.config" >>"$BB/.config.new"
    mv "$BB/.config.new" "$BB/.config"
    run bboldconfig.log bash -c "yes '' | make -C '$BBSRC' O='$BB' oldconfig"
    check_fragment "$HERE/busybox.config" "$BB/.config"
    say "busybox: compiling a static riscv64 binary with -j$JOBS (~2-5 min, log $LOGS/bbbuild.log)"
    run bbbuild.log bbmake -j"$JOBS" busybox
    run bblinks.log bbmake busybox.links
    file "$BB/busybox" | grep -q 'statically linked' || die "busybox is not static: $(file "$BB/busybox")"
    file "$BB/busybox" | grep -q 'RISC-V' || die "busybox is not RISC-V: $(file "$BB/busybox")"
    rm -rf "$BPART.tmp"; mkdir -p "$BPART.tmp"
    cp "$BB/busybox" "$BB/busybox.links" "$BPART.tmp/"
    cp "$BB/.config" "$BPART.tmp/busybox.config.full"
    touch "$BPART.tmp/.complete"; rm -rf "$BPART"; mv "$BPART.tmp" "$BPART"
    rm -rf "$BB"
    say "busybox: done ($(stat -c %s "$BPART/busybox") bytes, $(wc -l <"$BPART/busybox.links") applets)"
fi
cp "$KPART/Image" "$KPART/vmlinux" "$KPART/kernel.config.full" "$BPART/busybox.config.full" "$WORK/out/"

# --- 5. initramfs ----------------------------------------------------------------
say "initramfs: cpio (newc) + gzip"
gcc -O2 -o "$WORK/gen_init_cpio" "$KSRC/usr/gen_init_cpio.c"
ST="$WORK/stage"; mkdir -p "$ST"
install -m 0755 "$BPART/busybox" "$ST/busybox"
install -m 0755 "$HERE/init" "$ST/init"
touch -h -d "@$EPOCH" "$ST/busybox" "$ST/init"
{
    for d in /bin /sbin /usr /usr/bin /usr/sbin /dev /proc /sys /root /etc; do
        echo "dir $d 0755 0 0"
    done
    echo "dir /tmp 1777 0 0"
    echo "nod /dev/console 0600 0 0 c 5 1"
    echo "nod /dev/null 0666 0 0 c 1 3"
    echo "file /bin/busybox $ST/busybox 0755 0 0"
    echo "file /init $ST/init 0755 0 0"
    sort -u "$BPART/busybox.links" | while read -r l; do
        [ "$l" = /bin/busybox ] || echo "slink $l /bin/busybox 0777 0 0"
    done
} >"$WORK/initramfs.list"
"$WORK/gen_init_cpio" -t "$EPOCH" "$WORK/initramfs.list" >"$WORK/initramfs.cpio"
gzip -n -9 <"$WORK/initramfs.cpio" >"$WORK/out/initramfs.cpio.gz"
cp "$WORK/initramfs.list" "$WORK/out/"

# --- 6. firmware, versions, publish ----------------------------------------------
cp "$FW" "$WORK/out/fw_jump.bin"
cat >"$WORK/out/versions.txt" <<EOF
cache-key $KEY
linux-source-6.1 $KVER
busybox (source) $BBVER
opensbi $OSBIVER ($FW)
gcc-riscv64-linux-gnu $GCCVER ($(${CROSS}gcc -dumpfullversion))
libc6-dev-riscv64-cross $LIBCVER
uname -r $(cat "$KPART/kernel.release")
EOF
touch "$WORK/out/.complete"
rm -rf "$CACHED"
mv "$WORK/out" "$CACHED"
rm -rf "$WORK"
say "built and cached in $CACHED"
publish
exit 0
}
