#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# "dkms build" of vfio-pci-wc, as its dkms.conf describes it, for every
# kernel of the rig, in the rig's own header trees; and a clean refusal
# (dkms exit status 77, BUILD_EXCLUSIVE, no module) for kernels outside
# BUILD_EXCLUSIVE_KERNEL. dkms is trixie's, from the rig chroot: inside it
# for the kernels trixie built, run on the host (a shell script) with the
# host's compiler and kbuild for the others, as build-kmods.sh builds them.
# Its trees (--dkmstree, --sourcetree, --installtree) are a temporary
# folder: nothing is registered with, or installed into, either system.
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
mkdir -p "$work/src/$name-$ver" "$work/tree" "$work/inst"
(cd "$src" && cp -r dkms.conf Makefile Kbuild ./*.c ./*.h uapi "$work/src/$name-$ver/")
set -- --dkmstree "$work/tree" --sourcetree "$work/src" --installtree "$work/inst"
trees="$*"

dk() { # host|trixie dkms-arguments...
	via=$1
	shift
	if [ "$via" = trixie ]; then
		sh "$top/test/rig/in-trixie.sh" "$work" -- dkms "$@" < /dev/null
	else
		bash "$c/usr/sbin/dkms" "$@" < /dev/null
	fi
}

failed=0
# shellcheck disable=SC2086 # $trees is a list of options
dk host add -m "$name" -v "$ver" $trees > "$work/add.log" 2>&1 ||
	{ cat "$work/add.log"; echo "FAIL: dkms add"; exit 1; }

build() { # host|trixie arch abi
	kdir=$RIG/kheaders/$3/root/usr/src/linux-headers-$3
	a=x86_64
	if [ "$2" = arm64 ]; then
		a=arm64
	fi
	ko=$work/tree/$name/$ver/$3/$a/module/$mod.ko
	# shellcheck disable=SC2086
	if dk "$1" build -m "$name" -v "$ver" -k "$3" -a "$a" \
		--kernelsourcedir "$kdir" $trees > "$work/build.log" 2>&1 &&
	   [ -f "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$3 "; then
		echo "ok: dkms build for $3 ($1): $(modinfo -F vermagic "$ko")"
	else
		cat "$work/build.log"
		echo "FAIL: dkms build for $3 ($1)"
		failed=1
	fi
}

while read -r arch line abi vmlinuz; do
	[ "$arch" = arm64 ] && export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	build host "$arch" "$abi"
	unset ARCH CROSS_COMPILE
done < "$RIG/kernels.list"
while read -r arch line abi vmlinuz; do
	build trixie "$arch" "$abi"
done < "$RIG/kernels-trixie.list"

# Outside the range, against a real tree, so only the version can refuse.
any=$(head -n 1 "$RIG/kernels-trixie.list" | cut -d' ' -f3)
kdir=$RIG/kheaders/$any/root/usr/src/linux-headers-$any
for k in 6.6.0-99-amd64 6.13.1+deb13-amd64 7.4.0+deb13-amd64; do
	set +e
	# shellcheck disable=SC2086
	dk trixie build -m "$name" -v "$ver" -k "$k" -a x86_64 --kernelsourcedir "$kdir" \
		$trees > "$work/out.log" 2>&1
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
