# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc's throughput run on the NVMe CMB (BAR2 behind vfio-pci-wc),
# short: UC first, then the BAR remapped WC, writes and reads, aligned and
# misaligned, every size verified by read-back; then the same on both
# lcores at once. Asserted: rows for both mappings, all verified, CSV,
# JSON and SVG written and marked as emulated; every row names the store
# it used, write rows end with the drain read, the write-back baseline
# rows are there, the link is reported (under QEMU: "not available" with
# the reason), UC read latency measured; on x86 the kernel's PAT
# list, read by the app while each phase ran, shows the BAR uncached-minus
# in the UC phase and write-combining in the WC phase.
# Timings under TCG mean nothing and are not checked.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc
# timeout: 240

# EAL keeps its runtime files under /var/run (the initramfs has none).
mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
out=/tmp/tp
mkdir -p $out
dpdk-test-wc -l 0-1 -a "$NVME_BDF" --in-memory --no-telemetry -- \
	--mode throughput --quick --sizes 64,4K --require-wc \
	--csv $out/tp.csv --json $out/tp.json --plot $out/tp.svg
rc=$?
rig_check "[ $rc = 0 ]" "dpdk-test-wc exit status 0 (got $rc)"
json=$out/tp.json
[ -s "$json" ] || { echo "FAIL: no JSON written"; exit 1; }

row() { grep -c "\"mapping\": \"$1\", \"direction\": \"$2\"" "$json"; }
rig_check "[ $(row uc write) -gt 0 ] && [ $(row wc write) -gt 0 ]" "write rows for UC and WC"
rig_check "[ $(row uc read) -gt 0 ] && [ $(row wc read) -gt 0 ]" "read rows for UC and WC"
rig_check "! grep -q '\"verified\": false' $json && grep -q '\"data_verified\": true' $json" \
	"every size read back correctly"
rig_check "grep -q '\"emulated\": true' $json" "JSON says the numbers come from emulation"
# Issue 13's methodology, in the JSON itself.
rig_check "! grep '\"direction\": ' $json | grep -v -q '\"store\": \"[a-z0-9]*\", \"store_width\": [1-9]'" \
	"every row names its store kind and width"
rig_check "[ \$(rig_json_str '\"mapping\": \"uc\", \"direction\": \"write\"' store $json) = aligned ]" \
	"UC writes: aligned stores"
# The widest kind of the run: its last WC write row.
wcstore=$(grep '"mapping": "wc", "direction": "write"' "$json" | tail -n1 | sed -n 's/.*"store": "\([^"]*\)".*/\1/p')
echo "WC store kind: $wcstore"
rig_check "echo '$wcstore' | grep -q -x -E 'gpr|sse2|avx|avx512f|movdir64b|neon'" "WC writes name a store kind"
rig_check "! grep '\"direction\": \"write\"' $json | grep -v -q '\"drained\": true' && grep -q '\"drain\": \"after the last copy' $json" \
	"every write sample ends with the drain read"
rig_check "[ $(row wb write) -gt 0 ] && grep -q '\"baseline\": {\"mapping\": \"wb\"' $json" \
	"write-back baseline rows, same loop"
link=$(grep -m1 '"link": {' "$json")
echo "link: $link"
rig_check "echo '$link' | grep -q -e '\"available\": true, \"speed_gts\": [0-9]' -e '\"available\": false, \"speed_gts\": \"not available\", \"width\": \"not available\", \"reason\": \"[^\"]'" \
	"link speed and width, or 'not available' with the reason"
rig_check "echo '$link' | grep -q '\"numa_node\": -*[0-9]*, \"lcore_socket\": -*[0-9]*' && echo '$link' | grep -q '\"tlp_ceiling_wc64_over_uc8\": 2.909'" \
	"NUMA node, lcore socket and the TLP ceiling"
rig_check "grep -q '\"uc_read_latency_ns\": {\"measured\": true' $json && grep -q '\"pinning\": \"lcore 0 -> CPU' $json" \
	"UC read latency measured; pinning reported"
rig_check "[ \$(rig_json_str '\"mapping\": \"wc\", \"path\"' path $json) = vfio-wc-alias ]" \
	"WC phase through vfio-pci-wc's WC alias region"
rig_check "head -n1 $out/tp.csv | grep -q '^test,device,bar,mapping,' && [ \$(grep -c '^throughput,' $out/tp.csv) -ge 4 ]" "CSV written"
rig_check "grep -q '</svg>' $out/tp.svg && grep -q 'NOT hardware numbers' $out/tp.svg" \
	"SVG plot written, titled as emulated"
if [ "$(uname -m)" = x86_64 ]; then
	uc=$(rig_json_str '"mapping": "uc", "path"' pat "$json")
	wc=$(rig_json_str '"mapping": "wc", "path"' pat "$json")
	echo "PAT while measuring: uc=$uc wc=$wc"
	rig_check "[ '$uc' = uncached-minus ]" "x86 PAT: BAR2 uncached-minus during the UC phase"
	rig_check "[ '$wc' = write-combining ]" "x86 PAT: BAR2 write-combining during the WC phase"
fi

# Both lcores at once, each on its own slice of the window.
dpdk-test-wc -l 0-1 -a "$NVME_BDF" --in-memory --no-telemetry -- \
	--mode throughput --quick --sizes 4K --no-reads --parallel \
	--require-wc --json $out/par.json
rc=$?
rig_check "[ $rc = 0 ]" "--parallel: exit status 0 (got $rc)"
rig_check "[ \$(rig_json_num '\"mapping\": \"wc\", \"direction\": \"write\"' lcores $out/par.json) = 2 ]" \
	"--parallel: WC rows measured on 2 lcores"
rig_check "grep -q '\"data_verified\": true' $out/par.json" "--parallel: every slice verified"

# --store by kind: the widest kind the first run used, asked for by name.
dpdk-test-wc -l 0 -a "$NVME_BDF" --in-memory --no-telemetry -- \
	--mode throughput --quick --sizes 256 --no-reads --store "$wcstore" \
	--require-wc --json $out/store.json
rc=$?
rig_check "[ $rc = 0 ]" "--store $wcstore: exit status 0 (got $rc)"
nwc=$(grep -c '"mapping": "wc", "direction": "write"' $out/store.json)
nkind=$(grep '"mapping": "wc", "direction": "write"' $out/store.json | grep -c "\"store\": \"$wcstore\"")
rig_check "[ $nwc -gt 0 ] && [ $nwc = $nkind ]" "--store $wcstore: every WC row used $wcstore ($nkind of $nwc)"
rig_done
