#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc(1), built by sphinx from doc/guides/app_test_wc.rst,
# renders with "man -l" without a groff warning (but one, below) and carries the sections
# and options a reader looks for.
#   test_man_page.sh PAGE
set -u
page=$1
command -v man >/dev/null || { echo "SKIP: man (man-db) not installed"; exit 77; }
err=$(mktemp)
trap 'rm -f "$err"' EXIT
out=$(MANWIDTH=80 man -l "$page" 2>"$err")
fails=0
# grotty's "character above first line discarded" comes from the box
# lines of the long options table (tbl) where nroff breaks it; the text is
# all there. Any other message fails.
other=$(grep -v 'character above first line discarded' "$err")
[ -n "$other" ] && { echo "FAIL: man -l warned:"; printf '%s\n' "$other"; fails=$((fails + 1)); }
grep -q 'character above first line discarded' "$err" &&
	echo "note: $(grep -c . "$err") tbl box-line notes from grotty (long table across a page)"
for want in 'DPDK-TEST-WC(1)' 'NAME' 'dpdk-test-wc - ' '--mode' '--nvme'; do
	printf '%s\n' "$out" | grep -qF -- "$want" && echo "ok: the page has '$want'" ||
		{ echo "FAIL: the page lacks '$want'"; fails=$((fails + 1)); }
done
echo "man page: $(printf '%s\n' "$out" | wc -l) lines rendered"
[ $fails = 0 ]
