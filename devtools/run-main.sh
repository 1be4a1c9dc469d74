#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The README's main job: build everything, boot a guest (QEMU, Debian
# kernel) with the emulated NVMe whose Controller Memory Buffer is BAR2 of
# 00:04.0, bind it to vfio-pci-wc and run dpdk-test-wc on that BAR: mapped
# uncached, then write-combined, throughput side by side and the unaligned
# write sweep. Prints the app's table and leaves its CSV, JSON and SVG plot
# in results/<arch>-<kernel>/. Run as root.
#
#   devtools/run-main.sh [--arch x86_64|arm64] [--kernel 6.1|6.12|7.3]
#
# The guest runs under TCG emulation: its timings say nothing about
# hardware. What the run shows is behaviour: the memory type each mapping
# got, which copies fault, and that every byte arrived.
set -eu

arch=x86_64
kernel=6.12
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=${2:-}; shift 2 ;;
	--kernel) kernel=${2:-}; shift 2 ;;
	-h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run-main: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case $arch in
x86_64|arm64) ;;
*) echo "run-main: --arch must be x86_64 or arm64, not '$arch'" >&2; exit 2 ;;
esac
case $kernel in
6.1|6.12|7.3) ;;
*) echo "run-main: --kernel must be 6.1, 6.12 or 7.3, not '$kernel'" >&2; exit 2 ;;
esac
cell=$arch-$kernel

rig=1
. "$(cd "$(dirname "$0")" && pwd)/build.sh"

set +e
python3 "$top/test/rig/rig.py" run main-job --cells "$cell" --build "$BUILD" \
	--build-arm64 "$BUILD/arm64" --cache "$CACHE"
rc=$?
set -e

result=$BUILD/rig-results/main-job/$cell/result.log
out=$top/results/$cell
if [ ! -f "$result" ]; then
	echo "run-main: no result from the guest (see the rig's line above)" >&2
	exit 1
fi
# The scenario's output, without the files it sends back in base64.
echo "--- dpdk-test-wc in the $cell guest"
sed -n '/^--- log$/,/^--- dmesg$/p' "$result" | sed '1d;$d' |
	sed '/^@@FILE /,/^@@END /d'

rm -rf "$out"
mkdir -p "$out"
for f in $(sed -n 's/^@@FILE \(.*\)@@$/\1/p' "$result"); do
	sed -n "/^@@FILE $f@@\$/,/^@@END $f@@\$/p" "$result" | sed '1d;$d' |
		base64 -d > "$out/$f"
done
cp "$result" "$out/guest-result.log"
echo "--- results in $out:"
ls -l "$out" | sed 1d
echo "run-main: the guest ran under QEMU TCG emulation: the timings above are"
echo "run-main: NOT hardware numbers; only mapping types, faults and data checks count"
exit $rc
