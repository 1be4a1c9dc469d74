# SPDX-License-Identifier: BSD-3-Clause
# --pci-wc=all with the NVMe bound to plain vfio-pci: the kernel has no WC
# request path, so BAR2 is mapped uncached and one log line says why.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3 arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci || exit 1
extra=""
[ "$(uname -m)" = x86_64 ] && extra="--expect-pat 2=uncached-minus"
pci_wc_probe -l 0 -a "$NVME_BDF" --pci-wc=all -- --expect 2=uc \
	--expect-path 2=vfio --write 2:3 $extra > /tmp/plain.log 2>&1
rc=$?
cat /tmp/plain.log
rig_check '[ $rc = 0 ]' "plain vfio-pci with --pci-wc=all: BAR2 uncached, data reads back"
rig_check '[ "$(grep -c "PCI_WC: $NVME_BDF BAR2: uc via vfio: WC wanted (--pci-wc=all) but the kernel has no WC request path (device not bound to vfio-pci-wc)" /tmp/plain.log)" = 1 ]' \
	"one log line says the kernel lacks the WC path"
rig_done
