# SPDX-License-Identifier: BSD-3-Clause
# The problem, seen on x86: the NVMe CMB BAR (prefetchable) mapped through
# sysfs is uncached-minus as resource2 and write-combining as resource2_wc,
# as the kernel's PAT records it. Baseline for vfio-pci-wc's WC alias.
# cells: x86_64-6.1 x86_64-6.12
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci

rig_bind "$NVME_BDF" vfio-pci || exit 1
rig_enable_mem "$NVME_BDF"
sysfs_bar_pat "$NVME_BDF" 2 uc uncached-minus || exit 1
sysfs_bar_pat "$NVME_BDF" 2 wc write-combining || exit 1
