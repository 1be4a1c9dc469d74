# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc --nvme on QEMU's NVMe (64 MiB CMB in BAR2, bound to
# vfio-pci-wc): the nvme_cmb PMD takes the controller (the app's own PCI
# driver stands aside), and every placement of the submission queue and of
# the data runs at queue depths 1 and 32, writes then reads: host/host and
# the CMB-UC ones with the device as EAL probed it, then the CMB-WC ones
# after the app closed it and probed it again with pci_wc=all. Asserted
# from the JSON and the table: a row for every placement, depth and
# direction, each read back and compared; an SQ entry in the CMB-UC as 8
# stores of 8 bytes, in the CMB-WC as whole-line stores of the width the
# PMD reports (sqe_store_width: 32 with AVX, 16 with NEON), with one
# doorbell per command at depth 1 and each op's count its entry's stores
# plus that doorbell; write data in the CMB in stores of the same widths,
# one WC flush before every doorbell; the WC placements through
# vfio-pci-wc's WC alias (x86: PAT write-combining, uncached-minus for the
# UC ones); CSV, JSON and SVG written and marked as emulated. Then a
# --nvme-blocks beyond the controller's largest transfer, and a raw-BAR
# option with --nvme, each refused with one line.
# Timings under TCG mean nothing and are not checked.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci-wc
# timeout: 240

# EAL keeps its runtime files under /var/run (the initramfs has none).
mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
out=/tmp/nvme
mkdir -p $out
EAL="-l 0 -a $NVME_BDF --in-memory --no-telemetry"
dpdk-test-wc $EAL -- --nvme --nvme-ops 128 --nvme-depths 1,32 --require-wc \
	--csv $out/nvme.csv --json $out/nvme.json --plot $out/nvme.svg \
	> $out/stdout 2> $out/stderr
rc=$?
cat $out/stdout
sed 's/^/stderr: /' $out/stderr
rig_check "[ $rc = 0 ]" "dpdk-test-wc --nvme exit status 0 (got $rc)"
json=$out/nvme.json
[ -s "$json" ] || { echo "FAIL: no JSON written"; exit 1; }

# Numeric field $5 of the row for SQ $1, data $2, queue depth $3, op $4
# (one JSON line per row, placement first); 0 when absent.
num() {
	v=$(rig_json_num "{\"sq\": \"$1\", \"data\": \"$2\", \"queue_depth\": $3, \"op\": \"$4\"" "$5" "$json")
	echo "${v:-0}"
}

placements="host,host cmb-uc,host host,cmb-uc cmb-uc,cmb-uc cmb-wc,host host,cmb-wc cmb-wc,cmb-wc"
missing=""
for p in $placements; do
	for qd in 1 32; do
		for op in write read; do
			[ "$(num "${p%,*}" "${p#*,}" $qd $op commands)" = 128 ] ||
				missing="$missing ${p%,*}/${p#*,}/qd$qd/$op"
		done
	done
done
rig_check "[ -z '$missing' ]" "128 commands in every placement x queue depth 1, 32 x write, read (missing:${missing:- none})"
rig_check "! grep -q '\"skipped\": true' $json" "no placement skipped"
rig_check "! grep -q '\"verified\": false' $json && grep -q '\"data_verified\": true' $json" \
	"every block written was read back and matched"
line='^(host|cmb-uc|cmb-wc) +(host|cmb-uc|cmb-wc) +(1|32) (write|read) +[|]'
rows=$(grep -cE "$line" $out/stdout)
ok=$(grep -E "$line.*[|] ok\$" $out/stdout | wc -l)
rig_check "[ $rows = 28 ] && [ $ok = 28 ]" "the table has the 28 placement rows, each 'ok' ($ok of $rows)"

# The SQ entry's stores: $1 uc or wc, then data, depth, op.
w_wc=$(num cmb-wc host 1 write sqe_store_width)
echo "the PMD's entry store width: CMB-UC $(num cmb-uc host 1 write sqe_store_width) B, CMB-WC $w_wc B"
bad=""
for qd in 1 32; do
	for op in write read; do
		for data in host cmb-uc cmb-wc; do
			for m in uc wc; do
				[ "$data" != host ] && [ "$data" != "cmb-$m" ] && continue
				sq=cmb-$m
				n=$(num $sq $data $qd $op pmd_commands)
				s=$(num $sq $data $qd $op sqe_stores)
				w=$(num $sq $data $qd $op sqe_store_width)
				echo "sq=$sq data=$data qd=$qd $op: $n commands, $s entry stores of $w B"
				if [ $m = uc ]; then
					[ "$w" = 8 ] && [ "$s" = $((8 * n)) ] ||
						bad="$bad $sq/$data/qd$qd/$op"
				else
					[ "$w" -ge 16 ] && [ $((64 % w)) = 0 ] &&
						[ "$w" = "$w_wc" ] &&
						[ "$s" = $((n * 64 / w)) ] ||
						bad="$bad $sq/$data/qd$qd/$op"
				fi
			done
		done
	done
done
rig_check "[ -z '$bad' ] && [ $n -gt 0 ]" "SQ entries: 8 x 8-byte stores on CMB-UC, whole-line stores of ${w_wc}B (64/$w_wc per entry) on CMB-WC (wrong:${bad:- none})"

# Per-command accounting, every row: the op's count is entry + data + PRP
# list + its doorbell; one doorbell per command at depth 1, fewer at 32;
# SQ and data in host memory store nothing but the doorbell.
bad=""
for p in $placements; do
	sq=${p%,*}
	data=${p#*,}
	for qd in 1 32; do
		for op in write read; do
			n=$(num $sq $data $qd $op pmd_commands)
			s=$(num $sq $data $qd $op sqe_stores)
			d=$(num $sq $data $qd $op data_stores)
			l=$(num $sq $data $qd $op prp_stores)
			db=$(num $sq $data $qd $op doorbells)
			fl=$(num $sq $data $qd $op wc_flushes)
			t=$(num $sq $data $qd $op op_mmio_stores)
			b=$(num $sq $data $qd $op bytes)
			[ "$t" = $((s + d + l + n)) ] || bad="$bad $p/qd$qd/$op:total"
			if [ $qd = 1 ]; then
				[ "$db" = "$n" ] || bad="$bad $p/qd$qd/$op:doorbells"
			else
				[ "$db" -gt 0 ] && [ "$db" -le "$n" ] ||
					bad="$bad $p/qd$qd/$op:doorbells"
			fi
			# One flush before every doorbell that follows CMB stores.
			if [ "$p" = host,host ]; then
				[ "$s" = 0 ] && [ "$d" = 0 ] && [ "$fl" = 0 ] ||
					bad="$bad $p/qd$qd/$op:host"
			else
				[ "$fl" = "$db" ] || bad="$bad $p/qd$qd/$op:flushes"
			fi
			[ "$l" = 0 ] || bad="$bad $p/qd$qd/$op:prp"
			case $data/$op in
			host/*|*/read)
				[ "$d" = 0 ] || bad="$bad $p/qd$qd/$op:data" ;;
			cmb-uc/write)
				[ $((d * 8)) = $((b * n)) ] || bad="$bad $p/qd$qd/$op:data" ;;
			cmb-wc/write)
				[ $((d * w_wc)) = $((b * n)) ] || bad="$bad $p/qd$qd/$op:data" ;;
			esac
		done
	done
done
rig_check "[ -z '$bad' ]" "per command: entry + data + PRP stores + 1 doorbell; 1 doorbell each at depth 1; data in stores of 8 B (UC) or ${w_wc} B (WC); a flush per doorbell (wrong:${bad:- none})"

rig_check "[ \"\$(rig_json_str '\"mapping\": \"uc\", \"path\"' path $json)\" = vfio ]" \
	"CMB-UC placements through the plain VFIO region"
rig_check "[ \"\$(rig_json_str '\"mapping\": \"wc\", \"path\"' path $json)\" = vfio-wc-alias ]" \
	"CMB-WC placements through vfio-pci-wc's WC alias region"
rig_check "grep -q 'probing it again with pci_wc=all' $json" \
	"WC reached by closing the device and probing it again with pci_wc=all (noted)"
if [ "$(uname -m)" = x86_64 ]; then
	uc=$(rig_json_str '"mapping": "uc", "path"' pat "$json")
	wc=$(rig_json_str '"mapping": "wc", "path"' pat "$json")
	echo "PAT of the CMB BAR: uc=$uc wc=$wc"
	rig_check "[ '$uc' = uncached-minus ]" "x86 PAT: CMB BAR uncached-minus for the CMB-UC placements"
	rig_check "[ '$wc' = write-combining ]" "x86 PAT: CMB BAR write-combining for the CMB-WC placements"
fi
rig_check "grep -q '\"emulated\": true' $json && grep -q 'NOT hardware numbers' $out/stdout" \
	"JSON and table say the numbers come from emulation"
rig_check "head -n1 $out/nvme.csv | grep -q '^test,device,sq,data,queue_depth,op,' && [ \$(grep -c '^nvme,.*,true\$' $out/nvme.csv) = 28 ]" \
	"CSV written: 28 rows, each marked emulated"
rig_check "grep -q '</svg>' $out/nvme.svg && grep -q 'NOT hardware numbers' $out/nvme.svg" \
	"SVG plot written, titled as emulated"

# More blocks per command than the controller moves: refused before any I/O.
dpdk-test-wc $EAL -- --nvme --nvme-blocks 4096 > $out/big.out 2> $out/big.err
rc=$?
err=$(grep 'dpdk-test-wc:' $out/big.err)
echo "--nvme-blocks 4096 -> $rc: $err"
rig_check "[ $rc = 1 ] && [ \$(grep -c 'dpdk-test-wc:' $out/big.err) = 1 ] && grep -q -- '--nvme-blocks 4096: .* at most' $out/big.err" \
	"--nvme-blocks beyond the largest transfer: exit 1, one line naming it"
dpdk-test-wc -- --nvme --sizes 64 > $out/raw.out 2> $out/raw.err
rc=$?
rig_check "[ $rc = 2 ] && [ \$(wc -l < $out/raw.err) = 1 ] && grep -q \"'--sizes' is a raw-BAR option\" $out/raw.err" \
	"a raw-BAR option with --nvme: exit 2, one line"
rig_done
