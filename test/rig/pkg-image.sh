#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The guest rig's disk image of an installed dpdk-wc, for one arch:
#  - a Debian 12 root with dpdk-wc's dependencies (python3 for
#    dpdk-wc-devbind.py, pciutils and iproute2 for its lspci and ip,
#    libnuma1) and kmod (modprobe), made with debootstrap's first stage: packages unpacked,
#    nothing configured, so nothing of the target arch ever runs on the
#    host. Made once, in $DPDK_WC_CACHE/rig/pkg-base/ARCH;
#  - the built dpdk-wc and vfio-pci-wc-dkms packages of that arch unpacked
#    into it (dpkg-deb -x, as dpkg unpacks them; their maintainer scripts
#    only run DKMS, which comes next);
#  - vfio-pci-wc built by DKMS from the package's own source
#    (/usr/src/vfio-pci-wc-VERSION) for every rig kernel of the arch, put
#    where DKMS installs it, /lib/modules/ABI/updates/dkms/, then
#    "depmod" as DKMS runs it, over that module and the kernel modules it
#    depends on (copied from the rig's kernel package), so that the guest
#    loads it with "modprobe vfio_pci_wc" from the root, as a user does.
# The image is ext4, written by mke2fs -d without mounting anything; the
# rig attaches it as a virtio disk (snapshot: the guest's writes are
# dropped). Rebuilt only when the packages or the kernels change.
#
#   test/rig/pkg-image.sh ARCH DEBDIR OUT.img     (ARCH: x86_64 or arm64)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
RIG=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}/rig
arch=${1:?usage: pkg-image.sh ARCH DEBDIR OUT.img}
debdir=$(cd "${2:?usage: pkg-image.sh ARCH DEBDIR OUT.img}" && pwd)
out=${3:?usage: pkg-image.sh ARCH DEBDIR OUT.img}

say() { echo "pkg-image: $*"; }
die() { echo "pkg-image: error: $*" >&2; exit 1; }

case $arch in
x86_64) deb_arch=amd64 ;;
arm64) deb_arch=arm64 ;;
*) die "unknown arch $arch (x86_64 or arm64)" ;;
esac
debs=$(ls "$debdir"/dpdk-wc_*_"$deb_arch".deb "$debdir"/vfio-pci-wc-dkms_*_all.deb 2>/dev/null) ||
	die "no dpdk-wc_*_$deb_arch.deb and vfio-pci-wc-dkms_*_all.deb in $debdir (devtools/build-debs.sh builds them)"
[ "$(echo "$debs" | wc -l)" = 2 ] ||
	die "expected one dpdk-wc_*_$deb_arch.deb and one vfio-pci-wc-dkms_*_all.deb in $debdir, found: $debs"

# The inputs the image is made of: packages, kernels, this script.
# shellcheck disable=SC2086 # $debs is a list of paths without blanks
key=$( { sha256sum $debs "$0" "$here/dkms-build.sh"; cat "$RIG/kernels.list" "$RIG/kernels-trixie.list" 2>/dev/null; } |
	sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	say "$out is up to date"
	exit 0
fi

include=python3,pciutils,iproute2,libnuma1,kmod
# A new package list gets a new base.
base=$RIG/pkg-base/$deb_arch-$(echo "$include" | sha256sum | cut -c1-8)
if [ ! -f "$base/.complete" ]; then
	mirror=$(sh "$top/devtools/apt-mirror.sh") || die "cannot read the Debian mirror from apt"
	rm -rf "$base"
	mkdir -p "$base"
	say "debootstrap --foreign bookworm ($deb_arch) into $base (once)"
	nice debootstrap --foreign --arch="$deb_arch" --variant=minbase \
		--include="$include" bookworm "$base" "$mirror" \
		> "$RIG/pkg-base/debootstrap-$deb_arch.log" 2>&1 ||
		die "debootstrap failed, see $RIG/pkg-base/debootstrap-$deb_arch.log"
	# The first stage unpacks only what its second stage needs to run;
	# unpack the rest as well (python3, pciutils, ...), then drop the
	# downloaded .debs and the second stage, which never runs here.
	for deb in "$base"/var/cache/apt/archives/*.deb; do
		dpkg-deb -x "$deb" "$base"
	done
	# The one alternative a configured system has that the tools here
	# call (dpdk-devbind.py runs "which lspci"): debianutils' postinst
	# makes it.
	[ -e "$base/usr/bin/which" ] || ln -s which.debianutils "$base/usr/bin/which"
	rm -rf "$base/debootstrap" "$base/var/cache/apt/archives/"*.deb \
		"$base/usr/share/doc" "$base/usr/share/man" "$base/usr/share/locale" \
		"$base/usr/share/info"
	touch "$base/.complete"
fi

stage=$(mktemp -d "$RIG/pkg-stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp -a "$base/." "$stage/"
rm -f "$stage/.complete"
# shellcheck disable=SC2086
for deb in $debs; do
	say "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$stage"
done
src=$(ls -d "$stage"/usr/src/vfio-pci-wc-* 2>/dev/null | head -n 1)
[ -n "$src" ] && [ -f "$src/dkms.conf" ] || die "vfio-pci-wc-dkms left no /usr/src/vfio-pci-wc-*/dkms.conf"
DKMS_BUILD_BOOTED_ONLY=1 sh "$here/dkms-build.sh" "$src" "$stage/tmp/dkms-out" "$deb_arch" ||
	die "dkms build of the packaged source failed"
for d in "$stage"/tmp/dkms-out/*/; do
	abi=$(basename "$d")
	mkdir -p "$stage/lib/modules/$abi/updates/dkms"
	mv "$d"/*.ko "$stage/lib/modules/$abi/updates/dkms/"
	# The modules vfio_pci_wc needs, from the rig's kernel package, with
	# the paths and index files the kernel's own tree has; then depmod.
	kmods=""
	for k in "$RIG/kernels/$abi/root/usr/lib/modules/$abi" "$RIG/kernels/$abi/root/lib/modules/$abi"; do
		if [ -f "$k/modules.dep" ]; then kmods=$k; break; fi
	done
	[ -n "$kmods" ] || die "no modules.dep of $abi under $RIG/kernels/$abi"
	deps=$(modinfo -F depends "$stage/lib/modules/$abi/updates/dkms/vfio_pci_wc.ko" | tr ',' ' ')
	[ -n "$deps" ] || die "vfio_pci_wc.ko for $abi names no dependencies"
	for dep in $deps; do
		line=$(awk -v m="$dep" '{ f = $1; sub(":$", "", f); n = f; sub(".*/", "", n); sub("[.]ko.*", "", n);
			gsub("-", "_", n); gsub("-", "_", m); if (n == m) { print; exit } }' "$kmods/modules.dep")
		[ -n "$line" ] || die "$dep (needed by vfio_pci_wc) is not in $abi's modules.dep"
		for f in $(echo "$line" | tr -d ':'); do
			mkdir -p "$stage/lib/modules/$abi/$(dirname "$f")"
			cp "$kmods/$f" "$stage/lib/modules/$abi/$f"
		done
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		if [ -f "$kmods/$f" ]; then cp "$kmods/$f" "$stage/lib/modules/$abi/"; fi
	done
	depmod -b "$stage" "$abi" || die "depmod for $abi failed"
	grep -q '^updates/dkms/vfio_pci_wc.ko:.*vfio' "$stage/lib/modules/$abi/modules.dep" ||
		die "depmod did not record vfio_pci_wc's dependencies for $abi"
done
rm -rf "$stage/tmp/dkms-out"

mb=$(du -sm "$stage" | cut -f1)
rm -f "$out.part"
mkdir -p "$(dirname "$out")"
mke2fs -q -t ext4 -L dpdk-wc-pkg -d "$stage" "$out.part" "$((mb + mb / 3 + 64))M" ||
	die "mke2fs failed"
mv "$out.part" "$out"
echo "$key" > "$out.key"
say "$out: $(du -h --apparent-size "$out" | cut -f1) ($mb MiB of files), modules for: $(ls "$stage/lib/modules" | tr '\n' ' ')"
