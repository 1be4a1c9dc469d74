# SPDX-License-Identifier: BSD-3-Clause
# The nvme_cmb PMD on an NVMe without a CMB: the probe succeeds with
# queues and data in host memory and one line says so; the selftest runs
# the host placement; sq=cmb and data=cmb fail the probe with one line
# naming the key, as do bad device arguments; the device is released
# each time (the next probe works). A controller disabled behind the
# PMD's back never completes a command: the op comes back timed out.
# devices: nvme-nocmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
eal="-l 0 --file-prefix nv --pci-wc=driver"

nvme_cmb_check $eal -a "$NVME_BDF" -- --expect-cmb none --selftest > /tmp/host.log 2>&1
rc=$?
cat /tmp/host.log
rig_check '[ $rc = 0 ]' "no CMB: probe succeeds, host placement selftest passes (exit $rc)"
rig_check '[ "$(grep -c "no controller memory buffer" /tmp/host.log)" = 1 ]' \
	"exactly one line says there is no CMB"

for arg in sq=cmb data=cmb qdepth=1 sq=bogus foo=1 max_xfer=5000; do
	nvme_cmb_check $eal -a "$NVME_BDF,$arg" -- --expect-no-dev > /tmp/bad.log 2>&1
	rc=$?
	cat /tmp/bad.log
	key=${arg%%=*}
	rig_check '[ $rc = 0 ]' "$arg: probe fails, no rawdev"
	rig_check '[ "$(grep -cE "nvme_cmb.*($key=|\"$key\")" /tmp/bad.log)" = 1 ]' "$arg: one line names the key"
done
nvme_cmb_check $eal -a "$NVME_BDF" -- --expect-cmb none > /tmp/again.log 2>&1
rc=$?
rig_check '[ $rc = 0 ]' "the device works again after the failed probes"

nvme_cmb_check $eal -a "$NVME_BDF,timeout_ms=300" -- --timeout-op > /tmp/timeout.log 2>&1
rc=$?
cat /tmp/timeout.log
rig_check '[ $rc = 0 ]' "a controller that stops answering: the op times out, no hang, close works"
rig_check '[ "$(grep -c "not completed within 300 ms" /tmp/timeout.log)" = 1 ]' "one line reports the timeout"
nvme_cmb_check $eal -a "$NVME_BDF" -- --expect-cmb none --selftest > /tmp/after.log 2>&1
rc=$?
rig_check '[ $rc = 0 ]' "the next probe brings the controller up again and the selftest passes"
rig_done
