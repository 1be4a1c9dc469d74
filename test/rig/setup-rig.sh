#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Prepare the guest rig's heavy, cached inputs (idempotent, run as root):
#  - a Debian trixie chroot with QEMU >= 11.1 from trixie-backports
#    (bookworm's 7.2 does not fault unaligned accesses to Arm Device memory;
#    trixie's 10.0 loses x86 vCPU timers under decode flips), made with
#    debootstrap;
#    the same chroot carries trixie's compiler, kbuild and dkms, to build
#    our module for the kernels trixie built (their kbuild tools are trixie
#    binaries, glibc 2.41, and do not run on the bookworm host);
#  - Debian guest kernels, 6.1 (bookworm) and 6.12 (bookworm-backports)
#    from the host's apt, 7.3 (trixie-backports) from the chroot's, for
#    amd64 and arm64, newest available, resolved now (never hard-coded),
#    with their headers for building our module;
#  - busybox-static for arm64 (the host's own is amd64).
# Everything lives under $DPDK_WC_CACHE/rig keyed by what it was made from.
# Prints the resolved kernels to $DPDK_WC_CACHE/rig/kernels.list (module
# built on the host) and kernels-trixie.list (built in the chroot), one
# "arch line abi vmlinuz" per line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}
RIG=$CACHE/rig

say() { echo "setup-rig: $*"; }
die() { echo "setup-rig: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, apt-get download)"
mirror=$(sh "$top/devtools/apt-mirror.sh") || die "cannot read the Debian mirror from apt"
mkdir -p "$RIG"

# --- QEMU from trixie-backports --------------------------------------------
# QEMU 11.1 (trixie-backports), not trixie's 10.0: under 10.0 x86_64 TCG
# guests lost a vCPU's local timer and QEMU aborted in iotlb_to_section
# under memory-decode flips and resets, whatever the driver (the study in
# doc/guides/rig.rst, "The x86 stress hang"). The chroot is trixie with
# the backports suite of the mirror the host's apt names.
qemu_pkgs="qemu-system-x86 qemu-system-arm ipxe-qemu qemu-efi-aarch64"
qemu_min=11.1
# What kbuild and dkms need for an external module against a prebuilt
# header tree, native and cross (the tree's scripts come with linux-kbuild,
# installed below from trixie-backports, which debootstrap cannot reach).
kbuild_pkgs="make,gcc,libc6-dev,gcc-aarch64-linux-gnu,kmod,dkms,bc"
key=$(printf 'trixie qemu-from-backports %s %s' "$qemu_pkgs" "$kbuild_pkgs" | sha256sum | cut -c1-16)
chroot_dir=$RIG/qemu-trixie-$key
tline="deb $mirror trixie-backports main"
if [ ! -x "$chroot_dir/usr/bin/qemu-system-aarch64" ] || [ ! -f "$chroot_dir/.complete" ]; then
	say "debootstrap trixie, then QEMU from trixie-backports, into $chroot_dir (a minute or two)"
	rm -rf "$chroot_dir.part"
	debootstrap --variant=minbase --include="$kbuild_pkgs" trixie \
		"$chroot_dir.part" "$mirror" > "$RIG/debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $RIG/debootstrap.log"
	printf '%s\n' "$tline" > "$chroot_dir.part/etc/apt/sources.list.d/rig-trixie-backports.list"
	{ chroot "$chroot_dir.part" apt-get update -qq &&
	  chroot "$chroot_dir.part" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends -t trixie-backports $qemu_pkgs; } \
		>> "$RIG/debootstrap.log" 2>&1 ||
		die "installing QEMU from trixie-backports failed, see $RIG/debootstrap.log"
	rm -rf "$chroot_dir"
	mv "$chroot_dir.part" "$chroot_dir"
	touch "$chroot_dir/.complete"
fi
ln -sfn "$chroot_dir" "$RIG/qemu-chroot"
ln -sfn "$chroot_dir" "$RIG/trixie-chroot"
ver=$(chroot "$chroot_dir" qemu-system-x86_64 --version | head -n 1)
num=$(echo "$ver" | sed -n 's/.*version \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$num" ] && [ "$(printf '%s\n%s\n' "$qemu_min" "$num" | sort -V | head -n 1)" = "$qemu_min" ] ||
	die "QEMU in $chroot_dir is $ver: the rig needs >= $qemu_min (doc/guides/rig.rst)"
say "$ver"

# The chroot's apt reaches trixie-backports and arm64 packages from the
# mirror the host's apt names; its lists are refreshed at most every six
# hours, so "newest" means newest as of today.
tsrc=$chroot_dir/etc/apt/sources.list.d/rig-trixie-backports.list
if [ "$(cat "$tsrc" 2>/dev/null)" != "$tline" ]; then
	printf '%s\n' "$tline" > "$tsrc"
	rm -f "$chroot_dir/var/lib/apt/.rig-updated"
fi
tapt() { chroot "$chroot_dir" "$@"; }
tapt dpkg --add-architecture arm64
stamp=$chroot_dir/var/lib/apt/.rig-updated
if [ -z "$(find "$stamp" -mmin -360 2>/dev/null)" ]; then
	tapt apt-get update -qq > "$RIG/trixie-apt.log" 2>&1 ||
		die "apt-get update in $chroot_dir failed, see $RIG/trixie-apt.log"
	touch "$stamp"
fi

# --- guest kernels --------------------------------------------------------
# Which apt answers for a kernel line: the host's (bookworm and its
# backports) or the trixie chroot's. $via is "host" or "trixie". Never
# reads stdin: callers loop over lists on theirs.
via_apt() { # via command...
	v=$1
	shift
	if [ "$v" = trixie ]; then tapt "$@"; else "$@"; fi < /dev/null
}

newest() { # via regex
	via_apt "$1" apt-cache search --names-only "$2" | awk '{print $1}' | sort -V | tail -n 1
}

fetch_deb() { # package[:arch] destdir [via]
	d=$2
	mkdir -p "$d"
	if ! ls "$d"/*.deb >/dev/null 2>&1; then
		if [ "${3:-host}" = trixie ]; then
			tmp=$(mktemp -d "$chroot_dir/tmp/rig-deb.XXXXXX")
			in=/tmp/$(basename "$tmp")
		else
			tmp=$(mktemp -d)
			in=$tmp
		fi
		chmod 755 "$tmp"
		via_apt "${3:-host}" sh -c 'cd "$1" && apt-get download -qq "$2"' sh "$in" "$1" \
			>/dev/null 2>&1 || { rm -rf "$tmp"; die "apt-get download $1 failed"; }
		mv "$tmp"/*.deb "$d"/
		rm -rf "$tmp"
	fi
}

# Line, where its module is built, and the package pattern of its image.
lines="6.1:host 6.12:host 7.3:trixie"

: > "$RIG/kernels.list.part"
: > "$RIG/kernels-trixie.list.part"
for arch in amd64 arm64; do
	for lv in $lines; do
		line=${lv%:*}
		via=${lv#*:}
		case $line in
		6.1)  re="^linux-image-6\.1\.0-[0-9]+-$arch-unsigned\$" ;;
		6.12) re="^linux-image-6\.12\.[0-9]+\+deb12-$arch-unsigned\$" ;;
		7.3)  re="^linux-image-7\.3\.[0-9]+\+deb13-$arch\$" ;;
		esac
		img=$(newest "$via" "$re")
		[ -n "$img" ] || die "no package matches $re in the $via apt (is bookworm-backports configured? run devtools/setup-host.sh)"
		abi=${img#linux-image-}
		abi=${abi%-unsigned}
		kdir=$RIG/kernels/$abi
		if [ ! -f "$kdir/.complete" ]; then
			say "fetching kernel $abi"
			rm -rf "$kdir"
			fetch_deb "$img:$arch" "$kdir/deb/image" "$via"
			# Newer kernels split the image package into parts named
			# for the same ABI (base, binary, modules): take them all.
			for part in $(via_apt "$via" apt-cache depends "$img:$arch" |
				awk -v abi="$abi" '$1 == "Depends:" { sub(/:.*/, "", $2)
					if ($2 ~ /^linux-/ && substr($2, length($2) - length(abi) + 1) == abi) print $2 }'); do
				fetch_deb "$part:$arch" "$kdir/deb/$part" "$via"
			done
			mkdir -p "$kdir/root"
			for d in "$kdir"/deb/*/*.deb; do dpkg-deb -x "$d" "$kdir/root"; done
			rm -rf "$kdir/deb"
			# A merged-/usr tree: give it the /lib link its system would
			# have, where depmod and the rig look for modules.
			[ -d "$kdir/root/usr/lib/modules" ] && [ ! -e "$kdir/root/lib" ] &&
				ln -s usr/lib "$kdir/root/lib"
			map=$(ls "$kdir/root/boot/System.map-$abi" "$kdir/root/usr/lib/modules/$abi/System.map" 2>/dev/null | head -n 1)
			[ -n "$map" ] || die "no System.map in the packages of $abi"
			# The package leaves modules.dep to depmod at install time.
			depmod -b "$kdir/root" -F "$map" "$abi" ||
				die "depmod failed for $abi"
			touch "$kdir/.complete"
		fi
		vmlinuz=$(ls "$kdir"/root/boot/vmlinuz-* "$kdir/root/usr/lib/modules/$abi/vmlinuz" 2>/dev/null | head -n 1)
		[ -n "$vmlinuz" ] || die "no kernel image in $kdir/root"
		list=$RIG/kernels.list.part
		[ "$via" = trixie ] && list=$RIG/kernels-trixie.list.part
		printf '%s %s %s %s\n' "$arch" "$line" "$abi" "$vmlinuz" >> "$list"
	done
done
mv "$RIG/kernels.list.part" "$RIG/kernels.list"
mv "$RIG/kernels-trixie.list.part" "$RIG/kernels-trixie.list"

# --- header-only kernel lines -------------------------------------------------
# Every other kernel line the two releases serve headers for (such as a
# second line in trixie-backports): no guest boots them, but DKMS builds
# our module for them too (test/rig/dkms-check.sh), so a user who upgrades
# to one gets a module. Found anew on every run, newest ABI per line, in
# kernels-headers.list (host) and kernels-headers-trixie.list (chroot),
# the same four fields with "-" for the image.
booted=" $(for lv in $lines; do printf '%s ' "${lv%:*}"; done)"
: > "$RIG/kernels-headers.list.part"
: > "$RIG/kernels-headers-trixie.list.part"
for arch in amd64 arm64; do
	for via in host trixie; do
		tag=deb12
		list=$RIG/kernels-headers.list.part
		if [ "$via" = trixie ]; then
			tag=deb13
			list=$RIG/kernels-headers-trixie.list.part
		fi
		# linux-headers-6.1.0-57-amd64, -6.12.118+deb12-amd64, -7.2.11+deb13-amd64
		re="^linux-headers-[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+|\+$tag)-$arch\$"
		for l in $(via_apt "$via" apt-cache search --names-only "$re" | awk '{ print $1 }' |
			sed -E 's/^linux-headers-([0-9]+\.[0-9]+)\..*/\1/' | sort -uV); do
			case $booted in *" $l "*) continue ;; esac
			lre=$(printf '%s' "$l" | sed 's/\./\\./g')
			pkg=$(newest "$via" "^linux-headers-$lre\.[0-9]+(-[0-9]+|\+$tag)-$arch\$")
			[ -n "$pkg" ] || continue
			printf '%s %s %s -\n' "$arch" "$l" "${pkg#linux-headers-}" >> "$list"
		done
	done
done
mv "$RIG/kernels-headers.list.part" "$RIG/kernels-headers.list"
mv "$RIG/kernels-headers-trixie.list.part" "$RIG/kernels-headers-trixie.list"
say "header-only kernel lines (DKMS builds only): $(cut -d' ' -f1,3 "$RIG/kernels-headers.list" "$RIG/kernels-headers-trixie.list" | tr '\n' ' ')"

# --- kernel headers for our module (kbuild tools + per-arch trees) ----------
# Debian's per-flavour headers point their scripts at linux-kbuild-<line>,
# an amd64 binary package: installed where the module is built (the host,
# or the trixie chroot), it lets kbuild cross-compile the arm64 trees too.
# The trees stay in the cache; build-kmods.sh shows them to the chroot.
headers() { # via < list
while read -r arch line abi vmlinuz; do
	hdir=$RIG/kheaders/$abi
	deps=$(via_apt "$1" apt-cache depends "linux-headers-$abi:$arch" 2>/dev/null |
		awk '$1 == "Depends:" { gsub(/[<>]/, "", $2); sub(/:.*/, "", $2); print $2 }')
	common=$(echo "$deps" | grep -m1 -- '^linux-headers-.*-common$' || true)
	kbuild=$(echo "$deps" | grep -m1 -- '^linux-kbuild-' || true)
	[ -n "$common" ] && [ -n "$kbuild" ] || die "cannot resolve the header packages of $abi"
	# The cached tree links to the host's kbuild tools: make sure they are
	# installed even when the tree itself comes from the cache.
	# In the chroot, from trixie-backports first: QEMU came from there
	# with its libraries (libelf, libdw), which trixie's own older ones
	# would have to replace.
	bpo=""
	[ "$1" = trixie ] && bpo="-t trixie-backports"
	if ! via_apt "$1" dpkg-query -W -f='${Status}' "$kbuild" 2>/dev/null | grep -q "ok installed"; then
		via_apt "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $bpo "$kbuild" >/dev/null ||
			die "apt-get install $kbuild ($1) failed"
	fi
	if [ ! -f "$hdir/.complete" ]; then
		say "fetching headers for $abi"
		rm -rf "$hdir"
		mkdir -p "$hdir/deb"
		fetch_deb "linux-headers-$abi:$arch" "$hdir/deb/flavour" "$1"
		fetch_deb "$common" "$hdir/deb/common" "$1"
		mkdir -p "$hdir/root"
		for d in "$hdir"/deb/*/*.deb; do dpkg-deb -x "$d" "$hdir/root"; done
		rm -rf "$hdir/deb"
		# scripts/ and tools/ point at ../../lib/<kbuild>: the copy where
		# the module is built (the host's, or the chroot's).
		mkdir -p "$hdir/root/usr/lib"
		ln -sfn "/usr/lib/$kbuild" "$hdir/root/usr/lib/$kbuild"
		touch "$hdir/.complete"
	fi
	# The flavour tree's Makefile includes the -common tree by its
	# installed path, /usr/src/<common>/Makefile, and newer ones also set
	# KBUILD_OUTPUT=/usr/src/<flavour>: point both at the copies unpacked
	# here instead, so kbuild never needs the host to have the header
	# packages installed. Done on every run (it is cheap and idempotent),
	# so a cache made before, or moved since, is right too;
	# build-module.sh --no-host-headers checks the result.
	mk=$hdir/root/usr/src/linux-headers-$abi/Makefile
	here_common=$hdir/root/usr/src/$common
	here_flavour=$hdir/root/usr/src/linux-headers-$abi
	[ -f "$here_common/Makefile" ] || die "$here_common/Makefile missing: remove $hdir and run again"
	sed -e "s|^KBUILD_OUTPUT=.*/usr/src/linux-headers-$abi\$|KBUILD_OUTPUT=$here_flavour|" \
		-e "s|^include .*/usr/src/$common/Makefile\$|include $here_common/Makefile|" \
		"$mk" > "$mk.rig"
	if grep -qvxF -e "KBUILD_OUTPUT=$here_flavour" -e "include $here_common/Makefile" "$mk.rig" ||
	   ! grep -qxF "include $here_common/Makefile" "$mk.rig"; then
		rm -f "$mk.rig"
		die "$mk is not the include of $common (and KBUILD_OUTPUT) this script knows: $(head -c 200 "$mk")"
	fi
	if cmp -s "$mk" "$mk.rig"; then rm -f "$mk.rig"; else mv "$mk.rig" "$mk"; fi
done
}
headers host < "$RIG/kernels.list"
headers trixie < "$RIG/kernels-trixie.list"
headers host < "$RIG/kernels-headers.list"
headers trixie < "$RIG/kernels-headers-trixie.list"

# --- arm64 busybox ----------------------------------------------------------
bb=$RIG/busybox-arm64
if [ ! -x "$bb/bin/busybox" ]; then
	say "fetching busybox-static:arm64"
	rm -rf "$bb"
	fetch_deb busybox-static:arm64 "$bb/deb"
	dpkg-deb -x "$bb"/deb/*.deb "$bb"
	rm -rf "$bb/deb"
fi

say "ready: $(cat "$RIG/kernels.list" "$RIG/kernels-trixie.list" | wc -l) kernels in $RIG/kernels.list and kernels-trixie.list"
