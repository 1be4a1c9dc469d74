#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Make the DPDK tree meson builds, from the source package's "dpdk"
# component (Debian's dpdk_<version>.orig.tar.xz, unpacked by dpkg-source),
# the way the wrap (subprojects/dpdk.wrap) would have made it from the
# same tarball: our overlay files (patch_directory) first, then the patch
# series (diff_files) in the wrap's order, each with "patch -p1". Meson
# uses a subproject directory that exists as it is, so the package build
# neither downloads nor unpacks anything. Run by debian/rules; its clean
# target removes DEST again.
#
#   debian/dpdk-prepare.sh COMPONENT DEST
set -eu

src=${1:?usage: dpdk-prepare.sh COMPONENT DEST}
dest=${2:?usage: dpdk-prepare.sh COMPONENT DEST}
wrap=subprojects/dpdk.wrap
pf=subprojects/packagefiles

die() { echo "dpdk-prepare: error: $*" >&2; exit 1; }
[ -f "$src/ABI_VERSION" ] ||
	die "no DPDK source in $src/: build from the source package, whose orig-dpdk component dpkg-source unpacks there (devtools/build-debs.sh makes it)"
key() { sed -n "s/^$1 *= *//p" "$wrap"; }
want=$(key directory)
[ "$(basename "$dest")" = "$want" ] || die "$dest is not the wrap's directory ($want)"
overlay=$(key patch_directory)
diffs=$(key diff_files | tr ',' ' ')
[ -n "$overlay" ] && [ -n "$diffs" ] || die "cannot read patch_directory and diff_files from $wrap"

rm -rf "$dest"
cp -a "$src" "$dest"
# The overlay holds symlinks into our tree; their targets are what goes in.
cp -RL "$pf/$overlay/." "$dest/"
n=0
for d in $diffs; do
	[ -f "$pf/$d" ] || die "$wrap names $d, which is not in $pf"
	patch -d "$dest" -p1 -s -N --no-backup-if-mismatch < "$pf/$d" ||
		die "$d does not apply to DPDK $(cat "$src/VERSION")"
	n=$((n + 1))
done
echo "dpdk-prepare: $dest: DPDK $(cat "$src/VERSION"), our overlay and $n patches"
