#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The rig's module builds must read nothing under the host's
# /usr/src/linux-headers-*: build-module.sh --no-host-headers fails loudly
# when they do. Fake kernel trees stand in for Debian's, each reaching for
# the host in one way; a tree that only uses a cached .../usr/src path
# must not trip the guard.
#
#   test_kmod_build_guard.sh BUILD_MODULE_SH
set -u
bm=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# Runs build-module.sh on fake tree $1; leaves its output in $tmp/out.txt.
build() {
	sh "$bm" --no-host-headers "$tmp/obj-$(basename "$1")" "$1" > "$tmp/out.txt" 2>&1
}
check() { # description, condition
	if eval "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		sed 's/^/    /' "$tmp/out.txt"
		failed=$((failed + 1))
	fi
}

# 1. Debian's flavour Makefile left as packaged: it includes the -common
#    tree by its absolute /usr/src path (the bug that made CI red).
k=$tmp/k-include
mkdir -p "$k"
echo 'include /usr/src/linux-headers-0.0.0-dpdk-wc-guard-common/Makefile' > "$k/Makefile"
build "$k"
rc=$?
check "a tree including the host's -common Makefile fails the build" '[ $rc -ne 0 ]'
check "... and the guard names the host path" \
	'grep -q "build-module: guard: .*read the host.s /usr/src/linux-headers-.*linux-headers-0.0.0-dpdk-wc-guard-common" "$tmp/out.txt"'

# 2. A build that succeeds but whose dependency list shows it compiled
#    against a host header (what a host with the headers installed does).
k=$tmp/k-deps
mkdir -p "$k"
cat > "$k/Makefile" <<'MK'
modules:
	@printf 'deps_main.o := \\\n  /usr/src/linux-headers-0.0.0-dpdk-wc-guard/include/linux/types.h \\\n\n' > $(M)/.main.o.cmd
MK
build "$k"
rc=$?
check "a successful build with a host header in .main.o.cmd fails" '[ $rc -ne 0 ]'
check "... and the guard quotes the dependency" \
	'grep -q "build-module: guard: .*(/usr/src/linux-headers-0.0.0-dpdk-wc-guard/include/linux/types.h" "$tmp/out.txt"'

# 3. A cached tree's own .../usr/src/linux-headers-* path is fine: the
#    build goes on (and fails later, for want of a real module), unguarded.
k=$tmp/root/usr/src/linux-headers-0.0.0-dpdk-wc-guard
mkdir -p "$k"
cat > "$k/Makefile" <<MK
modules:
	@printf 'deps_main.o := \\\\\\n  $k/include/linux/types.h \\\\\\n\\n' > \$(M)/.main.o.cmd
MK
build "$k"
check "a cached tree's own usr/src path does not trip the guard" '! grep -q "guard:" "$tmp/out.txt"'
check "... its dependency list was written, so the check looked at it" \
	'grep -q "$k/include/linux/types.h" "$tmp/obj-$(basename "$k")/.main.o.cmd"'

echo "$((6 - failed)) passed, $failed failed"
[ "$failed" = 0 ]
