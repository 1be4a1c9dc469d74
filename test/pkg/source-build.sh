#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build the source package as Debian's build daemons would: in a clean
# Debian 12 root that holds only build-essential and the declared
# Build-Depends (apt-get build-dep on the .dsc), unpacked by dpkg-source,
# built by "dpkg-buildpackage -us -uc -b" as an unprivileged user with no
# network (its own empty network namespace: only a loopback that is down).
# Then "debian/rules clean" must give back the tree dpkg-source unpacked,
# file for file. The .debs, .changes and .buildinfo land in OUTDIR.
# Run as root (devtools/build-debs.sh runs it for the native arch):
#
#   test/pkg/source-build.sh DSC OUTDIR
#
# Prints "source-build: PASS" and exits 0 only if every step held.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dsc=$(cd "$(dirname "${1:?usage: source-build.sh DSC OUTDIR}")" && pwd)/$(basename "$1")
out=$(mkdir -p "${2:?usage: source-build.sh DSC OUTDIR}" && cd "$2" && pwd)

say() { echo "source-build: $*"; }
die() { echo "source-build: error: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mount)"
[ -f "$dsc" ] || die "$dsc not found"
command -v unshare >/dev/null || die "unshare (util-linux) missing"
. "$here/root-lib.sh"
trap root_down EXIT
t0=$(date +%s)

root_up source-build
mkdir -p "$r/build"
# The .dsc and the files it lists (orig, orig-dpdk, debian.tar).
cp "$dsc" "$r/build/"
sed -n '/^Files:/,/^[^ ]/s/^ [0-9a-f]* [0-9]* //p' "$dsc" | while read -r f; do
	cp "$(dirname "$dsc")/$f" "$r/build/" || exit 1
done || die "a file the .dsc lists is missing next to it"
name=$(basename "$dsc")

say "apt-get build-dep $name in a clean Debian 12 root"
in_root apt-get update -qq > "$out/source-build-apt.log" 2>&1 ||
	{ cat "$out/source-build-apt.log"; die "apt-get update failed"; }
in_root apt-get install -y -q --no-install-recommends build-essential \
	>> "$out/source-build-apt.log" 2>&1 || { tail -n 30 "$out/source-build-apt.log"; die "build-essential failed"; }
in_root apt-get build-dep -y -q --no-install-recommends "/build/$name" \
	>> "$out/source-build-apt.log" 2>&1 || { tail -n 30 "$out/source-build-apt.log"; die "apt-get build-dep failed"; }
say "$(grep -c '^Setting up' "$out/source-build-apt.log") packages set up (build-essential and the Build-Depends)"

in_root useradd -m -d /home/builder builder
uid=$(in_root id -u builder)
gid=$(in_root id -g builder)
chown -R "$uid:$gid" "$r/build"
# as_builder [--no-net] CMD: as the unprivileged user, in /build.
as_builder() {
	net=""
	if [ "$1" = --no-net ]; then
		net="unshare --net --"
		shift
	fi
	$net chroot --userspec="$uid:$gid" "$r" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/builder LANG=C.UTF-8 \
		sh -c "cd /build && $*"
}
as_builder "dpkg-source -x $name src" > "$out/source-build.log" 2>&1 ||
	{ cat "$out/source-build.log"; die "dpkg-source -x failed"; }
as_builder "dpkg-source -x $name fresh" >> "$out/source-build.log" 2>&1 ||
	die "dpkg-source -x (second copy) failed"
[ -f "$r/build/src/dpdk/ABI_VERSION" ] || die "the source package unpacked without its dpdk component"

ifaces=$(as_builder --no-net "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ' '")
say "the build's network namespace has only: $ifaces"
[ "$ifaces" = "lo " ] || die "the build would have a network: $ifaces"
bt0=$(date +%s)
say "dpkg-buildpackage -us -uc -b -j$(nproc) as an unprivileged user, no network (log: $out/source-build.log)"
if ! as_builder --no-net "cd src && dpkg-buildpackage -us -uc -b -j$(nproc)" >> "$out/source-build.log" 2>&1; then
	tail -n 60 "$out/source-build.log"
	die "dpkg-buildpackage failed in the clean root"
fi
say "dpkg-buildpackage took $(( $(date +%s) - bt0 ))s"

# debian/rules clean must leave the tree as dpkg-source unpacked it.
as_builder --no-net "cd src && debian/rules clean" >> "$out/source-build.log" 2>&1 ||
	{ tail -n 30 "$out/source-build.log"; die "debian/rules clean failed"; }
if ! diff -r --no-dereference "$r/build/src" "$r/build/fresh" > "$out/source-build-clean.diff" 2>&1; then
	head -n 20 "$out/source-build-clean.diff"
	die "debian/rules clean left the tree different from the unpacked source ($out/source-build-clean.diff)"
fi
say "ok: debian/rules clean gave back the unpacked source tree, file for file"

for f in "$r"/build/*.deb "$r"/build/*.changes "$r"/build/*.buildinfo; do
	cp "$f" "$out/"
	case $f in *.deb) say "built $(basename "$f")" ;; esac
done
say "done in $(( $(date +%s) - t0 ))s"
say PASS
