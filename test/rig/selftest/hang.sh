# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a guest that hangs after our /init started must fail at
# its timeout, once (never booted again), naming scenario, arch and kernel.
# cells: x86_64-6.1
# Its stall report, printed by the guest at 15 s, names the scenario's
# last line.
# expect: ^FAIL hang \[x86_64, linux 6\.1\.0-[0-9]+-amd64\]: guest hung after init started: no verdict within 20s of it; at 15s the scenario had last printed: 'hang: waiting forever'; stuck: (sleep|sh) \(pid [0-9]+\) [^;]+; local timer ticks in 1 s: CPU0 \+[0-9]+, CPU1 \+[0-9]+; console log: \S+$
# timeout: 20

echo "hang: waiting forever"
while :; do sleep 1; done
