# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a scenario expecting write-combining from the uncached
# sysfs mapping must fail and name the failed check.
# cells: x86_64-6.1
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci
# expect: scenario exit status 1: FAIL: PAT memory type of .*resource2 is 'uncached-minus' \(expected 'write-combining'\)

rig_bind "$NVME_BDF" vfio-pci || exit 1
rig_enable_mem "$NVME_BDF"
sysfs_bar_pat "$NVME_BDF" 2 uc write-combining || exit 1
