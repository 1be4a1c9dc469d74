# SPDX-License-Identifier: BSD-3-Clause
# The nvme_cmb rawdev PMD on QEMU's NVMe (NVMe 1.4 CMB scheme, CMBMSC),
# bound to vfio-pci-wc, with --pci-wc=driver: the PMD asks for WC and
# reports the CMB BAR wc (x86: PAT says write-combining while it is
# mapped); the selftest passes for every placement (SQ and data in host
# memory or the CMB); ops past the namespace or with bad fields are
# rejected before submission; a seeded pattern (odd lengths, several
# LBAs, data in the CMB and in host memory, SQ in either) is written and
# read back through the PMD, and after power-off the host finds it byte
# for byte in the disk image.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 300
# host-check: nvme-pattern 20261201

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
pat=""
[ "$(uname -m)" = x86_64 ] && pat="--expect-pat write-combining"

nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF" --pci-wc=driver -- \
	--expect-cmb wc --expect-legacy 0 $pat --selftest --bad-ops \
	--pattern 20261201 > /tmp/pmd.log 2>&1
rc=$?
cat /tmp/pmd.log
rig_check '[ $rc = 0 ]' "PMD on the WC CMB: selftest, rejections and the pattern (exit $rc)"
rig_check 'grep -q "nvme_cmb: $NVME_BDF: CMB: 64 MiB in BAR2 at offset 0 (NVMe 1.4 CMBMSC scheme" /tmp/pmd.log' \
	"the PMD found the CMB through CMBMSC and says so"
rig_check 'grep -q "selftest: sq=cmb data=cmb (CMB wc).*: ok" /tmp/pmd.log && grep -q "selftest: sq=cmb data=host (CMB wc).*: ok" /tmp/pmd.log && grep -q "selftest: sq=host data=cmb (CMB wc).*: ok" /tmp/pmd.log' \
	"selftest passed for sq=cmb/data=cmb, sq=cmb/data=host and sq=host/data=cmb"
rig_check 'grep -q "past the namespace.*not submitted" /tmp/pmd.log' "the rejection is one log line"
rig_done
