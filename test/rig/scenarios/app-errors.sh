# SPDX-License-Identifier: BSD-3-Clause
# dpdk-test-wc's errors and fallbacks, each a clear line and an exit
# status: bad options, --help, no device named (refused before EAL
# probes anything), a device that does not exist, one bound to no driver; bound to plain vfio-pci (no WC to be had)
# it measures UC and says why WC is missing; with EAL's --pci-wc the bus
# maps WC from the start and the app reports that UC cannot be measured,
# whether the value is given as --pci-wc=all or --pci-wc all.
# cells: x86_64-6.12 x86_64-7.3
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 180

# EAL keeps its runtime files under /var/run (the initramfs has none).
mkdir -p /var/run
EAL="--in-memory --no-telemetry -l 0"
QUICK="--mode throughput --quick --sizes 64 --no-reads --reps 1 --warmup 0"
# Run the app; keep its stderr in $err, its exit status in $rc.
app() {
	dpdk-test-wc "$@" > /tmp/out 2> /tmp/err
	rc=$?
	err=$(grep 'dpdk-test-wc:' /tmp/err | tail -n1)
	echo "\$ dpdk-test-wc $* -> $rc: $err"
}

app -- --bogus
rig_check "[ \$rc = 2 ] && echo \"\$err\" | grep -q -e \"unknown option '--bogus'\"" "unknown option: exit 2, named"
app -- --sizes 0
rig_check "[ \$rc = 2 ] && echo \"\$err\" | grep -q -- '--sizes'" "bad size: exit 2, option named"
app -- --help
rig_check "[ \$rc = 0 ] && grep -q 'Usage: dpdk-test-wc' /tmp/out && grep -q -- '--ua-lens' /tmp/out" "--help: usage, exit 0"

# No -a: refused before EAL starts, so no device is probed at all.
app $EAL -- $QUICK
rig_check "[ \$rc = 2 ] && echo \"\$err\" | grep -q 'no device named' && ! grep -q '^EAL:' /tmp/err" \
	"no -a: exit 2 before EAL starts, says how to name the device"
app $EAL -a 0000:00:1f.6 -- $QUICK
rig_check "[ \$rc = 1 ] && echo \"\$err\" | grep -q 'not found'" "absent device: exit 1, not found"
[ -e /sys/bus/pci/devices/$NVME_BDF/driver ] && echo "$NVME_BDF" > /sys/bus/pci/devices/$NVME_BDF/driver/unbind
app $EAL -a "$NVME_BDF" -- $QUICK
rig_check "[ \$rc = 1 ] && echo \"\$err\" | grep -q 'not bound to a kernel driver'" "unbound device: exit 1, says to bind it"

rig_bind "$NVME_BDF" vfio-pci || exit 1
# --phases in either order: UC is measured first all the same.
app $EAL -a "$NVME_BDF" -- $QUICK --phases wc,uc --json /tmp/plain.json
grep '^note:' /tmp/out
rig_check "[ \$rc = 0 ] && grep -q 'could not be mapped WC' /tmp/plain.json && grep -q '\"mapping\": \"uc\", \"direction\"' /tmp/plain.json && ! grep -q '\"mapping\": \"wc\", \"direction\"' /tmp/plain.json" \
	"plain vfio-pci, --phases wc,uc: UC measured, the missing WC explained, exit 0"
app $EAL -a "$NVME_BDF" -- $QUICK --require-wc
rig_check "[ \$rc = 1 ] && echo \"\$err\" | grep -q 'require-wc'" "plain vfio-pci with --require-wc: exit 1"

rig_bind "$NVME_BDF" vfio-pci-wc || exit 1
app $EAL --pci-wc=all -a "$NVME_BDF" -- $QUICK --json /tmp/forced.json
grep '^note:' /tmp/out
rig_check "[ \$rc = 0 ] && grep -q 'UC cannot be measured' /tmp/forced.json && grep -q '\"mapping\": \"wc\", \"direction\"' /tmp/forced.json && ! grep -q '\"mapping\": \"uc\", \"direction\"' /tmp/forced.json" \
	"EAL --pci-wc=all: WC only, the missing UC explained"
# The same with a space. EAL alone would drop "all" and read the bare
# option, driver: our driver asks for WC, so only the bus's reason
# (--pci-wc=driver and driver ... asks) tells the two apart.
app $EAL --pci-wc all -a "$NVME_BDF" -- $QUICK --json /tmp/spaced.json
grep -o '"reason": "[^"]*"' /tmp/spaced.json | head -n 1
rig_check "[ \$rc = 0 ] && grep -q 'UC cannot be measured' /tmp/spaced.json && grep -q '\"mapping\": \"wc\", \"direction\"' /tmp/spaced.json && ! grep -q '\"mapping\": \"uc\", \"direction\"' /tmp/spaced.json && grep -q -e '--pci-wc=all' /tmp/spaced.json && ! grep -q -e '--pci-wc=driver' /tmp/spaced.json" \
	"EAL --pci-wc all (space): the same as --pci-wc=all, the bus's reason says all"
rig_done
