#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build our kernel module against every rig kernel's headers, into
# BUILD/kmod/<kernel>/ where rig.py finds it for scenarios that load it.
#
#   test/rig/build-kmods.sh BUILD
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$1
RIG=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}/rig

[ -f "$top/kernel/linux/vfio-pci-wc/Kbuild" ] || exit 0
while read -r arch line abi vmlinuz; do
	sh "$top/kernel/linux/build-module.sh" --no-host-headers "$BUILD/kmod/$abi" \
		"$RIG/kheaders/$abi/root/usr/src/linux-headers-$abi" "$arch"
done < "$RIG/kernels.list"
