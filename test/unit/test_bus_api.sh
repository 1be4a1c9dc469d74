#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The bus's WC API as a user of the installed DPDK meets it:
#  - librte_bus_pci.so exports every rte_pci_wc_* function (nm -D), in
#    the EXPERIMENTAL version node (objdump -T);
#  - rte_pci_wc.h marks each of them __rte_experimental and documents it
#    (a Doxygen comment right above);
#  - the install puts rte_pci_wc.h among DPDK's headers and vfio-pci-wc's
#    kernel uAPI header under a name of its own, never as a DPDK header.
#   test_bus_api.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

so=$(ls "$build"/subprojects/dpdk-stable-*/drivers/librte_bus_pci.so.* 2>/dev/null | head -n 1)
[ -n "$so" ] || { echo "FAIL: no librte_bus_pci.so in $build"; exit 1; }
hdr="$src/drivers/bus/pci_wc/rte_pci_wc.h"
funcs=$(sed -n 's/^[a-z].*\(rte_pci_wc_[a-z_]*\)(.*/\1/p' "$hdr" | sort -u)
[ "$(echo "$funcs" | wc -w)" -ge 6 ] || fail "rte_pci_wc.h declares only: $funcs"
for f in $funcs; do
	if nm -D --defined-only "$so" | grep -qE " T $f(@@EXPERIMENTAL)?\$"; then
		ok "nm -D $(basename "$so"): $f"
	else
		fail "$f is not exported by $(basename "$so")"
	fi
	ver=$(objdump -T "$so" | awk -v f="$f" '$NF == f { print $(NF-1) }')
	[ "$ver" = EXPERIMENTAL ] && ok "$f is in version EXPERIMENTAL" ||
		fail "$f is in version '$ver', not EXPERIMENTAL"
	# the line before the declaration is __rte_experimental, and a
	# Doxygen comment ends just above that
	prev=$(grep -B1 "^[a-z].*$f(" "$hdr" | head -n 1)
	[ "$prev" = "__rte_experimental" ] && ok "$f is __rte_experimental" ||
		fail "$f is not marked __rte_experimental in rte_pci_wc.h"
	doc=$(grep -B2 "^[a-z].*$f(" "$hdr" | head -n 1)
	[ "$doc" = " */" ] && grep -B40 "^[a-z].*$f(" "$hdr" | grep -q '^/\*\*' &&
		ok "$f has a Doxygen comment" || fail "$f has no Doxygen comment"
done

# one naming scheme: every name the header defines is rte_pci_wc_* or
# RTE_PCI_WC_* (struct rte_pci_device is the bus's own, declared only;
# comments may name anything)
other=$(perl -0pe 's|/\*.*?\*/||gs' "$hdr" |
	grep -oE '\b(rte|RTE)_[A-Za-z0-9_]+' | sort -u |
	grep -vE '^(rte_pci_wc_|RTE_PCI_WC_|rte_pci_device$|RTE_PCI_WC_H$)' |
	grep -vE '^rte_compat$' | tr '\n' ' ')
[ -z "$other" ] && ok "every name in rte_pci_wc.h is rte_pci_wc_* / RTE_PCI_WC_*" ||
	fail "rte_pci_wc.h names outside the rte_pci_wc_* scheme: $other"

installed=$(meson introspect --installed "$build" 2>/dev/null)
echo "$installed" | grep -q '/include/rte_pci_wc.h"' &&
	ok "rte_pci_wc.h installs among DPDK's headers" ||
	fail "rte_pci_wc.h is not installed"
echo "$installed" | grep -q '/include/vfio-pci-wc/uapi/vfio_pci_wc.h"' &&
	ok "vfio-pci-wc's uAPI installs as include/vfio-pci-wc/uapi/vfio_pci_wc.h" ||
	fail "vfio_pci_wc.h is not installed under include/vfio-pci-wc/uapi"
echo "$installed" | grep -q '/include/vfio_pci_wc.h"' &&
	fail "vfio_pci_wc.h is installed as if it were a DPDK header (include/vfio_pci_wc.h)"

[ $fails = 0 ] && echo "bus api: all checks passed" && exit 0
echo "bus api: $fails check(s) failed"
exit 1
