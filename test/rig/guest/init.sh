#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# /init of the rig's busybox initramfs: mount what scenarios need, load the
# modules the runner listed, run /rig/scenario.sh, then hand the verdict to
# the host in a framed, checksummed block on the console and power off.
# The host never trusts free-form console text for a verdict.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox mount -t proc proc /proc
nonce=$(/bin/busybox sed -n 's/.*rig\.nonce=\([0-9a-f]*\).*/\1/p' /proc/cmdline)
# First words of ours on the console: the runner boots a guest again only
# when this line never came (a hang in firmware or early kernel boot).
echo "@@RIG-INIT $nonce@@"
/bin/busybox --install -s /bin
# The initramfs root comes up world-writable; EAL refuses to load PMDs
# from a directory below one (and nothing here needs it writable).
chmod 755 /

mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/hugepages /tmp
mount -t hugetlbfs nodev /dev/hugepages
mount -t tmpfs tmpfs /tmp
echo 64 > /proc/sys/vm/nr_hugepages

# The stall report (/rig/stall.sh): when the scenario is still running
# rig.stall seconds in (three quarters of the host's timeout), what runs,
# where every scenario thread sleeps and what the scenario printed last go
# to the console, so a run the host must kill says where it stopped. One
# watcher per CPU, pinned: a sleep armed on a vCPU whose timer stopped
# never ends, the other CPU's still does.
stall=$(sed -n 's/.*rig\.stall=\([0-9]*\).*/\1/p' /proc/cmdline)
stall_pids=""
if [ -n "$stall" ]; then
	cpu=0
	while [ "$cpu" -lt "$(nproc)" ]; do
		taskset $((1 << cpu)) sh /rig/stall.sh "$nonce" "$stall" &
		stall_pids="$stall_pids $!"
		cpu=$((cpu + 1))
	done
fi

{
	echo "rig: kernel $(uname -r) $(uname -m)"
	while read -r ko; do
		insmod "/lib/modules/$ko" || echo "rig: insmod $ko failed"
	done < /rig/modules.load
	sh -c '. /rig/lib.sh; . /rig/scenario.sh'
	echo "rig: scenario exit status $?"
} > /tmp/rig.log 2>&1
status=$(sed -n 's/^rig: scenario exit status //p' /tmp/rig.log)
# A watcher still asleep just ends; one that began its report (it ignores
# SIGTERM from then on) is given time to finish it.
for p in $stall_pids; do kill "$p" 2>/dev/null; done
if [ -d /tmp/rig.stall ]; then
	i=0
	while [ ! -e /tmp/rig.stall/done ] && [ "$i" -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
fi

# The stall report and its sysrq dump are evidence, never a verdict: they
# are left out of the run's kernel log.
dmesg | sed -e "/rig-sysrq-begin $nonce/,/rig-sysrq-end $nonce/d" \
	-e "/rig-stall $nonce: /d" > /tmp/dmesg.log
# Keep the kernel quiet while the block goes out.
echo 1 > /proc/sys/kernel/printk
{
	echo "status=${status:-255}"
	echo "--- log"
	cat /tmp/rig.log
	echo "--- dmesg"
	cat /tmp/dmesg.log
} > /tmp/result
sum=$(md5sum /tmp/result | cut -d' ' -f1)
echo "@@RIG-BEGIN $nonce@@"
base64 /tmp/result
echo "@@RIG-END $nonce $sum@@"
sync
poweroff -f
