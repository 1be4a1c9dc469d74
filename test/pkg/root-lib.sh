# SPDX-License-Identifier: BSD-3-Clause
# Shell functions for a clean Debian 12 root, sourced by clean-root.sh
# and source-build.sh (which set say/die first). The base root
# (debootstrap minbase, bookworm and bookworm-backports from the mirror
# apt is configured with) is made once in $DPDK_WC_CACHE/pkg-root and
# every run gets it through an overlay, so it starts clean.
#
#   root_up NAME     mount a fresh root at $r (run folder $run); the
#                    caller's EXIT trap must call root_down
#   in_root CMD...   run CMD in the root, a clean environment
#   root_down        unmount and remove it

CACHE=${DPDK_WC_CACHE:-/var/cache/dpdk-wc}

root_base() {
	base=$CACHE/pkg-root/bookworm
	[ -f "$base/.complete" ] && return 0
	mirror=$(sh "$top/devtools/apt-mirror.sh") || die "cannot read the Debian mirror from apt"
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
}

root_up() {
	root_base
	run=$(mktemp -d "/tmp/dpdk-wc-$1.XXXXXX")
	r=$run/root
	mkdir -p "$run/up" "$run/work" "$r"
	mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/up,workdir=$run/work" "$r" ||
		die "overlay mount failed"
	cp /etc/resolv.conf "$r/etc/resolv.conf"
	# This machine's own apt sources (as a user's machine has them): the
	# rig's kernels come from the security archive too, which the mirror
	# alone lacks.
	cp /etc/apt/sources.list.d/*.sources "$r/etc/apt/sources.list.d/"
	if [ -f /etc/apt/sources.list ]; then cp /etc/apt/sources.list "$r/etc/apt/sources.list"; fi
	mount --bind /proc "$r/proc"
	mount --bind /sys "$r/sys"
	mount --rbind /dev "$r/dev"
	mount -t tmpfs tmpfs "$r/tmp"
}

in_root() {
	chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

root_down() {
	[ -n "${r:-}" ] || return 0
	for m in dev/pts dev proc sys tmp; do umount -l "$r/$m" 2>/dev/null || true; done
	umount -l "$r" 2>/dev/null || true
	rm -rf "$run"
	r=""
}
