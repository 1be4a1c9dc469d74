# SPDX-License-Identifier: BSD-3-Clause
# DPDK's PCI bus with dpdk-wc over VFIO, NVMe bound to vfio-pci-wc:
# --pci-wc=all gives BAR2 (CMB) WC through the vfio-pci-wc alias and
# leaves BAR0 (registers) uncached; x86 PAT shows write-combining, arm64
# takes an unaligned memcpy; telemetry says the same; a secondary process
# gets the same attribute and reads the primary's bytes. Without the
# option, with "driver" and a driver that does not ask, or with the
# per-device "pci_wc=off", BAR2 stays uncached and one log line says why.
# Hot-unplug (rte_dev_remove) releases the WC mapping; replug restores it.
# --pci-wc=bogus fails EAL init with one line.
# cells: x86_64-6.1 x86_64-6.12 x86_64-7.3 arm64-6.1 arm64-6.12 arm64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
arch=$(uname -m)
eal="-l 0 --file-prefix wc -a $NVME_BDF"

# $1: expected BAR2 PAT type on x86; arm64 instead tries an unaligned copy
# when BAR2 is WC (on uncached Device memory it would fault).
arch_check() {
	if [ "$arch" = x86_64 ]; then
		echo "--expect-pat 2=$1"
	elif [ "$1" = write-combining ]; then
		echo "--unaligned 2"
	fi
}

echo "== --pci-wc=all: primary writes, secondary reads"
rm -f /tmp/secondary-done
pci_wc_probe $eal --pci-wc=all -- --expect 2=wc --expect-path 2=vfio-wc-alias \
	--expect 0=uc --expect-path 0=vfio $(arch_check write-combining) \
	--write 2:7 --telemetry wc --hold /tmp/secondary-done \
	> /tmp/primary.log 2>&1 &
primary=$!
rig_wait /tmp/primary.log 10
rig_wait_line /tmp/primary.log "holding until"
pci_wc_probe $eal --proc-type=secondary -- --expect 2=wc \
	--expect-path 2=vfio-wc-alias --check 2:7 > /tmp/secondary.log 2>&1
sec=$?
touch /tmp/secondary-done
wait $primary
prim=$?
sed 's/^/primary: /' /tmp/primary.log
sed 's/^/secondary: /' /tmp/secondary.log
rig_check '[ $prim = 0 ]' "primary with --pci-wc=all"
rig_check '[ $sec = 0 ]' "secondary process sees wc and the primary's bytes"
rig_check 'grep -q "PCI_WC: $NVME_BDF BAR2: wc via vfio-wc-alias: --pci-wc=all" /tmp/primary.log' \
	"the bus logs BAR2's attribute, path and reason"

echo "== hot-unplug releases the WC mapping, plugging back maps it again"
pci_wc_probe $eal --pci-wc=all -- --expect 2=wc --unplug 2 --write 2:9 > /tmp/unplug.log 2>&1
rc=$?
cat /tmp/unplug.log
rig_check '[ $rc = 0 ]' "unplug drops the records (and PAT's WC range on x86); replug is WC again"

echo "== no option: uncached, one line says why"
pci_wc_probe $eal -- --expect 2=uc --expect-path 2=vfio \
	$(arch_check uncached-minus) > /tmp/noopt.log 2>&1
rc=$?
cat /tmp/noopt.log
rig_check '[ $rc = 0 ]' "without --pci-wc BAR2 is uncached"
rig_check '[ "$(grep -c "PCI_WC: $NVME_BDF BAR2: uc via vfio: WC not requested (--pci-wc not given)" /tmp/noopt.log)" = 1 ]' \
	"exactly one log line says why BAR2 is uncached"

echo "== --pci-wc (driver): the probe's driver does not ask, then asks"
pci_wc_probe $eal --pci-wc -- --expect 2=uc > /tmp/drv.log 2>&1
rc=$?
cat /tmp/drv.log
rig_check '[ $rc = 0 ]' "bare --pci-wc and a driver without RTE_PCI_DRV_WC_ACTIVATE: uc"
rig_check 'grep -q "BAR2: uc via vfio: driver .* does not ask for WC" /tmp/drv.log' "log says the driver did not ask"
pci_wc_probe $eal --pci-wc=driver -- --drv-wc --expect 2=wc > /tmp/drv2.log 2>&1
rc=$?
cat /tmp/drv2.log
rig_check '[ $rc = 0 ]' "--pci-wc=driver and a driver that asks: wc"

echo "== per-device argument"
pci_wc_probe -l 0 --file-prefix wc -a "$NVME_BDF,pci_wc=all" -- --expect 2=wc > /tmp/da.log 2>&1
rc=$?
cat /tmp/da.log
rig_check '[ $rc = 0 ]' "device argument pci_wc=all without the EAL option: wc"
pci_wc_probe -l 0 --file-prefix wc -a "$NVME_BDF,pci_wc=off" --pci-wc=all -- --expect 2=uc > /tmp/da2.log 2>&1
rc=$?
cat /tmp/da2.log
rig_check '[ $rc = 0 ]' "device argument pci_wc=off overrides --pci-wc=all: uc"
pci_wc_probe -l 0 --file-prefix wc -a "$NVME_BDF,pci_wc=all,pci_wc=all" -- \
	--expect 2=wc --expect-args "" > /tmp/da3.log 2>&1
rc=$?
cat /tmp/da3.log
rig_check '[ $rc = 0 ]' "the key given twice: wc, and neither occurrence reaches the driver"
pci_wc_probe -l 0 --file-prefix wc -a "$NVME_BDF,pci_wc=bogus" -- --expect 2=uc > /tmp/da4.log 2>&1
rc=$?
cat /tmp/da4.log
rig_check '[ $rc != 0 ] && grep -q "no device probed" /tmp/da4.log' \
	"a bad pci_wc= value fails the device's probe (exit $rc)"
rig_check '[ "$(grep -c "pci_wc=" /tmp/da4.log)" = 1 ] && grep -q "PCI_WC: $NVME_BDF: invalid device argument in .pci_wc=bogus.: pci_wc accepts off, driver, all" /tmp/da4.log' \
	"one line names the key and the accepted values"

echo "== the WC alias is granted but cannot be mmapped: uncached, one line"
# arm64 maps the plain region instead (Device memory). On x86 the BAR's
# pages keep their WC type while the alias exists and vfio-pci-wc refuses
# the plain region's mmap (EBUSY): the BAR is left to the slow path.
if [ "$arch" = x86_64 ]; then
	want="--expect 2=slow-path --slow-write 2:0:a5a55a5a --slow-read 2:0:a5a55a5a"
	got="slow-path"
else
	want="--expect 2=uc --expect-path 2=vfio --write 2:11"
	got="uc via vfio"
fi
pci_wc_probe $eal --pci-wc=all -- --fail-alias-mmap $want \
	--expect-reason "2:but mmap of the WC alias failed" \
	> /tmp/mmapfail.log 2>&1
rc=$?
cat /tmp/mmapfail.log
rig_check '[ $rc = 0 ]' "the device still probes, BAR2 $got, data reads back"
rig_check '[ "$(grep -c "PCI_WC: $NVME_BDF BAR2: $got.*: WC wanted (--pci-wc=all) but mmap of the WC alias failed" /tmp/mmapfail.log)" = 1 ]' \
	"one line says why BAR2 is $got"

echo "== bad value"
pci_wc_probe $eal --pci-wc=bogus -- --expect 2=wc > /tmp/bogus.log 2>&1
rc=$?
cat /tmp/bogus.log
rig_check '[ $rc != 0 ]' "--pci-wc=bogus: EAL init fails (exit $rc)"
rig_check '[ "$(grep -c "pci-wc" /tmp/bogus.log)" = 1 ] && grep -q "invalid --pci-wc value .bogus. (accepted: off, driver, all)" /tmp/bogus.log' \
	"one error line names the option and the accepted values"

if [ "$arch" != x86_64 ]; then
	# x86 cannot remap a mapped BAR (PAT keeps one type per page): the
	# race of a remap against readers is shown where remap works
	echo "== readers see whole records while the application remaps"
	pci_wc_probe $eal --pci-wc=all -- --expect 2=wc --remap-race 2:300 \
		> /tmp/race.log 2>&1
	rc=$?
	cat /tmp/race.log
	rig_check '[ $rc = 0 ]' "300 remaps against a reader thread: no torn record"
fi

echo "== hot-unplug through sysfs: the records say so (last: the device goes)"
rig_hot_unplug "$NVME_BDF" pci_wc_probe $eal --pci-wc=all -- --expect 2=wc --hot-unplug 2
rc=$?
rig_check '[ $rc = 0 ]' "VFIO: the kernel's release request marks BAR2 unmapped; the device is released"
rig_check '[ ! -e "/sys/bus/pci/devices/$NVME_BDF" ]' "the kernel removed the device"
rig_done
