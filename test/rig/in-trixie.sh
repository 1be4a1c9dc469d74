#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Run a command inside the rig's trixie chroot (test/rig/setup-rig.sh),
# with the rig's kernel header trees and the given host directories at
# their own paths, in a mount namespace of its own: nothing is mounted on
# the host, and nothing of the host but those directories is seen.
#
#   test/rig/in-trixie.sh DIR... -- COMMAND [ARG...]
set -eu

RIG=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}/rig
c=$(readlink -f "$RIG/trixie-chroot" 2>/dev/null) || true
[ -n "$c" ] && [ -x "$c/usr/bin/make" ] ||
	{ echo "in-trixie: no trixie chroot with kbuild at $RIG/trixie-chroot: run test/rig/setup-rig.sh" >&2; exit 1; }
dirs="$RIG/kheaders"
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	dirs="$dirs $(cd "$1" && pwd)"
	shift
done
[ "${1:-}" = -- ] || { echo "in-trixie: usage: in-trixie.sh DIR... -- COMMAND" >&2; exit 2; }
shift
# Mount points inside the chroot, made once: empty directories.
for d in $dirs; do
	mkdir -p "$c$d"
done
exec unshare -m sh -c '
	c=$1 dirs=$2
	shift 2
	mount --make-rprivate /
	for d in $dirs; do
		mount --bind "$d" "$c$d"
	done
	mount -t proc proc "$c/proc"
	mount --bind /dev "$c/dev"
	exec chroot "$c" "$@"' sh "$c" "$dirs" "$@"
