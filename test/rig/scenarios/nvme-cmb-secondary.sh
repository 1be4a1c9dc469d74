# SPDX-License-Identifier: BSD-3-Clause
# A DPDK secondary process beside the nvme_cmb PMD's primary. The primary
# (vfio-pci-wc, --pci-wc=driver, SQ and data in the WC CMB) writes and
# reads back a few blocks in a loop; a secondary with the same
# --file-prefix starts meanwhile. Its probe must leave the controller to
# the primary: one log line says so, it has no nvme_cmb device (-ENODEV),
# EAL init and the program succeed, and the primary's ops go on
# completing throughout (none fails, none waits more than 2 s) and after.
# devices: nvme-cmb
# modules: vfio_iommu_type1 vfio-pci vfio-pci-wc
# timeout: 300

mkdir -p /var/run
rig_bind "$NVME_BDF" vfio-pci-wc || exit 1

# The last "loop: N ops ok" the primary printed, or 0.
loop_count() {
	n=$(sed -n 's/^loop: \([0-9][0-9]*\) ops ok$/\1/p' /tmp/primary.log | tail -n 1)
	echo "${n:-0}"
}

# Long enough for the secondary's EAL init under TCG on a loaded host,
# with the primary still looping after the secondary is gone.
nvme_cmb_check -l 0 --proc-type=primary --file-prefix sec -a "$NVME_BDF,sq=cmb,data=cmb" \
	--pci-wc=driver -- --expect-cmb wc --loop 40 > /tmp/primary.log 2>&1 &
primary=$!
if ! rig_wait_line /tmp/primary.log "^loop: [0-9]* ops ok$" 120 "$primary"; then
	rig_stop "$primary"
	cat /tmp/primary.log
	rig_check false "the primary reports progress (it ended with status $rig_stop_status)"
	rig_done
	exit
fi
before=$(loop_count)
echo "rig: primary at $before ops, starting the secondary"

nvme_cmb_check -l 1 --proc-type=secondary --file-prefix sec -a "$NVME_BDF" --pci-wc=driver -- \
	--secondary "$NVME_BDF" > /tmp/secondary.log 2>&1
src=$?
at_exit=$(loop_count)
# Two progress lines later: the primary still works without the secondary.
sleep 1.2
after=$(loop_count)
alive=no
rig_running "$primary" && alive=yes
echo "rig: primary at $at_exit ops when the secondary exited, $after ops 1.2 s later (running: $alive)"

# The loop ends by itself; a primary that hangs is stopped and fails.
i=0
while rig_running "$primary" && [ "$i" -lt 900 ]; do
	sleep 0.1
	i=$((i + 1))
done
rig_stop "$primary"
prc=$rig_stop_status
echo "--- secondary"
cat /tmp/secondary.log
echo "--- primary"
cat /tmp/primary.log

line="secondary process: the device belongs to the primary process"
rig_check '[ "$(grep -c "$line" /tmp/secondary.log)" = 1 ]' "the secondary's probe logs exactly one line: '$line'"
rig_check '! grep -q "$line" /tmp/primary.log' "the primary logs no such line"
rig_check 'grep -q "^ok: no nvme_cmb device for $NVME_BDF in the secondary" /tmp/secondary.log' \
	"rte_pmd_nvme_cmb_dev_id($NVME_BDF) is -ENODEV in the secondary"
rig_check '[ $src = 0 ]' "the secondary's EAL init and checks succeed (exit $src)"
rig_check '[ "$alive" = yes ]' "the primary was still looping after the secondary had exited"
rig_check '[ "$after" -gt "$before" ]' \
	"the primary's ops kept completing after the secondary started ($before, then $at_exit, then $after)"
rig_check 'grep -q "^loop: done after 40 s: [0-9]* ops ok, 0 failed" /tmp/primary.log' \
	"the primary's loop ran to its end with no failed op"
rig_check '[ $prc = 0 ]' "the primary exits 0: no failed op, no wait over 2 s, device removed (exit $prc)"
rig_done
