#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The version has one source, the top-level VERSION file: meson's project
# version, the guides, the kernel module (Kbuild reads it; DKMS gets the
# package's version through dkms.conf's #MODULE_VERSION# and a VERSION file
# that debian/rules writes) all take it from there, and debian/changelog's
# newest entry must carry it as its upstream version. No other file may
# spell the version out.
#
#   test_version_source.sh SRCDIR MESON_PROJECT_VERSION [MODULE.ko...]
set -u
top=$1
meson_version=$2
shift 2
failed=0
check() { # description, condition
	if eval "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		failed=$((failed + 1))
	fi
}

v=$(cat "$top/VERSION")
check "VERSION holds one version, x.y.z ($v)" \
	'printf "%s\n" "$v" | grep -Eqx "[0-9]+\.[0-9]+\.[0-9]+" && [ "$(wc -l < "$top/VERSION")" = 1 ]'
check "meson's project version is VERSION ($meson_version)" '[ "$meson_version" = "$v" ]'
# The newest changelog entry: "dpdk-wc (UPSTREAM[-REVISION]) ...".
cl=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$top/debian/changelog")
check "debian/changelog's newest upstream version is VERSION ($cl)" '[ "${cl%-*}" = "$v" ]'
check "dkms.conf leaves the version to the package (#MODULE_VERSION#)" \
	'grep -qx "PACKAGE_VERSION=\"#MODULE_VERSION#\"" "$top/kernel/linux/vfio-pci-wc/dkms.conf"'
check "the module's MODULE_VERSION comes from Kbuild's VERSION" \
	'grep -q "^MODULE_VERSION(VFIO_PCI_WC_VERSION);" "$top/kernel/linux/vfio-pci-wc/main.c"'
check "debian/rules gives DKMS the changelog's version" \
	'grep -q "^DKMS_VERSION := \$(DEB_VERSION)$" "$top/debian/rules"'
# No build file spells it out (history in the changelog and examples in
# the guides aside).
q=$(printf '%s' "$v" | sed 's/\./\\./g')
spelled=$(grep -rlE --exclude="*.rst" "(^|[^0-9.])$q([^0-9.]|$)" "$top/meson.build" "$top/doc/guides/conf.py" \
	"$top/kernel/linux/vfio-pci-wc" "$top/debian/rules" "$top/debian/control" 2>/dev/null)
check "no build file spells out $v (${spelled:-none})" '[ -z "$spelled" ]'
for ko in "$@"; do
	[ -f "$ko" ] || continue
	mv=$(modinfo -F version "$ko" 2>/dev/null)
	check "$(basename "$(dirname "$ko")")/vfio_pci_wc.ko says version $v ($mv)" '[ "$mv" = "$v" ]'
done
[ "$failed" = 0 ] && echo "all checks passed"
exit "$failed"
