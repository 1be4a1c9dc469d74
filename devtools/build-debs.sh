#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build the Debian packages (debian/) with "dpkg-buildpackage -us -uc -b"
# and check them with lintian. Run by run-tests.sh after the main build;
# by hand: devtools/build-debs.sh [OUTDIR] (default build/debs).
#
# dpkg-buildpackage writes its results next to the source tree, so it runs
# on a copy of the tracked files in OUTDIR/src: the .debs land in OUTDIR,
# never in the clone's parent. DPDK is compiled a second time (shared
# libraries, a private prefix); ccache serves it from the cache after the
# first run: CCACHE_BASEDIR is the copy, the package build keeps absolute
# paths out of the compile commands (debian/rules), so a clone in another
# folder hits the same objects.
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

src=$out/src
rm -rf "$out"
mkdir -p "$src"
# The tracked files only: no build trees, no extracted DPDK (meson
# extracts and patches it anew, as the series says).
(cd "$top" && git ls-files -z | cpio -0 -pdm --quiet "$src")
mkdir -p "$src/subprojects/packagecache"
ln -s "$tarball" "$src/subprojects/packagecache/$DPDK_ORIG"

export CCACHE_DIR=$CACHE/ccache CCACHE_BASEDIR=$src CCACHE_NOHASHDIR=1
log=$out/dpkg-buildpackage.log
say "dpkg-buildpackage -us -uc -b in $src (log: $log)"
(cd "$src" && dpkg-buildpackage -us -uc -b -j"$(nproc)") > "$log" 2>&1 ||
	{ tail -n 60 "$log"; die "dpkg-buildpackage failed"; }
ls "$out"/*.deb | sed 's|.*/|build-debs: built |'

# lintian: every tag goes to the log; errors fail the run.
changes=$(ls "$out"/*.changes)
set +e
lintian --info --display-info --pedantic "$changes" > "$out/lintian.log" 2>&1
set -e
cat "$out/lintian.log"
errors=$(grep -c '^E: ' "$out/lintian.log" || true)
warnings=$(grep -c '^W: ' "$out/lintian.log" || true)
say "lintian: $errors errors, $warnings warnings"
say "done in $(( $(date +%s) - t0 ))s"
[ "$errors" = 0 ] || die "lintian reported $errors errors"
