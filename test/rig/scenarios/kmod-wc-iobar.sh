# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc on a device with an I/O BAR: a transitional virtio device
# (I/O BAR0, MSI-X in memory BAR1, prefetchable BAR4). The I/O BAR is
# refused with ENXIO, the MSI-X BAR (not prefetchable) with EPERM, and BAR4
# gets an alias (BAR4 holds virtio registers: no data is written), on
# every cell.
# devices: virtio-legacy
# modules: vfio_iommu_type1 vfio-pci-wc

rig_bind "$VIRTIO_LEGACY_BDF" vfio-pci-wc || exit 1
wc_uapi_test --wc-bar 4 --uc-bar 1 --no-data "$VIRTIO_LEGACY_BDF" || exit 1
