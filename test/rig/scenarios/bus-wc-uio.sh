# SPDX-License-Identifier: BSD-3-Clause
# UIO (uio_pci_generic): --pci-wc=all maps BAR2 through resource2_wc (PAT
# write-combining on x86); --pci-wc=off keeps resource2 (uncached).
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3 arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: uio_pci_generic

mkdir -p /var/run
rig_bind "$NVME_BDF" uio_pci_generic || exit 1
x86=0
[ "$(uname -m)" = x86_64 ] && x86=1
wcx="--unaligned 2"
ucx=""
if [ $x86 = 1 ]; then
	wcx="--expect-pat 2=write-combining"
	ucx="--expect-pat 2=uncached-minus"
fi
pci_wc_probe -l 0 -a "$NVME_BDF" --iova-mode=pa --pci-wc=all -- --expect 2=wc \
	--expect-path 2=uio-wc --write 2:5 $wcx > /tmp/uio.log 2>&1
rc=$?
cat /tmp/uio.log
rig_check '[ $rc = 0 ]' "uio_pci_generic with --pci-wc=all: resource2_wc"
pci_wc_probe -l 0 -a "$NVME_BDF" --iova-mode=pa --pci-wc=off -- --expect 2=uc \
	--expect-path 2=uio --check 2:5 $ucx > /tmp/uio-off.log 2>&1
rc=$?
cat /tmp/uio-off.log
rig_check '[ $rc = 0 ]' "uio_pci_generic with --pci-wc=off: resource2, data still there"

echo "== resource2_wc opens but cannot be mmapped: uncached, one line"
# config is a sysfs file without mmap: bound over resource2_wc, it opens
# as before and its mmap fails with the kernel's own error
wcfile="/sys/bus/pci/devices/$NVME_BDF/resource2_wc"
mount --bind "/sys/bus/pci/devices/$NVME_BDF/config" "$wcfile"
pci_wc_probe -l 0 -a "$NVME_BDF" --iova-mode=pa --pci-wc=all -- --expect 2=uc \
	--expect-path 2=uio --expect-reason "2:mmap of resourceN_wc failed" \
	--check 2:5 > /tmp/uio-mmapfail.log 2>&1
rc=$?
umount "$wcfile"
cat /tmp/uio-mmapfail.log
rig_check '[ $rc = 0 ]' "the device still probes, BAR2 through resource2 (uncached), data there"
rig_check '[ "$(grep -c "PCI_WC: $NVME_BDF BAR2: uc via uio: WC wanted (--pci-wc=all) but mmap of resourceN_wc failed" /tmp/uio-mmapfail.log)" = 1 ]' \
	"one line says why BAR2 is uncached"

echo "== hot-unplug through sysfs: the records say so (last: the device goes)"
rig_hot_unplug "$NVME_BDF" pci_wc_probe -l 0 -a "$NVME_BDF" --iova-mode=pa \
	--pci-wc=all -- --expect 2=wc --hot-unplug 2
rc=$?
rig_check '[ $rc = 0 ]' "UIO: the removal uevent marks BAR2 unmapped (anonymous memory now)"
rig_done
