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

# The stall report: when the scenario is still running rig.stall seconds
# in (three quarters of the host's timeout), the processes running and
# what it has printed so far go to the console, so a run the host must
# kill says how far it got. The host reads it only to explain a timeout.
# (No sysrq dump: its call traces would land in the dmesg of a run that
# was only slow, and fail it.)
stall=$(sed -n 's/.*rig\.stall=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$stall" ]; then
	(
		sleep "$stall"
		echo "@@RIG-STALL $nonce@@"
		# Our processes only: kernel threads are [bracketed]. (A list
		# with arguments, not pgrep's names: SC2009 does not apply.)
		# shellcheck disable=SC2009
		ps | grep -v ' \[[^]]*\]$'
		echo "--- the scenario's last lines"
		tail -n 20 /tmp/rig.log
		echo "@@RIG-STALL-END $nonce@@"
	) > /dev/console 2>&1 &
	stall_pid=$!
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
[ -n "${stall_pid:-}" ] && kill "$stall_pid" 2>/dev/null

dmesg > /tmp/dmesg.log
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
