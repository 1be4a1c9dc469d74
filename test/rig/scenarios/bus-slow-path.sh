# SPDX-License-Identifier: BSD-3-Clause
# ivshmem's 256-byte register BAR0 read and written through the bus's
# slow path (pread/pwrite on the VFIO region): the Interrupt Mask register
# (offset 0) holds what was written, Interrupt Status (offset 4) reads 0
# after reset (QEMU's ivshmem spec). A secondary process reads the same
# register through its own slow path while the primary holds the device,
# and reports every BAR with the primary's attribute, path and reason.
# cells: x86_64-6.1 x86_64-6.12 arm64-6.1 arm64-6.12
# devices: ivshmem
# modules: vfio_iommu_type1 vfio-pci

mkdir -p /var/run
rig_bind "$IVSHMEM_BDF" vfio-pci || exit 1
eal="-l 0 --file-prefix sp -a $IVSHMEM_BDF"
rm -f /tmp/sp-done
pci_wc_probe $eal -- --slow-read 0:4:0 \
	--slow-write 0:0:1234abcd --slow-read 0:0:1234abcd \
	--slow-write 0:0:0 --slow-read 0:0:0 --slow-write 0:0:5a5a0f0f \
	--hold /tmp/sp-done > /tmp/slow.log 2>&1 &
primary=$!
i=0
until grep -q "holding until" /tmp/slow.log || [ $i -gt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
pci_wc_probe $eal --proc-type=secondary -- --slow-read 0:0:5a5a0f0f \
	--slow-read 0:4:0 --slow-dump 0:0 > /tmp/slow2.log 2>&1
sec=$?
touch /tmp/sp-done
wait $primary
rc=$?
cat /tmp/slow.log
sed 's/^/secondary: /' /tmp/slow2.log
rig_check '[ $rc = 0 ]' "slow-path reads and writes of ivshmem BAR0"
rig_check 'grep -q "$IVSHMEM_BDF BAR0: size 256 mem" /tmp/slow.log' "BAR0 is the 256-byte register BAR"
rig_check '[ $sec = 0 ]' "the secondary reads the primary's value (0x5a5a0f0f) and IntrStatus through its slow path"
# each BAR line (size, flags, attribute, path, reason) the same in both
grep "^$IVSHMEM_BDF BAR" /tmp/slow.log > /tmp/bars1
grep "^$IVSHMEM_BDF BAR" /tmp/slow2.log > /tmp/bars2
cat /tmp/bars2
rig_check '[ -s /tmp/bars1 ] && cmp -s /tmp/bars1 /tmp/bars2' \
	"the secondary reports every BAR with the primary's attribute, path and reason"
rig_done
