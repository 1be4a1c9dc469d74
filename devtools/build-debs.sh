#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build the Debian packages (debian/) with "dpkg-buildpackage -us -uc -b",
# then cross-build the arm64 ones ("-aarm64 -B": dpdk-wc and dpdk-wc-dev;
# the arch:all packages come from the first build), and check both with
# lintian. Run by run-tests.sh after the main build; by hand:
# devtools/build-debs.sh [OUTDIR] (default build/debs).
# DPDK_WC_DEBS_ARM64=0 skips the arm64 build.
#
# dpkg-buildpackage writes its results next to the source tree, so each
# build runs on its own fresh copy of the tracked files (OUTDIR/src,
# OUTDIR/src-arm64): the .debs of both land in OUTDIR, never in the
# clone's parent. DPDK is compiled again for each architecture (shared
# libraries, a private prefix); ccache serves it from the cache after the
# first run (the cross build too, debian/rules): CCACHE_BASEDIR is the
# copy, the package build keeps absolute paths out of the compile
# commands (debian/rules), so a clone in another folder hits the same
# objects.
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

# copy_src DIR: the tracked files only, no build trees, no extracted DPDK
# (meson extracts and patches it anew, as the series says).
copy_src() {
	mkdir -p "$1/subprojects/packagecache"
	(cd "$top" && git ls-files -z | cpio -0 -pdm --quiet "$1")
	ln -s "$tarball" "$1/subprojects/packagecache/$DPDK_ORIG"
}

# build NAME DIR ARGS...: dpkg-buildpackage ARGS in a fresh copy DIR, its
# log in OUTDIR/dpkg-buildpackage[-NAME].log. CCACHE_BASEDIR is the copy:
# the object paths ccache hashes are the same in every copy and clone.
build() {
	name=$1 dir=$2
	shift 2
	copy_src "$dir"
	log=$out/dpkg-buildpackage$name.log
	bt0=$(date +%s)
	say "dpkg-buildpackage $* in $dir (log: $log)"
	(cd "$dir" && CCACHE_BASEDIR=$dir dpkg-buildpackage "$@" -j"$(nproc)") > "$log" 2>&1 ||
		{ tail -n 60 "$log"; die "dpkg-buildpackage $* failed"; }
	say "dpkg-buildpackage $* took $(( $(date +%s) - bt0 ))s"
}

# check CHANGES LOG: lintian on one build's .changes; every tag goes to
# LOG and the output; errors fail the run (at the end, after both builds).
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

export CCACHE_DIR=$CACHE/ccache CCACHE_NOHASHDIR=1
arch=$(dpkg --print-architecture)
build "" "$out/src" -us -uc -b
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
	export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck"
	build -arm64 "$out/src-arm64" -aarm64 -B -Pcross,nocheck -us -uc
	ls "$out"/*_arm64.deb | sed 's|.*/|build-debs: built |'
	check "$(ls "$out"/*_arm64.changes)" "$out/lintian-arm64.log"
fi

say "done in $(( $(date +%s) - t0 ))s"
[ "$lintian_errors" = 0 ] || die "lintian reported $lintian_errors errors"
