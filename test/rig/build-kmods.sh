#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build our kernel module against every rig kernel's headers, into
# BUILD/kmod/<kernel>/ where rig.py finds it for scenarios that load it.
# Kernels in kernels.list are built on the host; those in
# kernels-trixie.list inside the rig's trixie chroot, with trixie's
# compiler and kbuild tools (they were built with them, and those tools do
# not run on the bookworm host). The host stays as it is.
#
#   test/rig/build-kmods.sh BUILD
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(mkdir -p "$1" && cd "$1" && pwd)
RIG=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}/rig

[ -f "$top/kernel/linux/vfio-pci-wc/Kbuild" ] || exit 0
while read -r arch line abi vmlinuz; do
	sh "$top/kernel/linux/build-module.sh" --no-host-headers "$BUILD/kmod/$abi" \
		"$RIG/kheaders/$abi/root/usr/src/linux-headers-$abi" "$arch"
done < "$RIG/kernels.list"

[ -s "$RIG/kernels-trixie.list" ] || exit 0
mkdir -p "$BUILD/kmod"
while read -r arch line abi vmlinuz; do
	sh "$top/test/rig/in-trixie.sh" "$top" "$BUILD/kmod" -- \
		sh "$top/kernel/linux/build-module.sh" --no-host-headers "$BUILD/kmod/$abi" \
		"$RIG/kheaders/$abi/root/usr/src/linux-headers-$abi" "$arch" < /dev/null
done < "$RIG/kernels-trixie.list"
