#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# "dkms build" of a vfio-pci-wc DKMS source tree (the repository's
# kernel/linux/vfio-pci-wc, or /usr/src/vfio-pci-wc-VERSION as the
# vfio-pci-wc-dkms package installs it) for the rig's kernels, in the
# rig's own header trees. dkms is trixie's, from the rig chroot: inside it
# for the kernels trixie built, run on the host (it is a shell script) with
# the host's compiler and kbuild for the others, as build-kmods.sh does.
# Its trees (--dkmstree, --sourcetree, --installtree) live in a temporary
# folder: nothing is registered with, or installed into, either system.
#
#   test/rig/dkms-build.sh SRC OUTDIR [amd64|arm64]
#
# Leaves OUTDIR/ABI/MODULE.ko for every rig kernel and every header-only
# kernel line (of one arch, if given), prints one ok/FAIL line per kernel, exits 1 if any build failed.
# With DKMS_BUILD_KEEP=DIR the dkms trees are made in DIR and kept there
# (dkms-check.sh builds outside the range in them afterwards).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
RIG=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}/rig
src=$(cd "${1:?usage: dkms-build.sh SRC OUTDIR [ARCH]}" && pwd)
out=$(mkdir -p "${2:?usage: dkms-build.sh SRC OUTDIR [ARCH]}" && cd "$2" && pwd)
only=${3:-}
c=$(readlink -f "$RIG/trixie-chroot" 2>/dev/null) || true
[ -n "$c" ] && [ -x "$c/usr/sbin/dkms" ] ||
	{ echo "dkms-build: no dkms in $RIG/trixie-chroot: run test/rig/setup-rig.sh" >&2; exit 1; }
conf() { sed -n "s/^$1=\"\(.*\)\"\$/\1/p" "$src/dkms.conf"; }
name=$(conf PACKAGE_NAME)
ver=$(conf PACKAGE_VERSION)
mod=$(conf 'BUILT_MODULE_NAME\[0\]')
[ -n "$name" ] && [ -n "$ver" ] && [ -n "$mod" ] ||
	{ echo "dkms-build: cannot read $src/dkms.conf" >&2; exit 1; }
# The tree's dkms.conf has the placeholder the package fills in
# (debian/rules); a tree build takes the project's VERSION, as a by-hand
# install does. An installed source carries its own VERSION.
placeholder=no
if [ "$ver" = "#MODULE_VERSION#" ]; then
	placeholder=yes
	ver=$(cat "$src/VERSION" 2>/dev/null || cat "$src/../../../VERSION" 2>/dev/null) ||
		{ echo "dkms-build: $src/dkms.conf has no version and there is no VERSION file" >&2; exit 1; }
fi

if [ -n "${DKMS_BUILD_KEEP:-}" ]; then
	work=$DKMS_BUILD_KEEP
else
	work=$(mktemp -d /tmp/dkms-build.XXXXXX)
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/src/$name-$ver" "$work/tree" "$work/inst"
(cd "$src" && cp -r dkms.conf Makefile Kbuild ./*.c ./*.h uapi "$work/src/$name-$ver/")
if [ "$placeholder" = yes ]; then
	sed -i "s/#MODULE_VERSION#/$ver/" "$work/src/$name-$ver/dkms.conf"
	echo "$ver" > "$work/src/$name-$ver/VERSION"
else
	cp "$src/VERSION" "$work/src/$name-$ver/" ||
		{ echo "dkms-build: $src has no VERSION file (the module's version)" >&2; exit 1; }
fi
trees="--dkmstree $work/tree --sourcetree $work/src --installtree $work/inst"

# dk host|trixie dkms-arguments...
dk() {
	via=$1
	shift
	if [ "$via" = trixie ]; then
		sh "$top/test/rig/in-trixie.sh" "$work" -- dkms "$@" < /dev/null
	else
		bash "$c/usr/sbin/dkms" "$@" < /dev/null
	fi
}

# shellcheck disable=SC2086 # $trees is a list of options
dk host add -m "$name" -v "$ver" $trees > "$work/add.log" 2>&1 ||
	{ cat "$work/add.log"; echo "FAIL: dkms add"; exit 1; }

failed=0
# build host|trixie arch abi
build() {
	[ -z "$only" ] || [ "$only" = "$2" ] || return 0
	kdir=$RIG/kheaders/$3/root/usr/src/linux-headers-$3
	a=x86_64
	[ "$2" = arm64 ] && a=arm64
	ko=$work/tree/$name/$ver/$3/$a/module/$mod.ko
	# shellcheck disable=SC2086
	if dk "$1" build -m "$name" -v "$ver" -k "$3" -a "$a" \
		--kernelsourcedir "$kdir" $trees > "$work/build.log" 2>&1 &&
	   [ -f "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$3 "; then
		mkdir -p "$out/$3"
		cp "$ko" "$out/$3/"
		echo "ok: dkms build for $3 ($1): $(modinfo -F vermagic "$ko")"
	else
		cat "$work/build.log"
		echo "FAIL: dkms build for $3 ($1)"
		failed=1
	fi
}

# build_list host|trixie LIST: build for every kernel LIST names; on the
# host, arm64 trees are cross-built.
build_list() {
	[ -s "$2" ] || return 0
	while read -r arch line abi vmlinuz; do
		if [ "$1" = host ] && [ "$arch" = arm64 ]; then
			export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
		fi
		build "$1" "$arch" "$abi"
		unset ARCH CROSS_COMPILE
	done < "$2"
}
build_list host "$RIG/kernels.list"
build_list trixie "$RIG/kernels-trixie.list"
# The kernel lines no guest boots (setup-rig.sh: header-only), unless
# DKMS_BUILD_BOOTED_ONLY=1 (pkg-image.sh wants modules for guests alone).
if [ "${DKMS_BUILD_BOOTED_ONLY:-0}" != 1 ]; then
	build_list host "$RIG/kernels-headers.list"
	build_list trixie "$RIG/kernels-headers-trixie.list"
fi
exit $failed
