# SPDX-License-Identifier: BSD-3-Clause
# The packages as installed, not the build tree: a disk holding a Debian
# 12 root into which the built dpdk-wc and vfio-pci-wc-dkms packages were
# unpacked, with vfio-pci-wc built by DKMS from the package's own source
# (test/rig/pkg-image.sh). Everything below runs from that root, in a
# chroot: the DKMS-built module is loaded with modprobe, the packaged dpdk-wc-devbind.py
# binds the NVMe and the NIC pair to vfio-pci-wc and its --status lists
# them there, and the packaged dpdk-wc-testpmd --pci-wc=all runs with no
# -d: EAL loads our nvme_cmb PMD (and the NIC PMDs) from its default PMD
# directory, nvme_cmb's selftest (self_test=1) passes on the WC CMB, and
# testpmd forwards between the NICs, their prefetchable BARs mapped WC,
# on lcores 40 and 41 (--lcores 40@0,41@1: RTE_MAX_LCORE is 128).
# devices: nvme-cmb nic-pair pkg-root
# modules: vfio_iommu_type1 vfio_pci_core virtio_pci virtio_blk ext4 crc32c_generic?
# timeout: 420

ROOT=/pkg
START_SECONDS=150
FWD_SECONDS=4

in_root() {
	chroot "$ROOT" "$@"
}

mkdir -p "$ROOT"
rig_wait /dev/vda 20
if ! mount -t ext4 /dev/vda "$ROOT"; then
	echo "FAIL: mount the package disk (/dev/vda)"
	exit 1
fi
for d in proc sys dev; do
	mount -o rbind "/$d" "$ROOT/$d"
done
# EAL's runtime files (/var/run is /run in Debian) and testpmd's /tmp.
mount -t tmpfs tmpfs "$ROOT/run"
mount -t tmpfs tmpfs "$ROOT/tmp"
echo "rig: package root: $(in_root sh -c 'ls /usr/bin/dpdk-wc-* | tr "\n" " "')"

# The module DKMS built, where DKMS installs it, loaded by name with the
# root's modprobe through its depmod'd modules.dep, as a user loads it.
ko=/lib/modules/$(uname -r)/updates/dkms/vfio_pci_wc.ko
rig_check '[ -f "$ROOT$ko" ]' "DKMS built vfio-pci-wc for $(uname -r) ($ko)"
in_root modprobe --show-depends vfio_pci_wc > /tmp/modprobe-deps.log 2>&1
cat /tmp/modprobe-deps.log
rig_check 'grep -q "^insmod $ko" /tmp/modprobe-deps.log' \
	"modprobe resolves vfio_pci_wc to the DKMS module through modules.dep"
in_root modprobe vfio_pci_wc > /tmp/modprobe.log 2>&1
rc=$?
cat /tmp/modprobe.log
rig_check '[ $rc = 0 ] && [ -d /sys/module/vfio_pci_wc ]' \
	"modprobe vfio_pci_wc loaded the DKMS-built module (exit $rc, version $(cat /sys/module/vfio_pci_wc/version 2>/dev/null))"
pkgver=$(in_root sh -c 'cat /usr/src/vfio-pci-wc-*/VERSION' 2>/dev/null)
rig_check '[ -n "$pkgver" ] && [ "$(cat /sys/module/vfio_pci_wc/version 2>/dev/null)" = "$pkgver" ]' \
	"the loaded module's version is the package's ($pkgver)"

# Bind with the packaged dpdk-wc-devbind.py, then ask it what it sees.
in_root dpdk-wc-devbind.py -b vfio-pci-wc "$NVME_BDF" "$NIC0_BDF" "$NIC1_BDF" > /tmp/bind.log 2>&1
rc=$?
cat /tmp/bind.log
rig_check '[ $rc = 0 ]' "dpdk-wc-devbind.py -b vfio-pci-wc NVMe and both NICs (exit $rc)"
in_root dpdk-wc-devbind.py --status > /tmp/status.log 2>&1
cat /tmp/status.log
for bdf in "$NVME_BDF" "$NIC0_BDF" "$NIC1_BDF"; do
	drv=$(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver" 2>/dev/null)" 2>/dev/null)
	rig_check '[ "$drv" = vfio-pci-wc ]' "sysfs: $bdf is bound to vfio-pci-wc (${drv:-no driver})"
	rig_check 'grep -q "^$bdf .*drv=vfio-pci-wc" /tmp/status.log' \
		"dpdk-wc-devbind.py --status lists $bdf with drv=vfio-pci-wc"
done
rig_check 'grep -q "DPDK-compatible driver" /tmp/status.log && ! grep -qi "no .*dpdk.* modules" /tmp/status.log' \
	"--status counts vfio-pci-wc as a DPDK-compatible driver (no missing-module warning)"

# The packaged testpmd: NICs forwarding, the NVMe's selftest at probe.
log=/tmp/testpmd.log
t0=$(date +%s)
# chroot itself, not in_root: a function in the background is a subshell,
# and SIGTERM must reach testpmd (chroot execs it).
# Lcore ids 40 and 41 on the guest's CPUs 0 and 1: the packaged EAL has
# RTE_MAX_LCORE 128, as a large server needs (the rig's 2 CPUs cannot
# show ids that high any other way).
chroot "$ROOT" dpdk-wc-testpmd --lcores 40@0,41@1 -n 1 --pci-wc=all --log-level=lib.eal:debug \
	-a "$NIC0_BDF" -a "$NIC1_BDF" -a "$NVME_BDF,self_test=1" -- \
	--forward-mode=io --tx-first --stats-period=1 --nb-cores=1 \
	--rxq=1 --txq=1 --rxd=256 --txd=256 --total-num-mbufs=4096 > "$log" 2>&1 &
pid=$!
started=no
rig_wait_line "$log" "Port statistics" "$START_SECONDS" "$pid" && started=yes
[ "$started" = yes ] && sleep "$FWD_SECONDS"
rig_stop "$pid" 30
status=$rig_stop_status
echo "dpdk-wc-testpmd: forwarding after $(( $(date +%s) - t0 ))s at most, exit status $status"
grep -v "^EAL: \(Ask a virtual\|Trying to obtain\|Setting up physically\|Virtual area found\|Detected memory type\|Heap on socket\|Restoring previous\|Hugepage will be\|Added \|Allocated memory\)" "$log" |
	tr -d '\033' | sed -e 's/\[2J\[1;1H//' |
	awk '/Port statistics/ { n = NR } { l[NR] = $0 } END { for (i = 1; i <= NR; i++) if (i < 400 || i >= n) print l[i] }'

pmds=$(in_root sh -c 'ls -d /usr/lib/*/dpdk-wc/dpdk/pmds-*' 2>/dev/null | head -n 1)
rig_check '[ -n "$pmds" ] && [ -f "$ROOT$pmds/librte_raw_nvme_cmb.so" ]' \
	"the package puts librte_raw_nvme_cmb.so in EAL's default PMD directory (${pmds:-none})"
rig_check 'grep -q "open shared lib $pmds/librte_raw_nvme_cmb.so" "$log"' \
	"EAL loaded librte_raw_nvme_cmb.so from $pmds with no -d"
rig_check 'grep -q "nvme_cmb: $NVME_BDF: .*selftest: sq=cmb data=cmb (CMB wc).*: ok" "$log"' \
	"nvme_cmb selftest (self_test=1): SQ and data in the WC CMB"
rig_check 'grep -q "nvme_cmb: $NVME_BDF: .*selftest passed" "$log"' "nvme_cmb selftest passed"
rig_check 'grep -q "PCI_WC: $NVME_BDF BAR2: wc via " "$log"' "the NVMe's CMB BAR2 is mapped WC"
for bdf in "$NIC0_BDF" "$NIC1_BDF"; do
	for bar in 0 1 2 3 4 5; do
		rig_bar_prefetchable "$bdf" "$bar" || continue
		rig_check 'grep -q "PCI_WC: $bdf BAR$bar: wc via " "$log"' "NIC $bdf BAR$bar (prefetchable) is mapped WC"
	done
done
rig_check 'grep -q "Main lcore 40 is ready (tid=[0-9a-f]*;cpuset=\[0\])" "$log"' \
	"EAL: main lcore 40 runs on CPU 0 (--lcores 40@0,41@1)"
rig_check 'grep -q "lcore 41 is ready (tid=[0-9a-f]*;cpuset=\[1\])" "$log"' \
	"EAL: lcore 41 runs on CPU 1"
rig_check 'grep -q "Logical Core 41 .*forwards packets" "$log"' "testpmd forwards on lcore 41"
rig_check '[ "$started" = yes ]' "dpdk-wc-testpmd started forwarding within ${START_SECONDS}s"
rig_check '[ "$status" = 0 ]' "dpdk-wc-testpmd stopped on SIGTERM with exit status 0 ($status)"
for port in 0 1; do
	for dir in RX TX; do
		fwd=$(rig_testpmd_counter "$log" "Forward statistics" "$dir-packets" "$port")
		rig_check '[ "${fwd:-0}" -gt 0 ]' "port $port forwarded $dir-packets > 0 (${fwd:-none})"
	done
done
rig_check 'grep -q "^Bye" "$log"' "dpdk-wc-testpmd closed its ports and said Bye"
rig_done
