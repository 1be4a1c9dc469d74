#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The rig's reading of a guest's stall report (test/rig/rig.py
explain_timeout): from the report guest/stall.sh prints, the FAIL reason
names the scenario's last line, the kernel function the stuck process
sleeps in (or that it ran in user space), each CPU's timer ticks, and the
sysrq dump is kept as stall-sysrq.log. Console text as a guest prints it,
kernel messages interleaved."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rig'))
import rig  # noqa: E402

NONCE = '0123456789abcdef'
failed = 0


def check(cond, what):
    global failed
    print(('ok: ' if cond else 'FAIL: ') + what)
    failed += not cond


def console(tasks, timers, sysrq=True):
    """A console as the guest prints the report: through printk, each line
    tagged with the nonce, timestamps and other kernel lines around."""
    report = ['PID   USER     TIME  COMMAND', '    1 0         0:00 {init} /bin/sh /init',
              '--- threads: pid tid comm ppid state user+ system+ (ticks in 1 s) wchan, '
              'then the kernel stack']
    report += tasks + ['--- local timers, 1 s apart'] + timers
    report += ["--- the scenario's last lines", 'rig: kernel 6.12 x86_64', 'step two', '--- end']
    lines = [f'@@RIG-INIT {NONCE}@@', 'rig-stress: 1 worker(s)']
    for i, l in enumerate(report):
        lines.append(f'[   17.{i:06d}] rig-stall {NONCE}: {l}')
        if i == 3:
            lines.append('[   17.100000] rcu: INFO: a kernel line in between')
    if sysrq:
        lines += [f'[   18.000000] rig-sysrq-begin {NONCE}', '[   18.100000] sysrq: Show Blocked State',
                  f'[   18.200000] rig-sysrq-end {NONCE}']
    return '\r\n'.join(lines) + '\r\n'


X86_TIMERS = ['timer0  LOC:       1200       3400   Local timer interrupts',
              'timer1  LOC:       1450       3400   Local timer interrupts']


def explain(text):
    with tempfile.TemporaryDirectory() as d:
        err, stop = rig.explain_timeout(text, NONCE, 20, 15, d)
        kept = {f: open(os.path.join(d, f), encoding='utf-8').read() for f in os.listdir(d)}
    return err, stop, kept


# A shell waiting for cat, which sleeps opening a FIFO.
err, stop, kept = explain(console([
    'task 120 120 sh 1 S +0 +0 do_wait', '  stack [<0>] do_wait+0x160/0x300',
    'task 130 130 cat 120 S +0 +0 fifo_open', '  stack [<0>] __schedule+0x30/0x90',
    '  stack [<0>] fifo_open+0x1d4/0x320'], X86_TIMERS))
check('stuck: cat (pid 130) sleeping in fifo_open;' in err, f'the leaf process and its wchan: {err}')
check("had last printed: 'step two'" in err, 'the scenario\'s last line')
check(err.endswith('local timer ticks in 1 s: CPU0 +250, CPU1 +0'), 'per-CPU timer ticks, a stopped one as +0')
check(not stop, 'a report means the guest was alive: no whole-guest stop')
check('stall.log' in kept and 'fifo_open' in kept['stall.log'], 'stall.log kept')
check('Show Blocked State' in kept.get('stall-sysrq.log', ''), 'stall-sysrq.log kept')
check('rcu: INFO' not in kept['stall.log'] and 'rig-stall' not in kept['stall.log'],
      'stall.log holds the report alone, untagged')

# A process busy in user space, beside a sleep of the scenario shell.
err, _, _ = explain(console([
    'task 120 120 sh 1 S +0 +0 do_wait',
    'task 140 140 dpdk-test-wc 120 R +99 +1 0',
    'task 140 141 eal-intr-thread 120 S +0 +0 do_epoll_wait',
    'task 150 150 sleep 120 S +0 +0 hrtimer_nanosleep'], X86_TIMERS))
check('stuck: dpdk-test-wc (pid 140): thread 140 running in user space, '
      'thread 141 sleeping in do_epoll_wait;' in err, f'a shell sleep is passed over, threads named: {err}')

# Running in the kernel; D state without a wchan falls back to the stack.
err, _, _ = explain(console([
    'task 160 160 wc_uapi_test 1 R +2 +97 0', '  stack [<0>] vfio_pci_core_ioctl+0x10/0x90',
    'task 170 170 insmod 1 D +0 +0 0', '  stack [<0>] schedule+0x40/0x90',
    '  stack [<0>] __mutex_lock+0x10/0x20'], X86_TIMERS))
check('wc_uapi_test (pid 160) running in the kernel (at vfio_pci_core_ioctl)' in err, err)
check('insmod (pid 170) sleeping in __mutex_lock (uninterruptible)' in err, err)

# A process that has exited but whose parent has not reaped it.
err, _, _ = explain(console(['task 120 120 sh 1 R +3 +0 0', 'task 180 180 wc_uapi_test 120 Z +0 +0 0'],
                            X86_TIMERS))
check('stuck: wc_uapi_test (pid 180) exited, not reaped yet (a zombie);' in err, err)

# arm64: the arch_timer line of /proc/interrupts.
err, _, kept = explain(console(['task 130 130 cat 1 S +0 +0 fifo_open'],
                               ['timer0  11:       900       700     GICv3  27 Level     arch_timer',
                                'timer1  11:       990       790     GICv3  27 Level     arch_timer'],
                               sysrq=False))
check(err.endswith('local timer ticks in 1 s: CPU0 +90, CPU1 +90'), f'arm64 arch_timer counts: {err}')
check('stall-sysrq.log' not in kept, 'no sysrq block, no stall-sysrq.log')

# No report at all: the whole guest stopped.
err, stop, _ = explain(f'@@RIG-INIT {NONCE}@@\r\n')
check(stop and 'the whole guest stopped' in err, 'no report: a whole-guest stop')

sys.exit(1 if failed else 0)
