#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Prove the Debian packages in a clean Debian 12 root, as a user meets
# them: install them with apt together with the guest rig's amd64 kernel
# header packages (Linux 6.1 and 6.12); DKMS must have built vfio-pci-wc
# for both; build the out-of-tree hello PMD (test/pkg/hello) with
# "pkg-config dpdk-wc" alone and run it; removing vfio-pci-wc-dkms must
# remove the modules, and purging every package must leave none of the
# files "dpkg -L" listed before. Run as root:
#
#   test/pkg/clean-root.sh DEBDIR
#
# The base root (debootstrap minbase, bookworm and bookworm-backports from
# the mirror apt is configured with) is made once in
# $DPDK_WC_CACHE/pkg-root and used through an overlay, so every run starts
# clean. Prints "clean-root: PASS" and exits 0 only if every check held.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}
debdir=$(cd "${1:?usage: clean-root.sh DEBDIR}" && pwd)

say() { echo "clean-root: $*"; }
die() { echo "clean-root: error: $*" >&2; exit 1; }
fails=0
check() { # description, then a command: ok or FAIL
	what=$1
	shift
	if "$@"; then say "ok: $what"; else say "FAIL: $what"; fails=$((fails + 1)); fi
}

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mount)"
mirror=$(sh "$top/devtools/apt-mirror.sh") || die "cannot read the Debian mirror from apt"
klist=$CACHE/rig/kernels.list
[ -f "$klist" ] || die "$klist missing (test/rig/setup-rig.sh resolves the rig's kernels)"
abis=$(awk '$1 == "amd64" { print $3 }' "$klist")
[ -n "$abis" ] || die "no amd64 kernels in $klist"

base=$CACHE/pkg-root/bookworm
if [ ! -f "$base/.complete" ]; then
	rm -rf "$base"
	mkdir -p "$base"
	say "debootstrap bookworm into $base (once)"
	nice debootstrap --variant=minbase bookworm "$base" "$mirror" \
		> "$CACHE/pkg-root/debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $CACHE/pkg-root/debootstrap.log"
	rm -f "$base/etc/apt/sources.list"
	cat > "$base/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	touch "$base/.complete"
fi

run=$(mktemp -d /tmp/dpdk-wc-clean-root.XXXXXX)
r=$run/root
mkdir -p "$run/up" "$run/work" "$r"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/up,workdir=$run/work" "$r" ||
	die "overlay mount failed"
cleanup() {
	for m in dev/pts dev proc sys tmp; do umount -l "$r/$m" 2>/dev/null || true; done
	umount -l "$r" 2>/dev/null || true
	rm -rf "$run"
}
trap cleanup EXIT
cp /etc/resolv.conf "$r/etc/resolv.conf"
# This machine's own apt sources (as a user's machine has them): the rig's
# kernels come from the security archive too, which the mirror alone lacks.
cp /etc/apt/sources.list.d/*.sources "$r/etc/apt/sources.list.d/"
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$r/etc/apt/sources.list"
mount --bind /proc "$r/proc"
mount --bind /sys "$r/sys"
mount --rbind /dev "$r/dev"
mount -t tmpfs tmpfs "$r/tmp"
in_root() { chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

mkdir -p "$r/tmp/debs" "$r/tmp/hello"
# DEBDIR also holds the cross-built arm64 packages (build-debs.sh): the
# root is amd64, so only this machine's and the arch:all ones go in.
arch=$(dpkg --print-architecture)
for d in "$debdir"/*_"$arch".deb "$debdir"/*_all.deb; do
	if [ -f "$d" ]; then cp "$d" "$r/tmp/debs/"; fi
done
cp "$top/test/pkg/hello/hello_pmd.c" "$r/tmp/hello/"
pkgs=$(for d in "$r"/tmp/debs/*.deb; do dpkg-deb -f "$d" Package; done | sort -u | tr '\n' ' ')
headers=$(for a in $abis; do printf 'linux-headers-%s ' "$a"; done)

say "apt-get install the packages ($pkgs) and $headers"
in_root apt-get update -qq > "$run/apt.log" 2>&1 || { cat "$run/apt.log"; die "apt-get update failed"; }
# The headers first: then dh_dkms's postinst builds for each kernel that
# has them, as on a machine that already runs those kernels.
in_root apt-get install -y -q --no-install-recommends $headers \
	>> "$run/apt.log" 2>&1 || { tail -n 40 "$run/apt.log"; die "installing $headers failed"; }
in_root sh -c 'apt-get install -y -q --no-install-recommends /tmp/debs/*.deb gcc libc6-dev pkg-config' \
	>> "$run/apt.log" 2>&1 || { tail -n 40 "$run/apt.log"; die "installing the packages failed"; }
grep -i 'dkms\|vfio' "$run/apt.log" | sed 's/^/clean-root:   /' | tail -n 20

status=$(in_root dkms status 2>&1)
printf '%s\n' "$status" | sed 's/^/clean-root: dkms status: /'
for a in $abis; do
	check "dkms built vfio-pci-wc for $a" sh -c \
		"printf '%s\n' \"\$1\" | grep -q '^vfio-pci-wc/.*, $a, .*: installed'" - "$status"
	check "vfio_pci_wc.ko installed for $a" test -n \
		"$(find "$r/lib/modules/$a" -name 'vfio_pci_wc.ko*' 2>/dev/null)"
done

say "building the hello PMD with pkg-config dpdk-wc alone"
flags=$(in_root pkg-config --cflags --libs dpdk-wc) || die "pkg-config dpdk-wc failed"
say "pkg-config --cflags --libs dpdk-wc: $flags"
check "hello PMD builds against dpdk-wc-dev" in_root sh -c \
	'cc -Wall -o /tmp/hello/hello_pmd /tmp/hello/hello_pmd.c $(pkg-config --cflags --libs dpdk-wc)'
check "hello PMD runs rte_eal_init (--no-huge --no-pci)" in_root \
	/tmp/hello/hello_pmd --no-huge --no-pci -m 64 --no-shconf --vdev=hello0

# The packaged testpmd: shared DPDK, so EAL loads its default PMD
# directory (no -d), our nvme_cmb PMD among them; --pci-wc is the series'
# option. A null port forwards a few bursts and quits.
say "running the packaged dpdk-wc-testpmd"
tpmd_rc=0
in_root sh -c 'echo quit | dpdk-wc-testpmd --no-huge --no-pci -m 256 --no-shconf \
	--pci-wc=all --vdev=net_null0 --log-level=lib.eal:debug -- -i --total-num-mbufs=2048' \
	> "$run/testpmd.log" 2>&1 || tpmd_rc=$?
grep -E 'pmds-|nvme_cmb|Port 0|Bye|rror' "$run/testpmd.log" | sed 's/^/clean-root:   /' | head -n 20
check "dpdk-wc-testpmd --pci-wc=all ran (exit $tpmd_rc)" test "$tpmd_rc" = 0
check "EAL loaded our nvme_cmb PMD from the default PMD directory" \
	grep -q 'pmds-[0-9.]*/librte_raw_nvme_cmb.so' "$run/testpmd.log"
check "testpmd found the net_null port (PMD from the directory too)" \
	grep -q 'Port 0' "$run/testpmd.log"

in_root dpkg -L $pkgs 2>/dev/null | sort -u > "$run/files.before"
say "$(wc -l < "$run/files.before") paths listed by dpkg -L before removal"

in_root apt-get remove -y -q vfio-pci-wc-dkms >> "$run/apt.log" 2>&1 ||
	die "apt-get remove vfio-pci-wc-dkms failed"
for a in $abis; do
	check "removing vfio-pci-wc-dkms removed the module for $a" test -z \
		"$(find "$r/lib/modules/$a" -name 'vfio_pci_wc.ko*' 2>/dev/null)"
done
check "dkms no longer lists vfio-pci-wc" sh -c \
	"! chroot '$r' dkms status 2>/dev/null | grep -q vfio-pci-wc"

in_root apt-get purge -y -q $pkgs >> "$run/apt.log" 2>&1 || die "apt-get purge failed"
left=$(while read -r f; do
	# Directories that other packages (or the base system) own stay.
	if [ -e "$r$f" ] && [ ! -d "$r$f" ]; then echo "$f"; fi
done < "$run/files.before")
[ -z "$left" ] || printf '%s\n' "$left" | sed 's/^/clean-root: left behind: /'
check "purge left none of the packages' files" test -z "$left"
leftdirs=$(while read -r f; do
	case $f in
	*dpdk-wc*|*vfio-pci-wc*) if [ -d "$r$f" ]; then echo "$f"; fi ;;
	esac
done < "$run/files.before")
[ -z "$leftdirs" ] || printf '%s\n' "$leftdirs" | sed 's/^/clean-root: dir left behind: /'
check "purge left none of the packages' own directories" test -z "$leftdirs"
check "purge left no DKMS tree" test ! -e "$r/var/lib/dkms/vfio-pci-wc"

[ $fails = 0 ] && { say PASS; exit 0; }
say "FAIL ($fails checks)"
exit 1
