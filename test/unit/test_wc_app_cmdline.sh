#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc's command line as a user types it, run on the host with
# no device: what must be refused is refused before EAL starts (EAL
# would otherwise scan the PCI bus and offer every device to its
# drivers), with exit status 2 and one line; --help and --eal-help show
# the EAL options. --no-pci keeps EAL off the host's devices even if a
# check here regresses.
#
#   test_wc_app_cmdline.sh <dpdk-test-wc>
set -u
app=$1
fail=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# run <expected status> <description> <args...>: status and output kept.
run() {
	want=$1
	what=$2
	shift 2
	"$app" "$@" > "$out" 2> "$err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $what: exit status $rc, expected $want ($*)"
		sed 's/^/  stderr: /' "$err" | head -n 5
		fail=$((fail + 1))
		return 1
	fi
	return 0
}

# One line from the app on stderr, matching $1, and no line from EAL.
one_line_no_eal() {
	what=$1
	pattern=$2
	if grep -q '^EAL:' "$err" "$out"; then
		echo "FAIL: $what: EAL was started: $(grep -m1 '^EAL:' "$err" "$out")"
		fail=$((fail + 1))
	elif [ "$(wc -l < "$err")" != 1 ] || ! grep -q -e "$pattern" "$err"; then
		echo "FAIL: $what: expected one line matching '$pattern', got:"
		sed 's/^/  stderr: /' "$err" | head -n 5
		fail=$((fail + 1))
	else
		echo "ok: $what: $(cat "$err")"
	fi
}

EAL="--no-huge -m 64 --no-pci --no-telemetry -l 0"

run 2 "no -a" $EAL -- --quick &&
	one_line_no_eal "no -a" "^dpdk-test-wc: no device named: .*-a <PCI address>"
run 2 "no -a, NVMe mode" $EAL -- --nvme &&
	one_line_no_eal "no -a, NVMe mode" "^dpdk-test-wc: no device named"
run 2 "--pci-wc <bad word>" $EAL -a 0000:00:1f.6 --pci-wc bogus -- --quick &&
	one_line_no_eal "--pci-wc <bad word>" "^dpdk-test-wc: .*--pci-wc.*'bogus'"
run 2 "--huge-unlink <word>" $EAL -a 0000:00:1f.6 --huge-unlink never -- --quick &&
	one_line_no_eal "--huge-unlink <word>" "--huge-unlink=never"

if run 0 "--help" --help; then
	before=$fail
	for o in "-a, --allow" "-l CORELIST" "--pci-wc" "--no-huge" "-d LIB.so" "--eal-help"; do
		grep -q -e "$o" "$out" ||
			{ echo "FAIL: --help does not show '$o'"; fail=$((fail + 1)); }
	done
	[ "$fail" = "$before" ] && echo "ok: --help shows the EAL options"
fi
if run 0 "--eal-help" --eal-help; then
	if grep -q "EAL common options" "$out" && grep -q -- "--pci-wc" "$out"; then
		echo "ok: --eal-help prints EAL's own option list"
	else
		echo "FAIL: --eal-help: no EAL option list on stdout"
		fail=$((fail + 1))
	fi
fi

[ "$fail" = 0 ] || { echo "$fail check(s) failed"; exit 1; }
echo "all command-line checks passed"
