# SPDX-License-Identifier: BSD-3-Clause
# The nvme_cmb rawdev PMD on QEMU's NVMe (NVMe 1.4 CMB scheme, CMBMSC),
# bound to vfio-pci-wc, with --pci-wc=driver: the PMD asks for WC and
# reports the CMB BAR wc (x86: PAT says write-combining while it is
# mapped); the selftest passes for every placement (SQ and data in host
# memory or the CMB); ops past the namespace or with bad fields are
# rejected before submission. Then, with max_xfer=2 MiB (the rig's NVMe
# has MDTS 9), a seeded pattern (odd lengths, 1 to 4096 blocks at
# nonzero page offsets, so PRP lists up to a full list page, data
# in the CMB and in host memory, SQ in either, zero copy and bounce) is
# written and read back through the PMD, and after power-off the host
# finds it byte for byte in the disk image.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 300
# host-check: nvme-pattern 20261201 4096

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
pat=""
[ "$(uname -m)" = x86_64 ] && pat="--expect-pat write-combining"

nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF" --pci-wc=driver -- \
	--expect-cmb wc --expect-legacy 0 $pat --selftest --bad-ops > /tmp/pmd.log 2>&1
rc=$?
cat /tmp/pmd.log
rig_check '[ $rc = 0 ]' "PMD on the WC CMB: selftest and rejections (exit $rc)"
rig_check 'grep -q "nvme_cmb: $NVME_BDF: CMB: 64 MiB in BAR2 at offset 0 (NVMe 1.4 CMBMSC scheme" /tmp/pmd.log' \
	"the PMD found the CMB through CMBMSC and says so"
rig_check 'grep -q "selftest: sq=cmb data=cmb (CMB wc).*: ok" /tmp/pmd.log && grep -q "selftest: sq=cmb data=host (CMB wc).*: ok" /tmp/pmd.log && grep -q "selftest: sq=host data=cmb (CMB wc).*: ok" /tmp/pmd.log' \
	"selftest passed for sq=cmb/data=cmb, sq=cmb/data=host and sq=host/data=cmb"
rig_check 'grep -q "past the namespace.*not submitted" /tmp/pmd.log' "the rejection is one log line"
rig_check 'grep -q "^nvme: .* max 524288 B/op" /tmp/pmd.log' "without max_xfer an op takes up to 512 KiB"

# 2 MiB ops, 4 slots: 4 x (2 MiB + 12 KiB) of the 64 MiB CMB, and of the
# guest's 128 MiB of hugepages with data in host memory.
nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF,max_xfer=2097152,qdepth=4" --pci-wc=driver -- \
	--expect-cmb wc --pattern 20261201,4096 > /tmp/pattern.log 2>&1
rc=$?
cat /tmp/pattern.log
rig_check '[ $rc = 0 ]' "the pattern with ops up to 2 MiB through the WC CMB and host memory (exit $rc)"
rig_check 'grep -q "^nvme: .* max 2097152 B/op" /tmp/pattern.log' "max_xfer=2097152: an op takes up to 2 MiB"
rig_done
