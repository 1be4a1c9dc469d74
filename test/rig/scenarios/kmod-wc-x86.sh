# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc on x86: discovery (with the known-attribute mask), PROBE in
# both directions, every rejection with its errno (non-zero reserved or
# region_index: EINVAL; unknown attribute: EPROTONOSUPPORT), a request
# whose payload is read-only fails with EFAULT and leaves no alias and no
# WC memtype, the alias region and its capabilities, read/write through the
# device fd, and the alias mmap recorded as write-combining by PAT. While
# the alias exists the plain BAR2 index refuses mmap and a new ioeventfd
# with EBUSY, and its read/write still move data. Memory decode off makes
# the alias fault (SIGBUS) and it faults back in when decode is on again.
# After the device is closed, a fresh open maps the plain BAR2 again,
# uncached-minus. A BAR read or written through its plain index before the
# request still gets WC (the kernel's own mapping is replaced, and every
# memtype entry over the BAR is then write-combining); one whose plain
# index was mmapped or given an ioeventfd since the device was opened is
# refused (EBUSY), never downgraded, until the device is closed.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc

rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
wc_uapi_test --pat --decode "$NVME_BDF" || exit 1
wc_uapi_test --touch-first --pat "$NVME_BDF" || exit 1
# The same BAR mapped plainly once the WC user is gone: uncached-minus.
rig_enable_mem "$NVME_BDF"
sysfs_bar_pat "$NVME_BDF" 2 uc uncached-minus || exit 1
