# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc's unaligned sweep on the NVMe CMB (BAR2 behind
# vfio-pci-wc): destination offsets 0..63 x lengths 1..256, plain memcpy
# and wc_mmio_copy_to, first on the bus's uncached mapping, then on the
# write-combining one the app asks the bus for. Asserted from the app's
# JSON: on arm64 memcpy faults on UC (Device memory), wc_mmio_copy_to
# never does, and nothing faults on WC (Normal-NC); on x86 nothing faults.
# Every attempt that did not fault read back right, guard bytes included.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc
# timeout: 240

# EAL keeps its runtime files under /var/run (the initramfs has none).
mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
json=/tmp/unaligned.json
dpdk-test-wc -l 0 -a "$NVME_BDF" --in-memory --no-telemetry -- \
	--mode unaligned --require-wc --json "$json"
rc=$?
rig_check "[ $rc = 0 ]" "dpdk-test-wc exit status 0 (got $rc)"
[ -s "$json" ] || { echo "FAIL: no JSON written"; exit 1; }

ua() { rig_json_num "\"mapping\": \"$1\", \"method\": \"$2\"," "$3" "$json"; }
for m in uc wc; do
	for k in memcpy wc_mmio; do
		a=$(ua $m $k attempts)
		f=$(ua $m $k faults)
		v=$(ua $m $k verified)
		x=$(ua $m $k mismatches)
		echo "sweep $m $k: attempts=$a faults=$f verified=$v mismatches=$x"
		rig_check "[ '$a' = 16384 ]" "$m/$k: all 64 x 256 combinations attempted"
		rig_check "[ '$x' = 0 ] && [ \$(($f + $v)) = $a ]" \
			"$m/$k: every attempt that did not fault read back correctly"
	done
done
if [ "$(uname -m)" = aarch64 ]; then
	rig_check "[ $(ua uc memcpy faults) -gt 0 ]" "arm64 UC: plain memcpy faults on unaligned stores"
	rig_check "[ $(ua uc memcpy sigbus) = $(ua uc memcpy faults) ]" "arm64 UC: the faults are SIGBUS"
	rig_check "[ $(ua uc wc_mmio faults) = 0 ]" "arm64 UC: wc_mmio_copy_to never faults"
else
	rig_check "[ $(ua uc memcpy faults) = 0 ] && [ $(ua uc wc_mmio faults) = 0 ]" \
		"x86 UC: nothing faults"
fi
rig_check "[ $(ua wc memcpy faults) = 0 ] && [ $(ua wc wc_mmio faults) = 0 ]" \
	"WC: nothing faults, plain memcpy included"
rig_check "grep -q '\"data_verified\": true' $json" "JSON: data_verified true"
rig_done
