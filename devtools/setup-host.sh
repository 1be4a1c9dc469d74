#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Prepare a Debian 12 host to build and test dpdk-wc. Idempotent: run it as
# root as often as you like; it only does what is not done yet.
#
#  - apt sources: deb-src for the configured mirror (DPDK source package) and
#    bookworm-backports (Linux 6.12 guest kernels), arm64 as a foreign arch
#    (arm64 guest kernels are downloaded, never installed; the arm64
#    Debian packages are cross-built against libnuma-dev:arm64)
#  - every Debian package the build, the unit tests and the guest rig use,
#    and those that build the Debian packages and the guides (debhelper,
#    dh-dkms, lintian, python3-sphinx), and what cross-builds the arm64
#    ones (crossbuild-essential-arm64, libnuma-dev:arm64, pkgconf:arm64)
#  - DPDK's Debian source tarball, checked against a pinned sha256, kept in
#    the cache and linked where meson's wrap looks for it
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/dpdk-version.sh"

CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}

say() { echo "setup-host: $*"; }
die() { echo "setup-host: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages)"
command -v apt-get >/dev/null || die "needs a Debian system with apt-get"

mirror=$(sh "$here/apt-mirror.sh") || die "cannot read the Debian mirror from apt's configuration"
# The release this machine runs: its suites, not a fixed name. The build
# pins Debian 12's DPDK source (devtools/dpdk-version.sh), which another
# release may not serve.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
[ "$codename" = bookworm ] ||
	say "warning: this is Debian $codename, not bookworm (Debian 12): the pinned DPDK source and the rig's kernels are bookworm's"

# --- apt sources --------------------------------------------------------
src=/etc/apt/sources.list.d/dpdk-wc.sources
want=$(cat <<EOF
# Written by dpdk-wc devtools/setup-host.sh; same mirror as debian.sources.
Types: deb-src
URIs: $mirror
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: $mirror
Suites: $codename-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
)
need_update=0
if [ ! -f "$src" ] || [ "$(cat "$src")" != "$want" ]; then
	printf '%s\n' "$want" > "$src"
	say "wrote $src"
	need_update=1
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	say "added arm64 as a foreign architecture (arm64 guest kernels, cross-built packages)"
	need_update=1
fi
# Always refresh once per run: a brand-new machine may carry stale lists.
stamp=$CACHE/apt-updated
mkdir -p "$CACHE"
if [ "$need_update" = 1 ] || [ ! -f "$stamp" ] ||
   [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
	say "apt-get update"
	apt-get update -qq || die "apt-get update failed"
	touch "$stamp"
fi

# --- packages -----------------------------------------------------------
pkgs="build-essential meson ninja-build pkg-config ccache python3
python3-pyelftools libnuma-dev libelf-dev xz-utils patch
gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
qemu-system-x86 debootstrap busybox-static cpio kmod dpkg-dev
bc bison flex libssl-dev valgrind
debhelper dh-dkms lintian python3-sphinx git man-db devscripts
crossbuild-essential-arm64 libnuma-dev:arm64 pkgconf:arm64"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing:$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null ||
		die "apt-get install failed for:$missing"
fi

# --- DPDK source --------------------------------------------------------
# Cached by content: the directory name is the tarball's sha256.
dcache=$CACHE/dpdk-src/$DPDK_ORIG_SHA256
tarball=$dcache/$DPDK_ORIG
if [ ! -f "$tarball" ]; then
	tmp=$(mktemp -d)
	chmod 755 "$tmp"  # apt downloads as user _apt
	say "fetching Debian source package dpdk=$DPDK_DEB_VERSION"
	(cd "$tmp" && apt-get source -qq --download-only "dpdk=$DPDK_DEB_VERSION" >/dev/null) ||
		die "apt-get source dpdk=$DPDK_DEB_VERSION failed (is the deb-src entry in $src served?)"
	[ -f "$tmp/$DPDK_ORIG" ] || die "source package did not contain $DPDK_ORIG"
	mkdir -p "$dcache"
	mv "$tmp/$DPDK_ORIG" "$tarball.part"
	rm -rf "$tmp"
	mv "$tarball.part" "$tarball"
fi
echo "$DPDK_ORIG_SHA256  $tarball" | sha256sum -c --quiet - ||
	die "$tarball does not match the pinned sha256 $DPDK_ORIG_SHA256"

# meson's wrap looks in subprojects/packagecache before anything else.
mkdir -p "$top/subprojects/packagecache"
ln -sf "$tarball" "$top/subprojects/packagecache/$DPDK_ORIG"
say "DPDK $DPDK_VERSION source ready ($tarball)"
