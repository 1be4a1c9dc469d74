#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build vfio-pci-wc against one kernel build tree, in a copy of the sources
# at OUT (kbuild builds where the sources are; several kernels must not
# share objects, and the source tree stays clean). W=1, and any warning
# fails the build.
#
#   kernel/linux/build-module.sh [--no-host-headers] OUT KDIR [arm64]
#
# --no-host-headers: KDIR is a self-contained tree (the rig's cached ones)
# and nothing under the host's /usr/src/linux-headers-* may be read. The
# build runs with /usr/src hidden behind an empty tmpfs in a mount
# namespace of its own, and the dependency lists kbuild writes (.*.cmd)
# are checked afterwards; either finding fails the build loudly. A host
# that once had Debian's header packages installed would otherwise hide a
# tree that still points there.
set -eu

no_host=0
if [ "${1:-}" = --no-host-headers ]; then
	no_host=1
	shift
fi
src=$(cd "$(dirname "$0")" && pwd)/vfio-pci-wc
out=$1
kdir=$2
arch=${3:-}

[ -d "$kdir" ] || { echo "build-module: kernel build tree $kdir not found" >&2; exit 1; }
mkdir -p "$out"
# Copy only what changed, so make can skip unchanged work.
(cd "$src" && find . -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
	! -path './test/*') | while read -r f; do
	mkdir -p "$out/$(dirname "$f")"
	cmp -s "$src/$f" "$out/$f" || cp "$src/$f" "$out/$f"
done
# The project's version, which Kbuild reads beside the sources.
cmp -s "$src/../../../VERSION" "$out/VERSION" || cp "$src/../../../VERSION" "$out/VERSION"
set --
[ "$arch" = arm64 ] && set -- ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
log=$out/build.log
host_headers='/usr/src/linux-headers-'
# A path that starts at the host's root, not a cached tree's .../usr/src.
host_re='(^|[^A-Za-z0-9_./+-])/usr/src/linux-headers-'
# Prints the first place the build reached for the host's header trees.
host_header_use() {
	{ grep -h -m1 -E "$host_re" "$log" 2>/dev/null ||
	  find "$out" -name '.*.cmd' -exec grep -h -m1 -E "$host_re" {} + 2>/dev/null ||
	  true; } | head -n 1 | sed 's/^[[:space:]]*//' | cut -c1-160
}
guard_fail() {
	echo "build-module: guard: building vfio-pci-wc against $kdir read the host's $host_headers* ($1); the rig must build against its cached header trees alone" >&2
	exit 1
}
mask=0
if [ "$no_host" = 1 ] && [ -d /usr/src ] && unshare -m true 2>/dev/null; then
	mask=1
fi
run_make() {
	if [ "$mask" = 1 ]; then
		unshare -m sh -c 'mount -t tmpfs -o ro,size=64k dpdk-wc-no-host-headers /usr/src && exec "$@"' \
			sh make "$@"
	else
		make "$@"
	fi
}
if [ "$no_host" = 1 ]; then
	find "$out" -name '.*.cmd' -delete
fi
if ! run_make -C "$out" KDIR="$kdir" "$@" W=1 > "$log" 2>&1; then
	cat "$log"
	if [ "$no_host" = 1 ] && [ -n "$(host_header_use)" ]; then
		guard_fail "$(host_header_use)"
	fi
	echo "build-module: vfio-pci-wc failed to build against $kdir" >&2
	exit 1
fi
if [ "$no_host" = 1 ] && [ -n "$(host_header_use)" ]; then
	guard_fail "$(host_header_use)"
fi
if grep -q 'warning:' "$log"; then
	grep 'warning:' "$log"
	echo "build-module: vfio-pci-wc has W=1 warnings against $kdir" >&2
	exit 1
fi
# What "modinfo" must show a user: license, description, version.
for field in license description version; do
	v=$(modinfo -F "$field" "$out/vfio_pci_wc.ko")
	[ -n "$v" ] || { echo "build-module: vfio_pci_wc.ko has no $field" >&2; exit 1; }
done
echo "build-module: $out/vfio_pci_wc.ko ($(modinfo -F version "$out/vfio_pci_wc.ko"), $(modinfo -F license "$out/vfio_pci_wc.ko"))"
