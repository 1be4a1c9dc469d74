# SPDX-License-Identifier: BSD-3-Clause
# vfio-pci-wc under concurrency: four threads at once request WC for the
# CMB BAR, query the alias, mmap it, move data through it and unmap it,
# over several rounds with the device fd closed and reopened in between,
# so each round races the alias' creation against requests, region info,
# GET_INFO, WC_BARS and mmap of the alias-to-be. All get the same alias,
# no answer ever shows a half-made alias, every thread's data is exact.
# The rig fails the run if the guest kernel logged a warning.
# Not run here: --toggle-decode (a thread switching memory decode off and
# on under the workers). Under QEMU 10 TCG it passed most runs, but in
# about one run of four the emulator itself broke down on x86_64 (QEMU
# aborted in iotlb_to_section, or a vCPU stopped taking timer interrupts),
# which would make this scenario flaky for reasons outside the module.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc
# timeout: 300

pat=""
[ "$(uname -m)" = x86_64 ] && pat=--pat

rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
wc_uapi_test --threads 4 $pat "$NVME_BDF" || exit 1
