# SPDX-License-Identifier: BSD-3-Clause
# ivshmem's 256-byte register BAR0 read and written through the bus's
# slow path (pread/pwrite on the VFIO region): the Interrupt Mask register
# (offset 0) holds what was written, Interrupt Status (offset 4) reads 0
# after reset (QEMU's ivshmem spec). A secondary process reads the same
# register through its own slow path while the primary holds the device,
# and reports every BAR with the primary's attribute, path and reason.
# The same for a transitional virtio device (I/O BAR0, MSI-X table in
# BAR1, unimplemented BAR2/3/5, which the primary maps not at all): the
# secondary reaches BAR1 through the slow path as the primary does, and
# says the same of every BAR.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3 arm64-6.1 arm64-6.12 arm64-7.3
# devices: ivshmem virtio-legacy
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
rig_wait_line /tmp/slow.log "holding until"
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

echo "== BARs the primary leaves unmapped, seen from a secondary"
VIRTIO_BDF=0000:00:08.0
rig_bind "$VIRTIO_BDF" vfio-pci || exit 1
eal="-l 0 --file-prefix sv -a $VIRTIO_BDF"
rm -f /tmp/sv-done
pci_wc_probe $eal -- --slow-dump 1:0 --hold /tmp/sv-done > /tmp/sv1.log 2>&1 &
primary=$!
rig_wait_line /tmp/sv1.log "holding until"
pci_wc_probe $eal --proc-type=secondary -- --slow-dump 1:0 > /tmp/sv2.log 2>&1
sec=$?
touch /tmp/sv-done
wait $primary
rc=$?
cat /tmp/sv1.log
sed 's/^/secondary: /' /tmp/sv2.log
rig_check '[ $rc = 0 ] && [ $sec = 0 ]' "both processes read MSI-X-only BAR1 through the slow path"
grep "^slow-path BAR1" /tmp/sv1.log > /tmp/sv1.val
grep "^slow-path BAR1" /tmp/sv2.log > /tmp/sv2.val
rig_check '[ -s /tmp/sv1.val ] && cmp -s /tmp/sv1.val /tmp/sv2.val' \
	"the secondary reads what the primary reads ($(cat /tmp/sv2.val))"
grep "^$VIRTIO_BDF BAR" /tmp/sv1.log > /tmp/bars1
grep "^$VIRTIO_BDF BAR" /tmp/sv2.log > /tmp/bars2
rig_check '[ -s /tmp/bars1 ] && cmp -s /tmp/bars1 /tmp/bars2' \
	"the secondary reports every virtio BAR as the primary does"
rig_done
