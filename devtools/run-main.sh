#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The README's main job: boot a guest (QEMU, Debian kernel) with the
# built-in emulated NVMe, whose Controller Memory Buffer is a prefetchable
# BAR, and map that BAR uncached and write-combined side by side:
#   x86_64: what PAT records for each mapping;
#   arm64:  which unaligned stores fault on each mapping.
# Run as root. The test app replaces this with throughput measurements.
#
#   devtools/run-main.sh [--arch x86_64|arm64] [--kernel 6.1|6.12]
set -eu

arch=x86_64
kernel=6.12
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=${2:-}; shift 2 ;;
	--kernel) kernel=${2:-}; shift 2 ;;
	-h|--help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run-main: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case $arch in
x86_64) scenario=sysfs-pat-x86 ;;
arm64) scenario=sysfs-unaligned-arm64 ;;
*) echo "run-main: --arch must be x86_64 or arm64, not '$arch'" >&2; exit 2 ;;
esac
case $kernel in
6.1|6.12) ;;
*) echo "run-main: --kernel must be 6.1 or 6.12, not '$kernel'" >&2; exit 2 ;;
esac

rig=1
. "$(cd "$(dirname "$0")" && pwd)/build.sh"

set +e
python3 "$top/test/rig/rig.py" run "$scenario" --cells "$arch-$kernel" --build "$BUILD"
rc=$?
set -e
result=$BUILD/rig-results/$scenario/$arch-$kernel/result.log
if [ -f "$result" ]; then
	echo "--- what the guest saw ($result)"
	sed -n '/^--- log$/,/^--- dmesg$/p' "$result" | sed '1d;$d'
fi
exit $rc
