#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The shared nvme_cmb PMD exports exactly its public API: the functions
# rte_pmd_nvme_cmb.h declares, each under the EXPERIMENTAL version node
# (version.map), and nothing else: no driver internal (nvme_prp_build,
# nvme_cmb_*) and none of the MMIO library it links (wc_mmio_*), which
# would clash with another copy in the application.
# Usage: test_pmd_exports.sh SHARED_PMD HEADER
set -eu
so=$1
hdr=$2
fail=0

# Defined dynamic symbols (nm -D prints "ADDR TYPE NAME[@VERSION]").
# Version nodes themselves show as absolute symbols (type A): not exports.
got=$(nm -D --defined-only "$so" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort -u)
want=$(sed -n 's/^int \(rte_pmd_[a-z0-9_]*\)(.*/\1/p; s/^[a-z].* \**\(rte_pmd_[a-z0-9_]*\)(.*/\1/p' "$hdr" | sort -u)
[ -n "$want" ] || { echo "FAIL: no rte_pmd_* function found in $hdr"; exit 1; }

extra=$(printf '%s\n' "$got" | grep -vxF "$want" || true)
missing=$(printf '%s\n' "$want" | grep -vxF "$got" || true)
if [ -n "$extra" ]; then
	echo "FAIL: $so exports symbols that are not the public API:"
	printf '%s\n' "$extra" | sed 's/^/  /' | head -n 20
	fail=1
fi
if [ -n "$missing" ]; then
	echo "FAIL: $so does not export: $missing"
	fail=1
fi
# Every public function under the EXPERIMENTAL node.
for f in $want; do
	if ! nm -D --defined-only "$so" | grep -q " $f@@EXPERIMENTAL\$"; then
		echo "FAIL: $f is not exported under the EXPERIMENTAL version node"
		fail=1
	fi
done
[ $fail = 0 ] && echo "ok: $(basename "$so") exports only $(echo $want)"
exit $fail
