# SPDX-License-Identifier: BSD-3-Clause
# The nvme_cmb PMD on QEMU's NVMe with legacy-cmb=on: CMBLOC/CMBSZ are
# readable at once (no CMBMSC); the PMD finds the CMB the pre-1.4 way,
# maps it WC through vfio-pci-wc, passes its selftest and writes the
# seeded pattern (ops up to 2 MiB) the host then finds byte-exact in the
# disk image. It asks for max_xfer=8 MiB: the controller's MDTS (9,
# 2 MiB) caps it, and the PMD says so.
# devices: nvme-cmb-legacy
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 300
# host-check: nvme-pattern 4242 4096

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
# qdepth 4: 4 x (2 MiB + 12 KiB) fits the 64 MiB CMB and the hugepages.
nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF,max_xfer=8388608,qdepth=4" --pci-wc=driver -- \
	--expect-cmb wc --expect-legacy 1 --selftest --pattern 4242,4096 > /tmp/pmd.log 2>&1
rc=$?
cat /tmp/pmd.log
rig_check '[ $rc = 0 ]' "PMD on a legacy CMB (exit $rc)"
rig_check 'grep -q "CMB: 64 MiB in BAR2 at offset 0 (legacy scheme" /tmp/pmd.log' \
	"the PMD found the CMB the legacy way and says so"
rig_check 'grep -q "^nvme: .* max 2097152 B/op" /tmp/pmd.log' \
	"max_xfer=8388608 is capped at the controller's MDTS: 2 MiB"
rig_check '[ "$(grep -c "nvme_cmb: .*max_xfer 8388608 lowered to 2097152" /tmp/pmd.log)" = 1 ]' \
	"one notice line says max_xfer was lowered to the controller's limit"
rig_done
