#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Run the package's autopkgtest suite (DEP-8) in an already prepared
# Debian 12 root, the way autopkgtest runs it: Debian's own autopkgtest
# and autodep8, installed in the root, run there with the null virt
# server (which runs the tests on the system it runs on, the root):
#
#   autopkgtest --output-dir=OUT --ignore-restrictions=breaks-testbed \
#       SRC DEBS... -- null
#
# SRC is a copy of SRCDIR in the root (an unpacked source tree of
# dpdk-wc; build output such as .git, build*, obj-* and the meson
# subproject trees stays out) and DEBS are DEBDIR's *_<arch>.deb and
# *_all.deb, which autopkgtest serves to apt for the tests' Depends.
# Because debian/control says "Testsuite: autopkgtest-pkg-dkms",
# autopkgtest 5.28 asks autodep8 for the tests, which prints
# debian/tests/control followed by its DKMS test (dkms-autopkgtest):
# both sets run. The DKMS test is breaks-testbed, which the null server
# cannot revert and so would skip: the root is a throwaway, so that
# restriction is ignored. It builds the module for each kernel whose
# linux-headers the root has.
#
#   test/pkg/autopkgtest-root.sh ROOT SRCDIR DEBDIR
#
# ROOT has working apt and network and /proc, /sys, /dev mounted
# (test/pkg/clean-root.sh calls this with its root). Prints
# "autopkgtest: ok: NAME" or "autopkgtest: FAIL: NAME" for each test of
# autopkgtest's summary, the tail of a failed test's output, and exits 0
# only if every test passed and at least one ran. The output folder stays
# in the root (/tmp/autopkgtest-run/out).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
usage="usage: autopkgtest-root.sh ROOT SRCDIR DEBDIR"
root=$(cd "${1:?$usage}" && pwd)
srcdir=$(cd "${2:?$usage}" && pwd)
debdir=$(cd "${3:?$usage}" && pwd)

say() { echo "autopkgtest: $*"; }
die() { echo "autopkgtest: error: $*" >&2; exit 1; }
indent() { sed 's/^/autopkgtest:   /'; }

[ "$(id -u)" = 0 ] || die "must run as root (chroot)"
[ -x "$root/usr/bin/apt-get" ] || die "$root is no Debian root"
[ -e "$root/proc/self/status" ] || die "$root/proc is not mounted"
[ -f "$srcdir/debian/control" ] || die "$srcdir has no debian/control"
[ -f "$srcdir/debian/tests/control" ] || die "$srcdir has no debian/tests/control"

# in_root from root-lib.sh, on this root.
# shellcheck disable=SC2034
r=$root
. "$here/root-lib.sh"

w=/tmp/autopkgtest-run
rm -rf "${root:?}$w"
mkdir -p "$root$w/debs" "$root$w/src"
name=$(basename "$srcdir")
src=$w/src/$name
mkdir "$root$src"
# The tree as dpkg-source unpacks it: no VCS or build output.
(cd "$srcdir" && tar -cf - --anchored --exclude=./.git --exclude='./build*' \
	--exclude='./obj-*' --exclude='./subprojects/dpdk-stable-*' \
	--exclude=./subprojects/packagecache .) | (cd "$root$src" && tar -xf -)

arch=$(in_root dpkg --print-architecture)
for d in "$debdir"/*_"$arch".deb "$debdir"/*_all.deb; do
	if [ -f "$d" ]; then cp "$d" "$root$w/debs/"; fi
done
ls "$root$w/debs"/*.deb > /dev/null 2>&1 || die "no *_$arch.deb or *_all.deb in $debdir"
say "source tree $srcdir -> $src; packages: $(cd "$root$w/debs" && echo *.deb)"

say "apt-get install autopkgtest autodep8 in the root"
in_root apt-get update -qq > "$root$w/apt.log" 2>&1 || { tail -n 20 "$root$w/apt.log"; die "apt-get update failed"; }
in_root apt-get install -y -q --no-install-recommends autopkgtest autodep8 \
	>> "$root$w/apt.log" 2>&1 || { tail -n 40 "$root$w/apt.log"; die "installing autopkgtest failed"; }
say "$(in_root dpkg-query -W -f '${Package} ${Version}\n' autopkgtest autodep8 | tr '\n' ' ')"

# What autopkgtest will run: autodep8's view of the tree.
in_root sh -c 'cd "$1" && autodep8' - "$src" > "$root$w/autodep8.control" 2>&1 ||
	say "autodep8 generated nothing (exit $?)"
say "tests autodep8 finds in the tree: $(sed -n 's/^Tests: *//p; s/^Features: *test-name=//p' "$root$w/autodep8.control" | tr '\n' ' ')"

start=$(date +%s)
rc=0
in_root sh -c 'autopkgtest --output-dir="$1/out" --ignore-restrictions=breaks-testbed \
	"$2" "$1"/debs/*.deb -- null' - "$w" "$src" > "$root$w/run.log" 2>&1 || rc=$?
say "autopkgtest exited $rc after $(($(date +%s) - start))s (log: $w/run.log, output: $w/out)"

out=$root$w/out
log=$out/log
[ -f "$log" ] || log=$root$w/run.log
# duration NAME: how long the test ran, and with autopkgtest's testbed
# preparation (installing its Depends) before it, from the log's
# "autopkgtest [HH:MM:SS]: test NAME: ..." lines.
duration() {
	awk -v t="$1" '
		function secs(s) { split(s, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
		function since(s) { d = end - s; if (d < 0) d += 86400; return d }
		$1 == "autopkgtest" && $3 == "test" && $4 == t ":" {
			ts = secs(substr($2, 2, 8))
			if ($5 == "preparing") prep = ts
			if ($5 ~ /^\[-/) start = ts
			if ($0 ~ / results /) end = ts
		}
		END {
			if (start != "" && end != "") printf "%ds", since(start)
			if (prep != "" && end != "") printf ", %ds with its Depends", since(prep)
		}
	' "$log"
}

fails=0
ran=0
if [ -f "$out/summary" ]; then
	summary=$out/summary
else
	say "no summary file: autopkgtest did not get to run tests"
	summary=/dev/null
fi
while read -r tname result rest; do
	case $result in
	PASS)
		ran=$((ran + 1))
		took=$(duration "$tname")
		say "ok: $tname${rest:+ $rest}${took:+ ($took)}"
		# What the test checked, from its own "NAME: ok:" lines.
		if [ -s "$out/$tname-stdout" ]; then
			grep -E "^$tname: (ok|PASS)" "$out/$tname-stdout" | indent || true
		fi
		;;
	FAIL|SKIP|FLAKY|BROKEN)
		[ "$result" = SKIP ] || ran=$((ran + 1))
		fails=$((fails + 1))
		took=$(duration "$tname")
		say "FAIL: $tname ($result${rest:+ $rest})${took:+ ($took)}"
		for f in "$out/$tname-stdout" "$out/$tname-stderr"; do
			if [ -s "$f" ]; then
				say "tail of $(basename "$f"):"
				tail -n 40 "$f" | indent
			fi
		done
		;;
	*)
		say "summary: $tname $result $rest"
		case $tname in
		badpkg:|blame:|erroneous|testbed|quitting:) fails=$((fails + 1)) ;;
		esac
		;;
	esac
done < "$summary"

if [ $fails != 0 ] || [ $ran = 0 ] || [ $rc != 0 ]; then
	if [ $fails = 0 ]; then
		say "FAIL: autopkgtest exited $rc, $ran tests ran"
		say "tail of $log:"
		tail -n 40 "$log" | indent
	fi
	exit 1
fi
say "all $ran tests passed"
