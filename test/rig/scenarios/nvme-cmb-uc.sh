# SPDX-License-Identifier: BSD-3-Clause
# The nvme_cmb PMD with the CMB uncached: the NVMe on plain vfio-pci
# (no WC path), and on vfio-pci-wc with --pci-wc=off. The PMD reports
# the BAR uc (x86: PAT uncached-minus), every placement still works with
# aligned stores only (arm64: Device memory, no SIGBUS), and the seeded
# pattern (with max_xfer=2 MiB: ops up to 2 MiB, PRP lists up to a full
# list page in the uncached CMB) lands byte-exact in the disk image.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 300
# host-check: nvme-pattern 99 4096

mkdir -p /var/run
pat=""
[ "$(uname -m)" = x86_64 ] && pat="--expect-pat uncached-minus"

rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF" --pci-wc=off -- \
	--expect-cmb uc --selftest > /tmp/off.log 2>&1
rc=$?
cat /tmp/off.log
rig_check '[ $rc = 0 ]' "vfio-pci-wc with --pci-wc=off: CMB uc, selftest passes (exit $rc)"

rig_bind "$NVME_BDF" vfio-pci || exit 1
# qdepth 4: 4 x (2 MiB + 12 KiB) fits the 64 MiB CMB and the hugepages.
nvme_cmb_check -l 0 --file-prefix nv -a "$NVME_BDF,max_xfer=2097152,qdepth=4" --pci-wc=driver -- \
	--expect-cmb uc $pat --selftest --pattern 99,4096 > /tmp/uc.log 2>&1
rc=$?
cat /tmp/uc.log
rig_check '[ $rc = 0 ]' "plain vfio-pci: CMB uc, selftest and pattern (exit $rc; 135 would be SIGBUS)"
rig_check 'grep -q "selftest: sq=cmb data=cmb (CMB uc).*: ok" /tmp/uc.log' "SQ and data in the uncached CMB work"
rig_check 'grep -q "^nvme: .* max 2097152 B/op" /tmp/uc.log' "max_xfer=2097152: an op takes up to 2 MiB"
rig_done
