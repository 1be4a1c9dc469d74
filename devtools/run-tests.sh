#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command: prepare the host, build everything, then run
# the unit tests and the guest rig through "meson test". Run as root.
#
#   devtools/run-tests.sh [--no-rig] [meson test arguments...]
set -eu

rig=1
if [ "${1:-}" = "--no-rig" ]; then
	rig=0
	shift
fi
. "$(cd "$(dirname "$0")" && pwd)/build.sh"

set +e
meson test -C "$BUILD" --print-errorlogs -v "$@"
rc=$?
set -e

# The Debian packages (doc/guides/build.rst): the source package, this
# machine's binary packages built from it in a clean Debian 12 root with
# only the Build-Depends and no network, the arm64 ones cross-built, all
# checked by lintian (errors fail the run); then, with the rig's kernels
# at hand, proven in a clean Debian 12 root (DKMS for 6.1 and 6.12 and an
# upgrade, the out-of-tree builds, debian/tests as autopkgtest runs them,
# a dch --local version, purge) and in the guests: the rig's pkg-installed
# scenario runs what the packages install, on every cell. DPDK_WC_DEBS=0
# skips all of it (a quick local unit run).
debs=""
if [ "${DPDK_WC_DEBS:-1}" != 0 ]; then
	if sh "$here/build-debs.sh" "$BUILD/debs"; then
		debs="packages: built, lintian 0 errors"
		if [ "$rig" = 1 ]; then
			if sh "$top/test/pkg/clean-root.sh" "$BUILD/debs"; then
				debs="$debs; clean Debian 12 root: PASS"
			else
				debs="$debs; clean Debian 12 root: FAIL"
				rc=1
			fi
			if python3 "$top/test/rig/rig.py" run pkg-installed --debs "$BUILD/debs" \
				--build "$BUILD" --build-arm64 "$BUILD/arm64" --cache "$CACHE"; then
				debs="$debs; installed packages in the guests (rig pkg-installed): PASS"
			else
				debs="$debs; installed packages in the guests (rig pkg-installed): FAIL"
				rc=1
			fi
		fi
	else
		debs="packages: FAIL"
		rc=1
	fi
fi

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
[ -n "$debs" ] && echo "$debs"
echo "run-tests: done in $(( $(date +%s) - t0 ))s"
exit $rc
