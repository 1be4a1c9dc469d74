# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc on arm64: the same uAPI checks as on x86, and unaligned
# stores and an odd-offset memcpy through the alias mapping (Normal-NC)
# succeed and read back, while through the plain BAR mapping (Device) they
# raise SIGBUS; memory decode off makes the alias fault, on again works.
# cells: arm64-6.1 arm64-6.12
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc

rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
wc_uapi_test --unaligned --decode "$NVME_BDF" || exit 1
