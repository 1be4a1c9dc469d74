#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build the Debian packages (debian/) the way a user or a Debian builder
# meets them:
#  - the source package: 3.0 (quilt), our tree as the orig tarball and
#    Debian's DPDK tarball, byte for byte, as its "dpdk" component
#    (OUTDIR/source/*.dsc), checked by lintian;
#  - this machine's binary packages, built from that .dsc in a clean
#    Debian 12 root with only the Build-Depends and no network
#    (test/pkg/source-build.sh); DPDK_WC_DEBS_CLEAN_ROOT=0 builds them on
#    the host instead (quicker with a warm ccache, proves less);
#  - the arm64 ones, cross-built on the host ("-aarm64 -B": dpdk-wc and
#    dpdk-wc-dev; the arch:all packages come from the first build);
#    DPDK_WC_DEBS_ARM64=0 skips them;
#  - vfio-pci-wc-dkms of the previous changelog version and of a
#    "dch --local" version (build profile pkg.dpdk-wc.dkms-only, no DPDK
#    build), in OUTDIR/dkms-previous and OUTDIR/dkms-local, for
#    test/pkg/clean-root.sh's upgrade and version checks.
# lintian checks every build; errors fail the run. Run by run-tests.sh
# after the main build; by hand: devtools/build-debs.sh [OUTDIR] (default
# build/debs).
#
# Host builds run in fixed folders under $DPDK_WC_CACHE/debs-build: the
# package build maps the source path out of the objects (reproducible
# builds), which puts that path into every compile command, so ccache
# only hits when the path is the same each time, whatever the clone.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}
out=${1:-${DPDK_WC_BUILD:-$top/build}/debs}

say() { echo "build-debs: $*"; }
die() { echo "build-debs: error: $*" >&2; exit 1; }
t0=$(date +%s)

command -v dpkg-buildpackage >/dev/null || die "dpkg-buildpackage missing (devtools/setup-host.sh installs it)"
. "$here/dpdk-version.sh"
tarball=$CACHE/dpdk-src/$DPDK_ORIG_SHA256/$DPDK_ORIG
[ -f "$tarball" ] || die "no DPDK source in $tarball (run devtools/setup-host.sh)"

rm -rf "$out"
mkdir -p "$out"
export CCACHE_DIR=$CACHE/ccache
work=$CACHE/debs-build
rm -rf "$work"
mkdir -p "$work"

# --- the source package ----------------------------------------------------
src_name=$(cd "$top" && dpkg-parsechangelog -S Source)
version=$(cd "$top" && dpkg-parsechangelog -S Version)
upstream=${version%-*}
epoch=$(cd "$top" && dpkg-parsechangelog -S Timestamp)
sdir=$out/source
tree=$sdir/$src_name-$upstream
mkdir -p "$tree"
# The tracked files only: no build trees, no extracted DPDK.
(cd "$top" && git ls-files -z | cpio -0 -pdm --quiet "$tree")
# tar_dir DIR TARBALL: a reproducible tarball of DIR (its name as the top).
tar_dir() {
	(cd "$(dirname "$1")" && tar --sort=name --mtime="@$epoch" --owner=0 --group=0 \
		--numeric-owner --format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
		-cf - "$(basename "$1")") | xz -9 -T1 > "$2"
}
mv "$tree/debian" "$sdir/debian.keep"
tar_dir "$tree" "$sdir/${src_name}_$upstream.orig.tar.xz"
mv "$sdir/debian.keep" "$tree/debian"
cp "$tarball" "$sdir/${src_name}_$upstream.orig-dpdk.tar.xz"
mkdir -p "$tree/dpdk"
tar -xf "$tarball" -C "$tree/dpdk" --strip-components=1
say "dpkg-source -b $src_name-$upstream (DPDK $DPDK_VERSION as the dpdk component)"
(cd "$sdir" && dpkg-source -b "$src_name-$upstream") > "$out/dpkg-source.log" 2>&1 ||
	{ cat "$out/dpkg-source.log"; die "dpkg-source -b failed"; }
dsc=$sdir/${src_name}_$version.dsc
[ -f "$dsc" ] || die "dpkg-source made no $dsc"
ls "$sdir"/*.dsc "$sdir"/*.tar.* | sed 's|.*/|build-debs: source: |'

# check FILE LOG: lintian on a .changes or .dsc; every tag goes to LOG and
# the output; errors fail the run (at the end, after every build).
lintian_errors=0
check() {
	set +e
	lintian --info --display-info --pedantic "$1" > "$2" 2>&1
	set -e
	cat "$2"
	e=$(grep -c '^E: ' "$2" || true)
	w=$(grep -c '^W: ' "$2" || true)
	say "lintian ${1##*/}: $e errors, $w warnings"
	lintian_errors=$((lintian_errors + e))
}
check "$dsc" "$out/lintian-source.log"

# unpack NAME: the source package unpacked in a fixed folder of $work.
unpack() {
	rm -rf "${work:?}/$1"
	dpkg-source -x "$dsc" "$work/$1" > /dev/null || die "dpkg-source -x into $work/$1 failed"
}

# build NAME DIR ARGS...: dpkg-buildpackage ARGS in DIR on the host, its
# log in OUTDIR/dpkg-buildpackage[-NAME].log, the results moved to OUTDIR.
build() {
	name=$1 dir=$2
	shift 2
	log=$out/dpkg-buildpackage$name.log
	bt0=$(date +%s)
	say "dpkg-buildpackage $* in $dir (log: $log)"
	(cd "$dir" && CCACHE_BASEDIR=$dir CCACHE_NOHASHDIR=1 dpkg-buildpackage "$@" -j"$(nproc)") > "$log" 2>&1 ||
		{ tail -n 60 "$log"; die "dpkg-buildpackage $* failed"; }
	say "dpkg-buildpackage $* took $(( $(date +%s) - bt0 ))s"
}

arch=$(dpkg --print-architecture)
if [ "${DPDK_WC_DEBS_CLEAN_ROOT:-1}" != 0 ]; then
	sh "$top/test/pkg/source-build.sh" "$dsc" "$out" || die "the clean-root build of $(basename "$dsc") failed"
else
	unpack src
	build "" "$work/src" -us -uc -b
	mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
fi
ls "$out"/*.deb | sed 's|.*/|build-debs: built |'
check "$(ls "$out"/*_"$arch".changes)" "$out/lintian.log"

# arm64 guests extract dpdk-wc and dpdk-wc-dev for arm64: cross-built with
# Debian's cross toolchain and libnuma-dev:arm64 (setup-host.sh).
if [ "${DPDK_WC_DEBS_ARM64:-1}" != 0 ] && [ "$arch" != arm64 ]; then
	command -v aarch64-linux-gnu-gcc >/dev/null &&
		command -v aarch64-linux-gnu-pkg-config >/dev/null &&
		dpkg-checkbuilddeps -aarm64 "$top/debian/control" 2>/dev/null ||
		die "arm64 cross build dependencies missing (devtools/setup-host.sh installs them)"
	# nocheck (option and profile) and the cross profile, as Debian's cross
	# builders pass them: the packages run no tests at build time
	# (debian/rules), and dh stops warning that a cross build cannot.
	unpack src-arm64
	DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck" \
		build -arm64 "$work/src-arm64" -aarm64 -B -Pcross,nocheck -us -uc
	mv "$work"/*_arm64.deb "$work"/*_arm64.changes "$work"/*_arm64.buildinfo "$out/"
	ls "$out"/*_arm64.deb | sed 's|.*/|build-debs: built |'
	check "$(ls "$out"/*_arm64.changes)" "$out/lintian-arm64.log"
fi

# The DKMS package at two other versions, from the same source: the
# previous changelog entry's version (the changelog without its newest
# entry, in that entry's source format) and a "dch --local" one.
command -v dch >/dev/null || die "dch missing (devscripts; devtools/setup-host.sh installs it)"
dkms_only() { # NAME: build vfio-pci-wc-dkms alone in $work/NAME, into OUTDIR/dkms-NAME
	build "-dkms-$1" "$work/$1" -us -uc -b -Ppkg.dpdk-wc.dkms-only
	mkdir -p "$out/dkms-$1"
	mv "$work"/vfio-pci-wc-dkms_*_all.deb "$out/dkms-$1/"
	rm -f "$work"/*.changes "$work"/*.buildinfo
	say "dkms-$1: $(ls "$out/dkms-$1")"
}
unpack previous
prev=$(cd "$work/previous" && dpkg-parsechangelog -S Version -o 1 -c 1)
[ -n "$prev" ] || die "debian/changelog has no previous entry"
awk 'started && /^[^ ]/ { keep = 1 } /^ -- / { started = 1 } keep' \
	"$work/previous/debian/changelog" > "$work/previous/debian/changelog.new"
mv "$work/previous/debian/changelog.new" "$work/previous/debian/changelog"
case $prev in *-*) ;; *) echo "3.0 (native)" > "$work/previous/debian/source/format" ;; esac
[ "$(cd "$work/previous" && dpkg-parsechangelog -S Version)" = "$prev" ] || die "cannot rewind the changelog to $prev"
dkms_only previous
unpack local
(cd "$work/local" && DEBEMAIL=dpdk-wc@dpdk-wc.example DEBFULLNAME="dpdk-wc developers" \
	dch --local local "Local build (build-debs.sh: the DKMS version test)." > /dev/null 2>&1) ||
	die "dch --local failed"
dkms_only local
rm -rf "$work"

say "done in $(( $(date +%s) - t0 ))s"
[ "$lintian_errors" = 0 ] || die "lintian reported $lintian_errors errors"
