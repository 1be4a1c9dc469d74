# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc under a soak: 1, 2 and 3 threads map, store to, read back,
# unmap and read()/write() the alias of the CMB BAR while the main thread
# keeps flipping memory decode and resetting the device (VFIO_DEVICE_RESET).
# SIGBUS and EIO are the expected answers while decode is off; anything
# else, wrong data with no disruption in between, a kernel warning or a
# hang fails. kmod-wc-stress-plain runs the same load under plain vfio-pci.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3 arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc
# timeout: 180

rig_stress vfio-pci-wc || exit 1
