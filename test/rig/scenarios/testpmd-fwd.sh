# SPDX-License-Identifier: BSD-3-Clause
# DPDK's own testpmd drives the NIC pair through VFIO, so every packet is
# DMA through the emulated IOMMU (intel-iommu, smmuv3). Each port sends a
# first burst, then io forwarding bounces it between the two ports over the
# QEMU hub until we stop it. A run passes when both ports received and
# transmitted, by the NIC counters and by testpmd's forward statistics.
# Three runs: no --pci-wc (every BAR uncached); --pci-wc=all on vfio-pci-wc
# (the NICs' prefetchable BARs, virtio-net's BAR4, really mapped WC and the
# PMDs still work); --pci-wc=all on plain vfio-pci (logged fallback to UC).
# devices: nic-pair
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 240

# How long packets bounce after forwarding started, and how long testpmd
# may take from exec to forwarding (EAL and PMD start-up is slow on TCG).
FWD_SECONDS=4
START_SECONDS=45

# EAL keeps its runtime files under /var/run; the initramfs has none.
mkdir -p /var/run

# "BDF BAR" of each prefetchable memory BAR of the NICs: the BARs
# --pci-wc=all is about (virtio-net's BAR4; e1000e has none).
nic_wc_bars() {
	for bdf in "$NIC0_BDF" "$NIC1_BDF"; do
		for bar in 0 1 2 3 4 5; do
			rig_bar_prefetchable "$bdf" "$bar" && echo "$bdf $bar"
		done
	done
}

# Run testpmd (label $1) on the NIC pair bound to driver $2, with extra EAL
# arguments "$4...": it must forward, and the bus must log memory type $3
# (uc or wc) for every prefetchable BAR of the NICs.
testpmd_fwd() {
	label=$1
	nic_drv=$2
	want=$3
	shift 3
	log=/tmp/testpmd-$label.log
	echo "--- testpmd ($label): NICs on $nic_drv, EAL arguments: $*"
	for nic in "$NIC0_BDF" "$NIC1_BDF"; do
		if ! rig_bind "$nic" "$nic_drv"; then
			rig_check false "testpmd ($label) $nic binds to $nic_drv"
			return
		fi
	done
	t0=$(date +%s)
	# One forwarding core (lcore 1); the main lcore prints the NIC
	# counters every second (--stats-period) and, on SIGTERM, stops
	# forwarding, prints the forward statistics and closes the ports.
	dpdk-testpmd -l 0-1 -n 1 -a "$NIC0_BDF" -a "$NIC1_BDF" "$@" -- \
		--forward-mode=io --tx-first --stats-period=1 \
		--nb-cores=1 --rxq=1 --txq=1 --rxd=256 --txd=256 \
		--total-num-mbufs=4096 > "$log" 2>&1 &
	pid=$!
	started=no
	rig_wait_line "$log" "Port statistics" "$START_SECONDS" "$pid" && started=yes
	t1=$(date +%s)
	[ "$started" = yes ] && sleep "$FWD_SECONDS"
	rig_stop "$pid" 20
	status=$rig_stop_status
	t2=$(date +%s)
	echo "testpmd ($label): forwarding after $((t1 - t0))s, exit status $status after $((t2 - t0))s"
	# The log keeps the last counter screen and what followed it.
	tr -d '\033' < "$log" | sed -e 's/\[2J\[1;1H//' |
		awk '/Port statistics/ { n = NR } { l[NR] = $0 }
		     END { for (i = 1; i <= NR; i++) if (i < 40 || i >= n) print l[i] }'
	rig_check 'grep -q "EAL: Using IOMMU type 1" "$log"' \
		"testpmd ($label) maps its memory through the IOMMU (VFIO type 1)"
	rig_check '[ "$started" = yes ]' "testpmd ($label) started forwarding within ${START_SECONDS}s"
	rig_check '[ "$status" = 0 ]' "testpmd ($label) stopped on SIGTERM with exit status 0 ($status)"
	for port in 0 1; do
		for dir in RX TX; do
			nic=$(rig_testpmd_counter "$log" "NIC statistics" "$dir-packets" "$port")
			fwd=$(rig_testpmd_counter "$log" "Forward statistics" "$dir-packets" "$port")
			rig_check '[ "${nic:-0}" -gt 0 ]' \
				"testpmd ($label) port $port NIC $dir-packets > 0 (${nic:-none})"
			rig_check '[ "${fwd:-0}" -gt 0 ]' \
				"testpmd ($label) port $port forwarded $dir-packets > 0 (${fwd:-none})"
		done
	done
	rig_check 'grep -q "^Bye" "$log"' "testpmd ($label) closed its ports and said Bye"
	nic_wc_bars > /tmp/wc-bars
	rig_check '[ -s /tmp/wc-bars ]' "the NICs have a prefetchable BAR ($(tr '\n' ' ' < /tmp/wc-bars))"
	while read -r wc_bdf wc_bar; do
		line=$(grep "PCI_WC: $wc_bdf BAR$wc_bar: " "$log" | tail -n 1)
		rig_check 'echo "$line" | grep -q "BAR$wc_bar: $want via "' \
			"testpmd ($label) $wc_bdf BAR$wc_bar mapped $want (${line:-no PCI_WC line})"
	done < /tmp/wc-bars
}

# Nobody asked for WC: every BAR stays uncached, as with DPDK alone.
testpmd_fwd plain vfio-pci uc
# WC forced onto every prefetchable BAR and granted by vfio-pci-wc.
testpmd_fwd pci-wc vfio-pci-wc wc --pci-wc=all
# The same request where the kernel has no WC path: it falls back to
# uncached and the PMDs work as before.
testpmd_fwd pci-wc-fallback vfio-pci uc --pci-wc=all
rig_done
