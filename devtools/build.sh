#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Prepare the host and build everything: DPDK (patched, from Debian's
# source) and our code, natively and, unless --no-rig, the arm64 cross build
# the guest rig boots. Run as root. Sourced by run-tests.sh and run-main.sh,
# which set $rig (1/0) first.
#
# Caches (outside the repository, keyed by content) make a second run
# quick: $DPDK_WC_CACHE (default /var/cache/dpdk-wc) holds the DPDK
# tarball, ccache's objects, the QEMU chroot and the guest kernels.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}
BUILD=${DPDK_WC_BUILD:-$top/build}
export DPDK_WC_CACHE=$CACHE
export CCACHE_DIR=$CACHE/ccache
# Hits across clones in different folders (CI clones anew every run).
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1

say() { echo "build: $*"; }
t0=$(date +%s)

sh "$here/setup-host.sh"
[ "$rig" = 1 ] && sh "$top/test/rig/setup-rig.sh"

# Meson applies the DPDK patch series when it extracts the source; if the
# series changed since, extract again.
stamp=$(cat "$top/subprojects/dpdk.wrap" "$top"/subprojects/packagefiles/dpdk/* | sha256sum | cut -c1-16)
wipe=""
if [ "$(cat "$top/subprojects/.dpdk-patch-stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$top"/subprojects/dpdk-stable-*
	echo "$stamp" > "$top/subprojects/.dpdk-patch-stamp"
	wipe="--wipe"
fi

# Our files inside DPDK's tree (the wrap's patch_directory) are copied
# when meson extracts the source; after that, refresh the copies that
# changed so an edit needs no new extraction.
for src_dir in "$top"/subprojects/dpdk-stable-*; do
	[ -d "$src_dir" ] || continue
	(cd "$top/subprojects/packagefiles/dpdk-overlay" && find -L . -type f) |
	while read -r f; do
		cmp -s "$top/subprojects/packagefiles/dpdk-overlay/$f" "$src_dir/$f" ||
			cp -L "$top/subprojects/packagefiles/dpdk-overlay/$f" "$src_dir/$f"
	done
done

rig_opt=-Dguest_rig=disabled
[ "$rig" = 1 ] && rig_opt=-Dguest_rig=enabled
setup() { # builddir [args...]
	dir=$1
	shift
	how=""
	if [ -f "$dir/build.ninja" ]; then
		how=${wipe:---reconfigure}
	fi
	mkdir -p "$(dirname "$dir")"
	meson setup $how "$dir" "$@" > "$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log"; exit 1; }
}

say "building (native) in $BUILD"
setup "$BUILD" "$rig_opt" "-Drig_cache=$CACHE"
meson compile -C "$BUILD" > "$BUILD.compile.log" 2>&1 ||
	{ tail -n 50 "$BUILD.compile.log"; exit 1; }
if [ "$rig" = 1 ]; then
	say "building (arm64 cross) in $BUILD/arm64"
	setup "$BUILD/arm64" --cross-file "$top/config/cross/arm64_linux_gnu.ini"
	meson compile -C "$BUILD/arm64" > "$BUILD/arm64.compile.log" 2>&1 ||
		{ tail -n 50 "$BUILD/arm64.compile.log"; exit 1; }
	say "building kernel modules for the rig kernels in $BUILD/kmod"
	sh "$top/test/rig/build-kmods.sh" "$BUILD"
fi
say "built in $(( $(date +%s) - t0 ))s"

