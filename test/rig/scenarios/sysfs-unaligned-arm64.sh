# SPDX-License-Identifier: BSD-3-Clause
# The problem, seen on arm64: unaligned stores and an odd-offset memcpy into
# the NVMe CMB mapped uncached (resource2, Device-nGnRnE) raise SIGBUS; into
# the write-combining mapping (resource2_wc, Normal-NC) they succeed and
# read back. QEMU >= 9 models the fault (bookworm's 7.2 does not). Run with
# the device bound to vfio-pci and to vfio-pci-wc never asked for WC: the
# results must be the same.
# cells: arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc

for drv in vfio-pci vfio-pci-wc; do
	rig_bind "$NVME_BDF" "$drv" || exit 1
	rig_enable_mem "$NVME_BDF"
	sysfs_bar_unaligned "$NVME_BDF" 2 uc fault || exit 1
	sysfs_bar_unaligned "$NVME_BDF" 2 wc ok || exit 1
done
