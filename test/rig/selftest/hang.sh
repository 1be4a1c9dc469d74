# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest that hangs after our /init started must fail at
# its timeout, once (never booted again), naming scenario, arch and kernel.
# cells: x86_64-6.1
# Its stall report, printed by the guest at 30 s, names the scenario's
# last line and where it sleeps. (40 s, not less: the report leaves
# through the serial console at printk's pace, which on a loaded 2-core
# host took more than the 5 s a 20-s timeout leaves it.)
# expect: ^FAIL hang \[x86_64, linux 6\.1\.0-[0-9]+-amd64\]: guest hung after init started: no verdict within 40s of it; at 30s the scenario had last printed: 'hang: waiting forever'; stuck: (sleep|sh) \(pid [0-9]+\) [^;]+; local timer ticks in 1 s: CPU0 \+[0-9]+, CPU1 \+[0-9]+; console log: \S+$
# timeout: 40

echo "hang: waiting forever"
while :; do sleep 1; done
