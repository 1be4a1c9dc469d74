# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc on arm64: the same uAPI checks as on x86 (a read-only
# payload fails with EFAULT and leaves no alias, among them), and unaligned
# stores and an odd-offset memcpy through the alias mapping (Normal-NC)
# succeed and read back, while through the plain BAR mapping (Device) they
# raise SIGBUS: the plain index keeps mmap and ioeventfds while the alias
# exists. Memory decode off makes the alias fault, on again works. The
# plain index used first (read, mmap, ioeventfd) never stands in the way
# of a request here.
# cells: arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc

rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
wc_uapi_test --unaligned --decode "$NVME_BDF" || exit 1
wc_uapi_test --touch-first "$NVME_BDF" || exit 1
