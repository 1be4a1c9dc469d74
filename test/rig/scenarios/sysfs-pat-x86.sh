# SPDX-License-Identifier: BSD-3-Clause
# The problem, seen on x86: the NVMe CMB BAR (prefetchable) mapped through
# sysfs is uncached-minus as resource2 and write-combining as resource2_wc,
# as the kernel's PAT records it. Run with the device bound to vfio-pci and
# to vfio-pci-wc never asked for WC: the results must be the same.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc

for drv in vfio-pci vfio-pci-wc; do
	rig_bind "$NVME_BDF" "$drv" || exit 1
	rig_enable_mem "$NVME_BDF"
	sysfs_bar_pat "$NVME_BDF" 2 uc uncached-minus || exit 1
	sysfs_bar_pat "$NVME_BDF" 2 wc write-combining || exit 1
done
