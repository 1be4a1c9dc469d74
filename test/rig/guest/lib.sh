# SPDX-License-Identifier: BSD-3-Clause
# Shell helpers for rig scenarios (busybox sh). The runner fixes the PCI
# addresses of the devices it attaches, so scenarios can name them.

NVME_BDF=0000:00:04.0
IVSHMEM_BDF=0000:00:05.0
NIC0_BDF=0000:00:06.0
NIC1_BDF=0000:00:07.0
VIRTIO_LEGACY_BDF=0000:00:08.0
TESTDEV_BDF=0000:00:09.0

# Wait up to $2 seconds for path $1 to exist.
rig_wait() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ "$i" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# Wait up to $3 seconds (default 60) for a line matching $2 in file $1 (a
# program in the background saying it is ready); with a process id $4,
# give up as soon as that process has ended.
rig_wait_line() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $((${3:-60} * 10)) ] && return 1
		[ -n "${4:-}" ] && ! rig_running "$4" && return 1
		sleep 0.1
	done
}

# Hot-unplug device $1 under a program: run the rest of the arguments in
# the background with output to /tmp/hot.log, wait for its "waiting for
# the removal" line, remove the device through sysfs, then return the
# program's exit status (the log is printed).
rig_hot_unplug() {
	bdf=$1
	shift
	"$@" > /tmp/hot.log 2>&1 &
	hot=$!
	rig_wait_line /tmp/hot.log "waiting for the removal"
	echo 1 > "/sys/bus/pci/devices/$bdf/remove"
	wait $hot
	hot=$?
	cat /tmp/hot.log
	return $hot
}

# Bind device $1 to driver $2 (default vfio-pci) with driver_override and
# wait for its VFIO group node when it is a vfio driver.
rig_bind() {
	bdf=$1
	drv=${2:-vfio-pci}
	dev=/sys/bus/pci/devices/$bdf
	[ -e "$dev" ] || { echo "rig: no PCI device $bdf"; return 1; }
	if [ -e "$dev/driver" ]; then
		echo "$bdf" > "$dev/driver/unbind"
	fi
	echo "$drv" > "$dev/driver_override"
	echo "$bdf" > /sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink "$dev/driver")")" = "$drv" ] ||
		{ echo "rig: $bdf did not bind to $drv"; return 1; }
	case $drv in
	vfio*)
		# The IOMMU may register its groups after PCI enumeration.
		rig_wait "$dev/iommu_group" 10 ||
			{ echo "rig: $bdf has no IOMMU group"; return 1; }
		group=$(basename "$(readlink "$dev/iommu_group")")
		rig_wait "/dev/vfio/$group" 10 ||
			{ echo "rig: /dev/vfio/$group missing"; return 1; }
		;;
	esac
	echo "rig: $bdf bound to $drv"
}

# Turn on memory decode of $1 and bring it to D0 (see pci_mem_enable.c).
rig_enable_mem() {
	pci_mem_enable "$1"
}

# Print an ok/FAIL line for condition "$1" (a shell test) described by $2;
# remember failures for rig_done.
rig_failed=0
rig_check() {
	if eval "$1"; then
		echo "ok: $2"
	else
		echo "FAIL: $2"
		rig_failed=$((rig_failed + 1))
	fi
}

# Exit status of a scenario made of rig_check lines.
rig_done() {
	[ "$rig_failed" = 0 ]
}

# The vendor:device of $1, e.g. 1b36:0010.
rig_pci_id() {
	d=/sys/bus/pci/devices/$1
	[ -e "$d" ] || { echo none; return; }
	echo "$(sed 's/^0x//' "$d/vendor"):$(sed 's/^0x//' "$d/device")"
}

# Size in bytes and flags (hex) of BAR $2 of $1, from sysfs "resource".
rig_bar_size() {
	sed -n "$(($2 + 1))p" "/sys/bus/pci/devices/$1/resource" |
		{ read -r s e f; [ "$((e))" -gt 0 ] && echo $((e - s + 1)) || echo 0; }
}
rig_bar_flags() {
	sed -n "$(($2 + 1))p" "/sys/bus/pci/devices/$1/resource" | { read -r s e f; echo "$f"; }
}
# True when BAR $2 of $1 is prefetchable memory (IORESOURCE_MEM|PREFETCH).
rig_bar_prefetchable() {
	f=$(rig_bar_flags "$1" "$2")
	[ $((f & 0x2200)) = $((0x2200)) ]
}

# Value of numeric field $2 in the first line of file $3 matching $1 (the
# one-line-per-element JSON dpdk-test-wc writes), or "" when absent.
rig_json_num() {
	grep -m1 -e "$1" "$3" | sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p"
}
# The same for a string field.
rig_json_str() {
	grep -m1 -e "$1" "$3" | sed -n "s/.*\"$2\": \"\([^\"]*\)\".*/\1/p"
}

# Counter $3 (RX-packets or TX-packets) from the last "$2 ... for port $4"
# block in testpmd log $1 ($2: "NIC statistics" or "Forward statistics");
# prints nothing when there is no such block.
rig_testpmd_counter() {
	tr -d '\033' < "$1" | awk -v sect="$2" -v key="$3:" -v port="$4" '
		index($0, sect " for port ") {
			split($0, w, " for port "); split(w[2], n, " ")
			cur = (n[1] == port)
			next
		}
		/####|----/ && !/ for port / { cur = 0 }
		cur { for (i = 1; i < NF; i++) if ($i == key) v = $(i + 1) }
		END { if (v != "") print v }'
}

# True while process $1 runs. A child that exited but was not waited for
# yet is a zombie: it still has a /proc entry and answers "kill -0".
rig_running() {
	[ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

# Stop background child $1: SIGTERM (a program can finish cleanly and
# report), SIGKILL if it still runs $2 seconds later (default 10), so a hung
# program fails the scenario instead of blocking it. Its exit status lands
# in rig_stop_status (128 + signal when a signal ended it).
rig_stop() {
	kill -TERM "$1" 2>/dev/null
	i=0
	while rig_running "$1" && [ "$i" -lt $((${2:-10} * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rig_running "$1" && { echo "rig: process $1 ignored SIGTERM, killing it"; kill -KILL "$1"; }
	wait "$1"
	rig_stop_status=$?
}

# The decode-flip and reset soak shared by kmod-wc-stress (vfio-pci-wc,
# through the alias) and kmod-wc-stress-plain (plain vfio-pci, through the
# BAR index), so the two drivers see exactly the same load.
#
#   rig_stress DRIVER [--no-alias]
#
# Three soaks of STRESS_SECONDS (default 15) each, with 1, 2 and 3 worker
# threads. The kernel's console level is raised so that a hang leaves its
# evidence on the console (the host keeps it): hung-task reports after
# 30 s, and a watchdog that, if the soaks have not ended in time, asks the
# kernel for the blocked tasks (sysrq w) and every CPU's backtrace (l).

rig_stress() {
	drv=$1
	shift
	secs=${STRESS_SECONDS:-15}
	echo 8 > /proc/sys/kernel/printk
	[ -w /proc/sys/kernel/hung_task_timeout_secs ] &&
		echo 30 > /proc/sys/kernel/hung_task_timeout_secs
	echo 1 > /proc/sys/kernel/sysrq
	# The watchdog is pinned to CPU 0: in the x86 hangs seen, CPU 1's
	# local timer stopped, and a sleep armed there would never end.
	pin=""
	command -v taskset > /dev/null && pin="taskset 1"
	$pin sh -c '
		sleep $1
		echo "rig-stress: soaks not over after $1 s: local timer counts, sysrq w, l" > /dev/console
		grep -E "^ *(CPU|LOC:)" /proc/interrupts > /dev/console
		sleep 2
		grep -E "^ *(CPU|LOC:)" /proc/interrupts > /dev/console
		echo w > /proc/sysrq-trigger
		echo l > /proc/sysrq-trigger' sh $((3 * secs + 45)) &
	watchdog=$!
	# Before Linux 6.10, vfio-pci's zap on decode-off and reset and a
	# munmap of the same vma race in PAT's untrack_pfn (x86 warns,
	# whatever the driver: doc/guides/rig.rst); 6.10 stopped remapping
	# vmas in vfio-pci's fault handler. There the soak keeps munmap out
	# of the disruption windows; every other access still races them.
	case $(uname -r) in
	[0-5].* | 6.[0-9].* | 6.[0-9]-*)
		set -- "$@" --unmap-apart
		echo "rig-stress: linux $(uname -r) < 6.10: munmap kept apart from decode-off and reset"
		;;
	esac
	rig_bind "$NVME_BDF" "$drv" || return 1
	rc=0
	for n in 1 2 3; do
		echo "rig-stress: $n worker(s), $secs s on $drv" > /dev/console
		grep -E "^ *(CPU|LOC:)" /proc/interrupts > /dev/console
		wc_uapi_test --stress "$secs" --workers "$n" "$@" "$NVME_BDF" > /tmp/stress.out 2>&1 || rc=1
		cat /tmp/stress.out
		grep -E "^(ok|FAIL)" /tmp/stress.out > /dev/console
	done
	kill "$watchdog" 2>/dev/null
	echo "rig-stress: done, status $rc" > /dev/console
	echo 1 > /proc/sys/kernel/printk
	return $rc
}
