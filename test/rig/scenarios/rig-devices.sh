# SPDX-License-Identifier: BSD-3-Clause
# The rig's own guest set-up, on every cell: each emulated device is where
# scenarios expect it with the BARs they rely on, vfio's modules load,
# debugfs is mounted and hugepages are reserved for DPDK.
# devices: nvme-cmb ivshmem nic-pair
# modules: vfio_iommu_type1 vfio-pci

rig_check '[ "$(rig_pci_id $NVME_BDF)" = 1b36:0010 ]' "NVMe at $NVME_BDF ($(rig_pci_id $NVME_BDF))"
rig_check '[ "$(rig_bar_size $NVME_BDF 2)" = $((64 << 20)) ]' "NVMe BAR2 (CMB) is 64 MiB ($(rig_bar_size $NVME_BDF 2))"
rig_check 'rig_bar_prefetchable $NVME_BDF 2' "NVMe BAR2 is prefetchable memory (flags $(rig_bar_flags $NVME_BDF 2))"
rig_check '! rig_bar_prefetchable $NVME_BDF 0' "NVMe BAR0 (registers) is not prefetchable"
rig_check '[ "$(rig_pci_id $IVSHMEM_BDF)" = 1af4:1110 ]' "ivshmem at $IVSHMEM_BDF ($(rig_pci_id $IVSHMEM_BDF))"
rig_check '[ "$(rig_bar_size $IVSHMEM_BDF 0)" = 256 ]' "ivshmem BAR0 (registers) is a sub-page 256-byte BAR"
rig_check 'rig_bar_prefetchable $IVSHMEM_BDF 2' "ivshmem BAR2 (shared memory) is prefetchable"
case $(uname -m) in
x86_64) nic0=8086:10d3 ;;	# e1000e
*) nic0=1af4:1041 ;;		# virtio-net (modern)
esac
rig_check '[ "$(rig_pci_id $NIC0_BDF)" = $nic0 ]' "NIC0 at $NIC0_BDF is $nic0 ($(rig_pci_id $NIC0_BDF))"
rig_check '[ "$(rig_pci_id $NIC1_BDF)" = 1af4:1041 ]' "NIC1 at $NIC1_BDF is virtio-net ($(rig_pci_id $NIC1_BDF))"
rig_check 'rig_bind $NVME_BDF vfio-pci' "NVMe binds to vfio-pci and gets a VFIO group"
rig_check '[ -e /dev/vfio/vfio ]' "/dev/vfio/vfio exists"
rig_check 'grep -q " /sys/kernel/debug debugfs" /proc/mounts' "debugfs mounted"
rig_check '[ "$(sed -n "s/^HugePages_Total: *//p" /proc/meminfo)" = 64 ]' "64 hugepages reserved"
rig_done
