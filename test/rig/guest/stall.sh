#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The rig's stall watcher, started by /init beside the scenario, once per
# CPU (pinned): a vCPU whose local timer stops never ends a sleep armed on
# it, so the watcher of the other CPU still reports. The first to wake
# after SECONDS prints the report; the host reads it only to explain a run
# it then has to kill (rig.py explain_timeout), and keeps it as stall.log.
#
#   stall.sh NONCE SECONDS
#
# The report, lines tagged "rig-stall NONCE:": our processes (ps), for
# every thread of every scenario process its state, CPU ticks spent in
# user and system mode over one second, wchan and kernel stack, each CPU's
# local timer count at both ends of that second, and the scenario's last
# lines. Then the kernel's blocked tasks and every CPU's backtrace (sysrq
# w and l), framed in the kernel log by rig-sysrq markers. /init strips
# all of it from the run's dmesg: a run that was only slow must not fail
# on the call traces of its own report.

nonce=$1
sleep "$2"
# Only the first watcher to wake reports.
mkdir /tmp/rig.stall 2>/dev/null || exit 0
# /init waits for a report that has begun rather than cut it short (a
# begin marker without its end would hide the rest of the kernel log).
trap '' TERM

# Processes to leave out: /init itself and the watchers with everything
# they run (ps, sleep, cat ...).
watchers=$(grep -l 'rig/stall\.sh' /proc/[0-9]*/cmdline 2>/dev/null |
	sed 's|/proc/\([0-9]*\)/cmdline|\1|')
ours() { # pid: true when it is a watcher or runs under one
	a=$1
	while [ -n "$a" ] && [ "$a" -gt 1 ]; do
		for w in $watchers; do
			[ "$a" = "$w" ] && return 0
		done
		a=$(sed 's/^.*) //' "/proc/$a/stat" 2>/dev/null | cut -d' ' -f2)
	done
	return 1
}

# State, parent, user and system ticks of one thread (fields 3, 4, 14, 15
# of its stat; the command name before them may hold spaces).
sample() { # stat file
	sed 's/^.*) //' "$1" 2>/dev/null | cut -d' ' -f1,2,12,13
}

timers() {
	grep -E '^ *(LOC:|[0-9]+:.*arch_timer)' /proc/interrupts
}

procs=""
for d in /proc/[0-9]*; do
	p=${d#/proc/}
	[ "$p" = 1 ] && continue
	# Kernel threads carry PF_KTHREAD in their flags (stat field 9). Not
	# an empty command line: a process that is exiting has one too, and
	# it may be the one stuck.
	f=$(sed 's/^.*) //' "$d/stat" 2>/dev/null | cut -d' ' -f7)
	[ -n "$f" ] || continue
	[ $((f & 0x200000)) = 0 ] || continue
	ours "$p" && continue
	procs="$procs $p"
done

t0=$(timers)
for p in $procs; do
	for t in /proc/"$p"/task/*; do
		echo "$p ${t##*/} $(sample "$t/stat")"
	done
done > /tmp/rig.stall/first
sleep 1
t1=$(timers)

# Out through the kernel log at a level the console always prints: a
# process's writes to /dev/console wait on the serial port's interrupt,
# the kernel's printk does not (in the x86 hangs under QEMU 10 the kernel
# still printed while everything written to the tty stayed unsent). Every
# line is tagged with the nonce; /init strips them from the run's dmesg.
echo on > /proc/sys/kernel/printk_devkmsg 2>/dev/null
report() {
	while IFS= read -r l; do
		echo "<2>rig-stall $nonce: $l" > /dev/kmsg
	done
}

{
	# Our processes only: kernel threads are [bracketed]. (A list with
	# arguments, not pgrep's names: SC2009 does not apply.)
	# shellcheck disable=SC2009
	ps | grep -v ' \[[^]]*\]$'
	echo "--- threads: pid tid comm ppid state user+ system+ (ticks in 1 s) wchan, then the kernel stack"
	while read -r p tid st0 pp0 u0 s0; do
		t=/proc/$p/task/$tid
		now=$(sample "$t/stat")
		[ -n "$now" ] || continue
		set -- $now
		echo "task $p $tid $(tr ' ' '_' < "$t/comm") $2 $1 +$(($3 - u0)) +$(($4 - s0)) $(cat "$t/wchan" 2>/dev/null || echo ?)"
		sed 's/^/  stack /' "$t/stack" 2>/dev/null
	done < /tmp/rig.stall/first
	echo "--- local timers, 1 s apart"
	echo "$t0" | sed 's/^/timer0 /'
	echo "$t1" | sed 's/^/timer1 /'
	echo "--- the scenario's last lines"
	tail -n 20 /tmp/rig.log
	echo "--- end"
} 2>&1 | report

# The dump goes to the console through printk too: the console level is
# raised for it, then put back.
level=$(cut -f1 /proc/sys/kernel/printk)
echo 8 > /proc/sys/kernel/printk
echo "<2>rig-sysrq-begin $nonce" > /dev/kmsg
echo w > /proc/sysrq-trigger
echo l > /proc/sysrq-trigger
echo "<2>rig-sysrq-end $nonce" > /dev/kmsg
echo "$level" > /proc/sys/kernel/printk
touch /tmp/rig.stall/done
