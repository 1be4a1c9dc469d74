#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build vfio-pci-wc against one kernel build tree, in a copy of the sources
# at OUT (kbuild builds where the sources are; several kernels must not
# share objects, and the source tree stays clean). W=1, and any warning
# fails the build.
#
#   kernel/linux/build-module.sh OUT KDIR [arm64]
set -eu

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
set --
[ "$arch" = arm64 ] && set -- ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
log=$out/build.log
if ! make -C "$out" KDIR="$kdir" "$@" W=1 > "$log" 2>&1; then
	cat "$log"
	echo "build-module: vfio-pci-wc failed to build against $kdir" >&2
	exit 1
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
