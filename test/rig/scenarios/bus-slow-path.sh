# SPDX-License-Identifier: BSD-3-Clause
# ivshmem's 256-byte register BAR0 read and written through the bus's
# slow path (pread/pwrite on the VFIO region): the Interrupt Mask register
# (offset 0) holds what was written, Interrupt Status (offset 4) reads 0
# after reset (QEMU's ivshmem spec).
# cells: x86_64-6.1 x86_64-6.12 arm64-6.1 arm64-6.12
# devices: ivshmem
# modules: vfio_iommu_type1 vfio-pci

mkdir -p /var/run
rig_bind "$IVSHMEM_BDF" vfio-pci || exit 1
pci_wc_probe -l 0 -a "$IVSHMEM_BDF" -- --slow-read 0:4:0 \
	--slow-write 0:0:1234abcd --slow-read 0:0:1234abcd \
	--slow-write 0:0:0 --slow-read 0:0:0 > /tmp/slow.log 2>&1
rc=$?
cat /tmp/slow.log
rig_check '[ $rc = 0 ]' "slow-path reads and writes of ivshmem BAR0"
rig_check 'grep -q "$IVSHMEM_BDF BAR0: size 256 mem" /tmp/slow.log' "BAR0 is the 256-byte register BAR"
rig_done
