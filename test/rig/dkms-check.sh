#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# "dkms build" of vfio-pci-wc, as its dkms.conf describes it, for every
# kernel of the rig, in the rig's own header trees (dkms-build.sh); and a
# clean refusal (dkms exit status 77, BUILD_EXCLUSIVE, no module) for
# kernels outside BUILD_EXCLUSIVE_KERNEL and for one without
# CONFIG_VFIO_PCI_CORE (BUILD_EXCLUSIVE_CONFIG), in the same temporary dkms
# trees: nothing is registered with, or installed into, either system.
#
#   test/rig/dkms-check.sh
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
RIG=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}/rig
src=$top/kernel/linux/vfio-pci-wc
c=$(readlink -f "$RIG/trixie-chroot" 2>/dev/null) || true
[ -n "$c" ] && [ -x "$c/usr/sbin/dkms" ] ||
	{ echo "dkms-check: no dkms in $RIG/trixie-chroot: run test/rig/setup-rig.sh" >&2; exit 1; }
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$src/dkms.conf")
ver=$(cat "$top/VERSION")  # dkms-build.sh fills dkms.conf's placeholder with it
mod=$(sed -n 's/^BUILT_MODULE_NAME\[0\]="\(.*\)"$/\1/p' "$src/dkms.conf")
[ -n "$name" ] && [ -n "$ver" ] && [ -n "$mod" ] ||
	{ echo "dkms-check: cannot read $src/dkms.conf" >&2; exit 1; }

work=$(mktemp -d /tmp/dkms-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
DKMS_BUILD_KEEP=$work sh "$top/test/rig/dkms-build.sh" "$src" "$work/out" || failed=1
trees="--dkmstree $work/tree --sourcetree $work/src --installtree $work/inst"

# refuse KERNEL KDIR WHY: dkms must refuse with status 77 (BUILD_EXCLUSIVE)
# and build nothing.
refuse() {
	set +e
	# shellcheck disable=SC2086 # $trees is a list of options
	sh "$top/test/rig/in-trixie.sh" "$work" -- dkms build -m "$name" -v "$ver" -k "$1" \
		-a x86_64 --kernelsourcedir "$2" $trees > "$work/out.log" 2>&1 < /dev/null
	rc=$?
	set -e
	if [ "$rc" = 77 ] && grep -q BUILD_EXCLUSIVE "$work/out.log" &&
	   [ ! -e "$work/tree/$name/$ver/$1/x86_64/module" ]; then
		echo "ok: dkms refuses $1, $3 (status 77, BUILD_EXCLUSIVE, nothing built)"
	else
		cat "$work/out.log"
		echo "FAIL: dkms build for $1 ($3): status $rc, expected a refusal"
		failed=1
	fi
}
# Outside the range, against a real tree, so only the version can refuse.
any=$(head -n 1 "$RIG/kernels-trixie.list" | cut -d' ' -f3)
kdir=$RIG/kheaders/$any/root/usr/src/linux-headers-$any
for k in 5.10.0-30-amd64 6.0.0-99-amd64 8.0.0+deb14-amd64 10.1.0-1-amd64; do
	refuse "$k" "$kdir" "outside 6.1 to 7.x"
done
# Inside the range, but a kernel built without vfio_pci_core: a tree
# holding just the two files DKMS reads BUILD_EXCLUSIVE_CONFIG from
# (include/config/auto.conf, else .config), copied from the real tree
# without CONFIG_VFIO_PCI_CORE. DKMS refuses before it builds anything.
grep -q '^CONFIG_VFIO_PCI_CORE=[ym]' "$kdir/include/config/auto.conf" ||
	{ echo "FAIL: $kdir has no CONFIG_VFIO_PCI_CORE: the check below would prove nothing"; exit 1; }
nocore=$work/kdir-no-vfio-pci-core
mkdir -p "$nocore/include/config"
grep -v '^CONFIG_VFIO_PCI_CORE=' "$kdir/include/config/auto.conf" > "$nocore/include/config/auto.conf"
grep -v '^CONFIG_VFIO_PCI_CORE=' "$kdir/.config" > "$nocore/.config"
refuse 7.3.99+nocore-amd64 "$nocore" "a 7.x kernel without CONFIG_VFIO_PCI_CORE"
exit $failed
