#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The DPDK patch series is a proper series: each file NNNN-*.patch says
# who and when (From:, Date:), "Subject: [PATCH n/N]" with n its own
# number and N the number of files, and why (a body before "---");
# build.rst says for each patch why it exists; and no patch names one
# VFIO variant driver (vfio-pci-wc) where any vfio-pci-core user belongs.
#   test_patch_series.sh SOURCE_DIR
set -u
src=$1
dir="$src/subprojects/packagefiles/dpdk"
doc="$src/doc/guides/build.rst"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

total=$(ls "$dir"/[0-9][0-9][0-9][0-9]-*.patch | wc -l)
for p in "$dir"/[0-9][0-9][0-9][0-9]-*.patch; do
	name=$(basename "$p")
	n=$(echo "$name" | cut -c1-4 | sed 's/^0*//')
	grep -q '^From: ' "$p" || fail "$name: no From: line"
	grep -q '^Date: ' "$p" || fail "$name: no Date: line"
	subj=$(grep -m1 '^Subject: ' "$p")
	case "$subj" in
	"Subject: [PATCH $n/$total] "?*) ok "$name: $subj" ;;
	*) fail "$name: '$subj' is not [PATCH $n/$total] <subject>" ;;
	esac
	body=$(sed -n '/^Subject: /,/^---$/p' "$p" | sed '1d;$d' | grep -c '[a-z]')
	[ "$body" -gt 0 ] && ok "$name: says why ($body lines)" ||
		fail "$name: no description before ---"
	grep -q "$name" "$doc" && ok "build.rst explains $name" ||
		fail "build.rst does not mention $name"
done
if grep -nE '^\+.*("vfio-pci-wc"|"vfio_pci_wc")' "$dir"/*.patch; then
	fail "a patch hard-codes the vfio-pci-wc driver name (above)"
else
	ok "no patch hard-codes a variant driver's name"
fi
[ $fails = 0 ] && echo "patch series: all checks passed" && exit 0
echo "patch series: $fails check(s) failed"
exit 1
