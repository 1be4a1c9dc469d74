# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a scenario that never sleeps (a shell loop with no
# command in it) must fail at its timeout saying it was running in user
# space, not naming a kernel function it does not sleep in.
# cells: x86_64-6.1
# timeout: 40
# expect: ^FAIL spin \[x86_64, linux 6\.1\.0-[0-9]+-amd64\]: guest hung after init started: no verdict within 40s of it; at 30s the scenario had last printed: 'spin: looping in the shell'; stuck: sh \(pid [0-9]+\) running in user space; local timer ticks in 1 s: CPU0 \+[0-9]+, CPU1 \+[0-9]+; console log: \S+$

echo "spin: looping in the shell"
while :; do :; done
