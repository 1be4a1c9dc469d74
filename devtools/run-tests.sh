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
echo "run-tests: done in $(( $(date +%s) - t0 ))s"
exit $rc
