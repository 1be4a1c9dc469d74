# SPDX-License-Identifier: BSD-3-Clause
# The README's main job (devtools/run-main.sh): dpdk-test-wc on the NVMe
# CMB (BAR2 behind vfio-pci-wc), UC then WC, throughput and the unaligned
# sweep, with CSV, JSON and an SVG plot. The files travel back to the host
# base64-encoded between "@@FILE name@@" and "@@END name@@" lines of this
# scenario's output. Timings under TCG are not hardware numbers.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc
# timeout: 300

# EAL keeps its runtime files under /var/run (the initramfs has none).
mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
out=/tmp/results
mkdir -p $out
dpdk-test-wc -l 0-1 -a "$NVME_BDF" --in-memory --no-telemetry -- \
	--quick --sizes 64,256,1K,4K,16K --reps 5 --ua-lens 256 --require-wc \
	--label "rig guest: $(uname -m), Linux $(uname -r), QEMU TCG" \
	--csv $out/dpdk-test-wc.csv --json $out/dpdk-test-wc.json \
	--plot $out/dpdk-test-wc.svg
rc=$?
rig_check "[ $rc = 0 ]" "dpdk-test-wc exit status 0 (got $rc)"
json=$out/dpdk-test-wc.json
# Issue 13: store kind, baseline rows, link (or why not), drain read.
rig_check "grep -q '\"mapping\": \"wc\", \"direction\": \"write\".*\"store\": \"[a-z0-9]*\", \"store_width\": [1-9]' $json" \
	"JSON rows carry the store kind"
rig_check "grep -q '\"mapping\": \"wb\", \"direction\": \"write\"' $json" "JSON has the write-back baseline rows"
rig_check "grep -q -e '\"link\": {\"available\": true' -e '\"link\": {\"available\": false, \"speed_gts\": \"not available\", \"width\": \"not available\", \"reason\": \"[^\"]' $json" \
	"JSON has the link, or 'not available' with the reason"
rig_check "grep -q '\"drain\": \"after the last copy' $json && grep -q '\"direction\": \"write\".*\"drained\": true' $json" \
	"JSON records the drain read"
rig_check "grep -q '^throughput,.*,wb,write-back-memory,' $out/dpdk-test-wc.csv && head -n1 $out/dpdk-test-wc.csv | grep -q ',store,store_width,drained,tlp_ceiling$'" \
	"CSV has the baseline rows and the store columns"
for f in dpdk-test-wc.csv dpdk-test-wc.json dpdk-test-wc.svg; do
	rig_check "[ -s $out/$f ]" "$f written"
	echo "@@FILE $f@@"
	base64 "$out/$f"
	echo "@@END $f@@"
done
rig_done
