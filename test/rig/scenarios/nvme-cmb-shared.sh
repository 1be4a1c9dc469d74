# SPDX-License-Identifier: BSD-3-Clause
# The shared nvme_cmb PMD as an installed one is used: a program linked to
# DPDK's shared libraries, no -d, and librte_raw_nvme_cmb.so in EAL's
# default PMD directory (RTE_EAL_PMD_PATH). EAL loads it, it probes the
# NVMe on vfio-pci-wc, gets the CMB BAR WC from the shared bus library's
# query API, and passes its selftest.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# pmd-path: yes
# timeout: 300

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
pmds=$(find /usr -type d -name "pmds-*" 2>/dev/null | head -n 1)
echo "rig: EAL's PMD directory: $pmds: $(ls $pmds)"
rig_check '[ -f "$pmds/librte_raw_nvme_cmb.so" ]' "the shared PMD is in EAL's default PMD directory"
nvme_cmb_check_shared -l 0 --file-prefix nv -a "$NVME_BDF" --pci-wc=driver --log-level=lib.eal:debug -- \
	--expect-cmb wc --selftest > /tmp/shared.log 2>&1
rc=$?
grep -v "^EAL: \(Ask a virtual\|Trying to obtain\|Setting up physically\|Virtual area found\|Detected memory type\)" /tmp/shared.log
rig_check '[ $rc = 0 ]' "shared build: PMD loaded by default, CMB wc, selftest passes (exit $rc)"
rig_check 'grep -q "open shared lib .*pmds-.*/librte_raw_nvme_cmb.so" /tmp/shared.log' \
	"EAL loaded librte_raw_nvme_cmb.so from its default PMD directory"
rig_done
