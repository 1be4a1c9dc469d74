# SPDX-License-Identifier: BSD-3-Clause
# The kmod-wc-stress soak under plain vfio-pci, through the BAR's own
# region index: the control that tells a fault of vfio-pci-wc from one of
# the kernel's VFIO or of the emulator.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3 arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci
# timeout: 180

rig_stress vfio-pci --no-alias || exit 1
