#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Prepare the guest rig's heavy, cached inputs (idempotent, run as root):
#  - a Debian trixie chroot with QEMU >= 9 (bookworm's 7.2 does not fault
#    unaligned accesses to Arm Device memory), made with debootstrap;
#  - Debian guest kernels, 6.1 (bookworm) and 6.12 (bookworm-backports), for
#    amd64 and arm64, newest available, resolved now (never hard-coded), with
#    their headers for building our module;
#  - busybox-static for arm64 (the host's own is amd64).
# Everything lives under $DPDK_WC_CACHE/rig keyed by what it was made from.
# Prints the resolved kernel list to $DPDK_WC_CACHE/rig/kernels.list.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}
RIG=$CACHE/rig

say() { echo "setup-rig: $*"; }
die() { echo "setup-rig: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, apt-get download)"
mirror=$(sh "$top/devtools/apt-mirror.sh") || die "cannot read the Debian mirror from apt"
mkdir -p "$RIG"

# --- QEMU from trixie ---------------------------------------------------
qemu_pkgs="qemu-system-x86,qemu-system-arm,ipxe-qemu,qemu-efi-aarch64"
key=$(printf 'trixie %s' "$qemu_pkgs" | sha256sum | cut -c1-16)
chroot_dir=$RIG/qemu-trixie-$key
if [ ! -x "$chroot_dir/usr/bin/qemu-system-aarch64" ] || [ ! -f "$chroot_dir/.complete" ]; then
	say "debootstrap trixie with QEMU into $chroot_dir (about a minute)"
	rm -rf "$chroot_dir.part"
	debootstrap --variant=minbase --include="$qemu_pkgs" trixie \
		"$chroot_dir.part" "$mirror" > "$RIG/debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $RIG/debootstrap.log"
	rm -rf "$chroot_dir"
	mv "$chroot_dir.part" "$chroot_dir"
	touch "$chroot_dir/.complete"
fi
ln -sfn "$chroot_dir" "$RIG/qemu-chroot"
ver=$(chroot "$chroot_dir" qemu-system-x86_64 --version | head -n 1)
case "$ver" in
*"version "[0-8].*) die "QEMU in $chroot_dir is too old: $ver (need >= 9)" ;;
esac
say "$ver"

# --- guest kernels --------------------------------------------------------
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

fetch_deb() { # package[:arch] destdir
	d=$2
	mkdir -p "$d"
	if ! ls "$d"/*.deb >/dev/null 2>&1; then
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -qq "$1" >/dev/null 2>&1) ||
			{ rm -rf "$tmp"; die "apt-get download $1 failed"; }
		mv "$tmp"/*.deb "$d"/
		rm -rf "$tmp"
	fi
}

: > "$RIG/kernels.list.part"
for arch in amd64 arm64; do
	for line in 6.1 6.12; do
		case $line in
		6.1)  re="^linux-image-6\.1\.0-[0-9]+-$arch-unsigned\$" ;;
		6.12) re="^linux-image-6\.12\.[0-9]+\+deb12-$arch-unsigned\$" ;;
		esac
		img=$(newest "$re")
		[ -n "$img" ] || die "no package matches $re (is bookworm-backports configured? run devtools/setup-host.sh)"
		abi=${img#linux-image-}
		abi=${abi%-unsigned}
		kdir=$RIG/kernels/$abi
		if [ ! -f "$kdir/.complete" ]; then
			say "fetching kernel $abi"
			rm -rf "$kdir"
			fetch_deb "$img:$arch" "$kdir/deb"
			mkdir -p "$kdir/root"
			dpkg-deb -x "$kdir"/deb/*.deb "$kdir/root"
			rm -rf "$kdir/deb"
			# The package leaves modules.dep to depmod at install time.
			depmod -b "$kdir/root" -F "$kdir/root/boot/System.map-$abi" "$abi" ||
				die "depmod failed for $abi"
			touch "$kdir/.complete"
		fi
		vmlinuz=$(ls "$kdir"/root/boot/vmlinuz-* | head -n 1)
		printf '%s %s %s %s\n' "$arch" "$line" "$abi" "$vmlinuz" >> "$RIG/kernels.list.part"
	done
done
mv "$RIG/kernels.list.part" "$RIG/kernels.list"

# --- kernel headers for our module (host tools + per-arch trees) ------------
# Debian's per-flavour headers point their scripts at linux-kbuild-<line>,
# which is built for the host; installing it and unpacking the arm64 trees
# lets kbuild cross-compile for arm64 on this amd64 host.
while read -r arch line abi vmlinuz; do
	hdir=$RIG/kheaders/$abi
	deps=$(apt-cache depends "linux-headers-$abi:$arch" 2>/dev/null |
		awk '$1 == "Depends:" { gsub(/[<>]/, "", $2); sub(/:.*/, "", $2); print $2 }')
	common=$(echo "$deps" | grep -m1 -- '^linux-headers-.*-common$' || true)
	kbuild=$(echo "$deps" | grep -m1 -- '^linux-kbuild-' || true)
	[ -n "$common" ] && [ -n "$kbuild" ] || die "cannot resolve the header packages of $abi"
	# The cached tree links to the host's kbuild tools: make sure they are
	# installed even when the tree itself comes from the cache.
	if ! dpkg-query -W -f='${Status}' "$kbuild" 2>/dev/null | grep -q "ok installed"; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$kbuild" >/dev/null ||
			die "apt-get install $kbuild failed"
	fi
	if [ ! -f "$hdir/.complete" ]; then
		say "fetching headers for $abi"
		rm -rf "$hdir"
		mkdir -p "$hdir/deb"
		fetch_deb "linux-headers-$abi:$arch" "$hdir/deb/flavour"
		fetch_deb "$common" "$hdir/deb/common"
		mkdir -p "$hdir/root"
		for d in "$hdir"/deb/*/*.deb; do dpkg-deb -x "$d" "$hdir/root"; done
		rm -rf "$hdir/deb"
		# scripts/ and tools/ point at ../../lib/<kbuild>: the host's copy.
		mkdir -p "$hdir/root/usr/lib"
		ln -sfn "/usr/lib/$kbuild" "$hdir/root/usr/lib/$kbuild"
		touch "$hdir/.complete"
	fi
	# The flavour tree's Makefile is one line that includes the -common
	# tree by its installed path, /usr/src/<common>/Makefile: point it at
	# the copy unpacked beside it instead, so kbuild never needs the host
	# to have the header packages installed. Done on every run (it is
	# cheap and idempotent), so a cache made before, or moved since, is
	# right too; build-module.sh --no-host-headers checks the result.
	mk=$hdir/root/usr/src/linux-headers-$abi/Makefile
	here_common=$hdir/root/usr/src/$common
	[ -f "$here_common/Makefile" ] || die "$here_common/Makefile missing: remove $hdir and run again"
	want="include $here_common/Makefile"
	if [ "$(cat "$mk")" != "$want" ]; then
		grep -qx "include .*/usr/src/$common/Makefile" "$mk" ||
			die "$mk is not the one-line include of $common this script knows: $(head -c 200 "$mk")"
		printf '%s\n' "$want" > "$mk"
	fi
done < "$RIG/kernels.list"

# --- arm64 busybox ----------------------------------------------------------
bb=$RIG/busybox-arm64
if [ ! -x "$bb/bin/busybox" ]; then
	say "fetching busybox-static:arm64"
	rm -rf "$bb"
	fetch_deb busybox-static:arm64 "$bb/deb"
	dpkg-deb -x "$bb"/deb/*.deb "$bb"
	rm -rf "$bb/deb"
fi

say "ready: $(wc -l < "$RIG/kernels.list") kernels in $RIG/kernels.list"
