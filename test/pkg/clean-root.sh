#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Prove the Debian packages in a clean Debian 12 root, as a user meets
# them. With the guest rig's amd64 kernel header packages (Linux 6.1 and
# 6.12) installed first:
#  - the previous changelog version of vfio-pci-wc-dkms, then an upgrade
#    to every package of this version: DKMS must have built each version
#    for both kernels, and after the upgrade know only the new one;
#  - the out-of-tree hello PMD (test/pkg/hello) built with
#    "pkg-config dpdk-wc" alone and run; the packaged dpdk-wc-testpmd;
#  - the package's autopkgtest suite, run by autopkgtest itself
#    (test/pkg/autopkgtest-root.sh): an out-of-tree mempool, mbuf and
#    rte_memcpy program, and the private libdpdk.pc beside Debian's DPDK;
#  - a "dch --local" version of vfio-pci-wc-dkms: its /usr/src tree,
#    dkms.conf and module carry that version;
#  - removing vfio-pci-wc-dkms must remove the modules, and purging every
#    package must leave none of the files "dpkg -L" listed before.
# DEBDIR is devtools/build-debs.sh's output folder. Run as root:
#
#   test/pkg/clean-root.sh DEBDIR
#
# The root is test/pkg/root-lib.sh's: an overlay of a debootstrap root
# made once, so every run starts clean. Prints "clean-root: PASS" and
# exits 0 only if every check held.
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
klist=$CACHE/rig/kernels.list
[ -f "$klist" ] || die "$klist missing (test/rig/setup-rig.sh resolves the rig's kernels)"
abis=$(awk '$1 == "amd64" { print $3 }' "$klist")
[ -n "$abis" ] || die "no amd64 kernels in $klist"
. "$here/root-lib.sh"
trap root_down EXIT
root_up clean-root

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
# dkms_installed VERSION: DKMS has vfio-pci-wc VERSION built and installed
# for every kernel, the module in place says VERSION, and DKMS knows no
# other version.
dkms_installed() {
	v=$1
	status=$(in_root dkms status 2>&1)
	printf '%s\n' "$status" | sed 's/^/clean-root: dkms status: /'
	for a in $abis; do
		check "dkms built vfio-pci-wc $v for $a" sh -c \
			"printf '%s\n' \"\$1\" | grep -q '^vfio-pci-wc/$v, $a, .*: installed'" - "$status"
		ko=$(find "$r/lib/modules/$a" -name 'vfio_pci_wc.ko*' 2>/dev/null | head -n 1)
		check "vfio_pci_wc.ko for $a is version $v" sh -c \
			'[ -n "$1" ] && [ "$(modinfo -F version "$1")" = "$2" ]' - "$ko" "$v"
	done
	check "DKMS knows no other vfio-pci-wc version than $v" sh -c \
		"! printf '%s\n' \"\$1\" | grep '^vfio-pci-wc/' | grep -qv '^vfio-pci-wc/$v,'" - "$status"
}

# An upgrade: the previous changelog version's vfio-pci-wc-dkms first
# (devtools/build-debs.sh builds it from the same source, OUTDIR/dkms-previous).
# install_dkms_deb NAME WHAT: install OUTDIR/dkms-NAME's vfio-pci-wc-dkms
# (devtools/build-debs.sh builds it) into the root; sets $ver to its version.
install_dkms_deb() {
	deb=$(ls "$debdir"/dkms-$1/vfio-pci-wc-dkms_*_all.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "no $debdir/dkms-$1/vfio-pci-wc-dkms_*_all.deb (devtools/build-debs.sh builds it)"
	ver=$(dpkg-deb -f "$deb" Version)
	mkdir -p "$r/tmp/dkms-$1"
	cp "$deb" "$r/tmp/dkms-$1/"
	say "installing the $2 vfio-pci-wc-dkms ($ver)"
	in_root sh -c "apt-get install -y -q --no-install-recommends /tmp/dkms-$1/*.deb" \
		>> "$run/apt.log" 2>&1 || { tail -n 40 "$run/apt.log"; die "installing vfio-pci-wc-dkms $ver failed"; }
}
install_dkms_deb previous previous
prev_ver=$ver
dkms_installed "$prev_ver"

new_ver=$(dpkg-deb -f "$(ls "$r"/tmp/debs/vfio-pci-wc-dkms_*_all.deb)" Version)
say "upgrading to $new_ver with every package"
in_root sh -c 'apt-get install -y -q --no-install-recommends /tmp/debs/*.deb gcc libc6-dev pkg-config' \
	>> "$run/apt.log" 2>&1 || { tail -n 40 "$run/apt.log"; die "installing the packages failed"; }
grep -i 'dkms\|vfio' "$run/apt.log" | sed 's/^/clean-root:   /' | tail -n 20
check "the upgrade $prev_ver -> $new_ver happened" sh -c \
	"grep -q 'Unpacking vfio-pci-wc-dkms ($new_ver) over ($prev_ver)' '$run/apt.log'"
dkms_installed "$new_ver"
check "the upgrade removed /usr/src/vfio-pci-wc-$prev_ver" test ! -e "$r/usr/src/vfio-pci-wc-$prev_ver"
check "/usr/src/vfio-pci-wc-$new_ver/dkms.conf says $new_ver" \
	grep -qx "PACKAGE_VERSION=\"$new_ver\"" "$r/usr/src/vfio-pci-wc-$new_ver/dkms.conf"
check "the package installs one dkms.conf" test "$(in_root dpkg -L vfio-pci-wc-dkms | grep -c 'dkms.conf$')" = 1

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

# The package's autopkgtest suite (debian/tests/control, and autodep8's
# DKMS test through "Testsuite: autopkgtest-pkg-dkms"), run by Debian's
# autopkgtest in this root: an out-of-tree mempool/mbuf/rte_memcpy
# program built with pkg-config dpdk-wc on lcore 40, and a program built
# with the private libdpdk.pc running our EAL with Debian's librte-eal23
# and dpdk installed beside it.
check "autopkgtest (debian/tests/control and dkms-autopkgtest) passed" \
	sh "$here/autopkgtest-root.sh" "$r" "$top" "$debdir"

# A "dch --local" build (OUTDIR/dkms-local): its DKMS tree carries that
# version, in the path, in dkms.conf and in the module DKMS builds.
install_dkms_deb local "dch --local"
local_ver=$ver
check "/usr/src/vfio-pci-wc-$local_ver/dkms.conf says $local_ver" \
	grep -qx "PACKAGE_VERSION=\"$local_ver\"" "$r/usr/src/vfio-pci-wc-$local_ver/dkms.conf"
dkms_installed "$local_ver"

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
