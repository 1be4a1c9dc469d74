# SPDX-License-Identifier: BSD-3-Clause
# The nvme_cmb PMD on QEMU's NVMe with legacy-cmb=on: CMBLOC/CMBSZ are
# readable at once (no CMBMSC); the PMD finds the CMB the pre-1.4 way,
# maps it WC through vfio-pci-wc, passes its selftest and writes the
# seeded pattern the host then finds byte-exact in the disk image.
# devices: nvme-cmb-legacy
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 300
# host-check: nvme-pattern 4242

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF" --pci-wc=driver -- \
	--expect-cmb wc --expect-legacy 1 --selftest --pattern 4242 > /tmp/pmd.log 2>&1
rc=$?
cat /tmp/pmd.log
rig_check '[ $rc = 0 ]' "PMD on a legacy CMB (exit $rc)"
rig_check 'grep -q "CMB: 64 MiB in BAR2 at offset 0 (legacy scheme" /tmp/pmd.log' \
	"the PMD found the CMB the legacy way and says so"
rig_done
