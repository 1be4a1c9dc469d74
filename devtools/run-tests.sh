#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command: prepare the host, build everything (DPDK
# included; native, and the arm64 cross build the rig boots), then run the
# unit tests and the guest rig through "meson test". Run as root.
#
#   devtools/run-tests.sh [--no-rig] [meson test arguments...]
#
# Caches (outside the repository, keyed by content) make a second run
# quick: $DPDK_WC_CACHE (default /var/cache/dpdk-wc) holds the DPDK
# tarball, ccache's objects, the QEMU chroot and the guest kernels.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}
BUILD=${DPDK_WC_BUILD:-$top/build}
export DPDK_WC_CACHE=$CACHE
export CCACHE_DIR=$CACHE/ccache

rig=1
if [ "${1:-}" = "--no-rig" ]; then
	rig=0
	shift
fi

say() { echo "run-tests: $*"; }
t0=$(date +%s)

sh "$here/setup-host.sh"
[ "$rig" = 1 ] && sh "$top/test/rig/setup-rig.sh"

# Meson applies the DPDK patch series when it extracts the source; if the
# series changed since, extract again.
stamp=$(cat "$top/subprojects/dpdk.wrap" "$top"/subprojects/packagefiles/dpdk/* | sha256sum | cut -c1-16)
wipe=""
if [ "$(cat "$top/subprojects/.dpdk-patch-stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$top"/subprojects/dpdk-stable-*
	echo "$stamp" > "$top/subprojects/.dpdk-patch-stamp"
	wipe="--wipe"
fi

rig_opt=-Dguest_rig=disabled
[ "$rig" = 1 ] && rig_opt=-Dguest_rig=enabled
setup() { # builddir [args...]
	dir=$1
	shift
	how=""
	if [ -f "$dir/build.ninja" ]; then
		how=${wipe:---reconfigure}
	fi
	mkdir -p "$(dirname "$dir")"
	meson setup $how "$dir" "$@" > "$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log"; exit 1; }
}

say "building (native) in $BUILD"
setup "$BUILD" "$rig_opt" "-Drig_cache=$CACHE"
meson compile -C "$BUILD" > "$BUILD.compile.log" 2>&1 ||
	{ tail -n 50 "$BUILD.compile.log"; exit 1; }
if [ "$rig" = 1 ]; then
	say "building (arm64 cross) in $BUILD/arm64"
	setup "$BUILD/arm64" --cross-file "$top/config/cross/arm64_linux_gnu.ini"
	meson compile -C "$BUILD/arm64" > "$BUILD/arm64.compile.log" 2>&1 ||
		{ tail -n 50 "$BUILD/arm64.compile.log"; exit 1; }
fi
say "built in $(( $(date +%s) - t0 ))s; testing"

set +e
meson test -C "$BUILD" --print-errorlogs -v "$@"
rc=$?
set -e

# One closing line over every meson test that ran.
python3 - "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)['result']
    if r in ('OK', 'EXPECTEDFAIL'):
        ok += 1
    elif r != 'SKIP':
        bad += 1
print(f'tests: {ok} passed, {bad} failed')
PY
say "done in $(( $(date +%s) - t0 ))s"
exit $rc
