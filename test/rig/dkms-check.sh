#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# "dkms build" of vfio-pci-wc, as its dkms.conf describes it, for every
# kernel of the rig, in the rig's own header trees (dkms-build.sh); and a
# clean refusal (dkms exit status 77, BUILD_EXCLUSIVE, no module) for
# kernels outside BUILD_EXCLUSIVE_KERNEL, in the same temporary dkms
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
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
mod=$(sed -n 's/^BUILT_MODULE_NAME\[0\]="\(.*\)"$/\1/p' "$src/dkms.conf")
[ -n "$name" ] && [ -n "$ver" ] && [ -n "$mod" ] ||
	{ echo "dkms-check: cannot read $src/dkms.conf" >&2; exit 1; }

work=$(mktemp -d /tmp/dkms-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
DKMS_BUILD_KEEP=$work sh "$top/test/rig/dkms-build.sh" "$src" "$work/out" || failed=1
trees="--dkmstree $work/tree --sourcetree $work/src --installtree $work/inst"

# Outside the range, against a real tree, so only the version can refuse.
any=$(head -n 1 "$RIG/kernels-trixie.list" | cut -d' ' -f3)
kdir=$RIG/kheaders/$any/root/usr/src/linux-headers-$any
for k in 6.6.0-99-amd64 6.13.1+deb13-amd64 7.4.0+deb13-amd64; do
	set +e
	# shellcheck disable=SC2086 # $trees is a list of options
	sh "$top/test/rig/in-trixie.sh" "$work" -- dkms build -m "$name" -v "$ver" -k "$k" \
		-a x86_64 --kernelsourcedir "$kdir" $trees > "$work/out.log" 2>&1 < /dev/null
	rc=$?
	set -e
	if [ "$rc" = 77 ] && grep -q BUILD_EXCLUSIVE "$work/out.log" &&
	   [ ! -e "$work/tree/$name/$ver/$k" ]; then
		echo "ok: dkms refuses $k (status 77, BUILD_EXCLUSIVE, nothing built)"
	else
		cat "$work/out.log"
		echo "FAIL: dkms build for $k outside the range: status $rc"
		failed=1
	fi
done
exit $failed
