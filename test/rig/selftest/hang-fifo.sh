# SPDX-License-Identifier: BSD-3-Clause
# Rig self-test: a scenario that blocks in a known kernel function (cat
# opening a FIFO that has no writer sleeps in wait_for_partner) must fail
# at its timeout with a FAIL line that names that function, from the
# stall report's wchan of the stuck thread, and keep the report's sysrq dump
# (blocked tasks, every CPU's backtrace) as stall-sysrq.log.
# cells: x86_64-6.12 arm64-6.1
# timeout: 40
# expect-file: stall-sysrq.log sysrq: Show backtrace of all active CPUs
# expect: ^FAIL hang-fifo \[(x86_64|arm64), linux [^]]+\]: guest hung after init started: no verdict within 40s of it; at 30s the scenario had last printed: 'hang-fifo: opening a FIFO that has no writer'; stuck: cat \(pid [0-9]+\) sleeping in wait_for_partner; local timer ticks in 1 s: CPU0 \+[0-9]+, CPU1 \+[0-9]+; console log: \S+$

mkfifo /tmp/no-writer
echo "hang-fifo: opening a FIFO that has no writer"
cat /tmp/no-writer
