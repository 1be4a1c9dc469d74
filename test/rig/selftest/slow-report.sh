# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a scenario still running when the stall report comes (at
# 30 s of its 40) but done before the timeout must pass: the report's
# sysrq dump, call traces and all, never reaches the run's kernel log.
# cells: x86_64-6.1
# timeout: 40
# expect-pass: ^PASS slow-report \[x86_64, linux 6\.1\.0-[0-9]+-amd64\] *$

echo "slow-report: sleeping past the stall report"
end=$(($(cut -d. -f1 /proc/uptime) + 38))
while [ ! -e /tmp/rig.stall/done ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	sleep 0.1
done
rig_check '[ -e /tmp/rig.stall/done ]' "the stall report ran (and finished) while the scenario ran"
rig_check 'dmesg | grep -q "rig-sysrq-end"' "its sysrq dump is in the kernel log"
rig_done
