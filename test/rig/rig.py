#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Guest test rig: boot a Debian kernel under QEMU (TCG) with emulated PCI
devices, run one scenario inside a busybox initramfs, collect its verdict.

  rig.py list                        scenarios and the cells they run on
  rig.py run SCENARIO [SCENARIO...]  run the named scenarios
  rig.py run --all                   run every scenario
  rig.py selftest                    check the rig itself fails when it must

A cell is an arch and a kernel line: x86_64-6.1, x86_64-6.12, x86_64-7.3,
arm64-6.1, arm64-6.12, arm64-7.3. Inputs come from test/rig/setup-rig.sh (QEMU chroot, kernels,
busybox) and from the build directories (guest programs, native and arm64).
"""

import argparse
import base64
import concurrent.futures
import gzip
import hashlib
import lzma
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import rig_host_check

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SCENARIO_DIR = os.path.join(HERE, 'scenarios')
SELFTEST_DIR = os.path.join(HERE, 'selftest')
GUEST_DIR = os.path.join(HERE, 'guest')
ALL_CELLS = ['x86_64-6.1', 'x86_64-6.12', 'x86_64-7.3', 'arm64-6.1', 'arm64-6.12', 'arm64-7.3']
# What a run covers unless told otherwise (meson's rig_cells has the same
# default).
DEFAULT_CELLS = list(ALL_CELLS)
# Kernel messages that mean the guest kernel was unhappy: any of them in the
# guest's dmesg fails the scenario, whatever the scenario itself said.
KERNEL_TROUBLE = re.compile(r'(WARNING:|BUG:|Oops|Call [Tt]race:|general protection fault|'
                            r'Kernel panic|Unable to handle kernel)')


class RigError(Exception):
    pass


# Faults the self-test scenarios inject ('# inject:'): the first boot's
# vCPUs held stopped from the start (a hang before our init), or all of
# them stopped once our init has printed its marker (a guest that stops
# as a whole mid-scenario), in every run or in the first only.
INJECTIONS = ('boot-hang-once', 'freeze-after-init', 'freeze-after-init-once')


# --- scenarios -----------------------------------------------------------

class Scenario:
    """A shell script with a header of '# key: value' lines:
    cells (default: all six), devices (nvme-cmb, nvme-cmb-legacy, nvme-nocmb,
    ivshmem, nic-pair, virtio-legacy, testdev-subpage), host-check (run on the host after the
    guest powered off, see rig_host_check.py), pmd-path (yes: our shared PMDs
    go where EAL looks by default, with DPDK's shared libraries and the
    programs built against them, *_shared),
    modules (kernel modules to load, dependencies resolved; "name?" only
    where the kernel has one), timeout,
    boot-deadline (seconds for the guest to reach our /init), and for
    self-tests 'expect' (a regex the failure line must match) or
    'expect-pass' (a regex the passing line must match), 'expect-file'
    (a file the run must keep in its results and a regex it must match) and 'inject'
    (boot-hang-once: the first boot is frozen before firmware runs)."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-3]
        self.cells = list(ALL_CELLS)
        self.devices = []
        self.modules = []
        self.timeout = None
        self.boot_deadline = None
        self.expect = None
        self.expect_pass = None
        self.expect_files = []
        self.inject = None
        self.host_checks = []
        self.pmd_path = False
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'#\s*(cells|devices|modules|timeout|boot-deadline|expect|'
                             r'expect-pass|expect-file|inject|host-check|pmd-path):\s*(.*)',
                             line)
                if not m:
                    continue
                if m.group(1) == 'pmd-path':
                    self.pmd_path = m.group(2).strip() == 'yes'
                    continue
                if m.group(1) == 'host-check':
                    self.host_checks.append(m.group(2).strip())
                    continue
                if m.group(1) == 'expect-file':
                    name, _, regex = m.group(2).strip().partition(' ')
                    self.expect_files.append((name, regex.strip()))
                    continue
                if m.group(1) in ('expect', 'expect-pass'):
                    setattr(self, m.group(1).replace('-', '_'), m.group(2).strip())
                    continue
                if m.group(1) == 'inject':
                    if m.group(2).strip() not in INJECTIONS:
                        raise RigError(f'{path}: unknown inject {m.group(2).strip()!r}')
                    self.inject = m.group(2).strip()
                    continue
                key, val = m.group(1), m.group(2).split()
                if key == 'cells':
                    bad = [c for c in val if c not in ALL_CELLS]
                    if bad:
                        raise RigError(f'{path}: unknown cells {bad}; known: {ALL_CELLS}')
                    self.cells = val
                elif key == 'devices':
                    self.devices = val
                elif key == 'modules':
                    self.modules = val
                elif key == 'timeout':
                    self.timeout = int(val[0])
                elif key == 'boot-deadline':
                    self.boot_deadline = int(val[0])


def load_scenarios(folder=SCENARIO_DIR):
    out = {}
    for fn in sorted(os.listdir(folder)):
        if fn.endswith('.sh'):
            s = Scenario(os.path.join(folder, fn))
            out[s.name] = s
    return out


# --- cached inputs ----------------------------------------------------------

class Kernel:
    def __init__(self, arch, line, abi, vmlinuz):
        self.arch = 'x86_64' if arch == 'amd64' else arch
        self.line = line
        self.abi = abi
        self.vmlinuz = vmlinuz
        if os.path.basename(vmlinuz) == 'vmlinuz':
            # Newer Debian kernels keep the image beside their modules,
            # /usr/lib/modules/<abi>/vmlinuz.
            self.moddir = os.path.dirname(vmlinuz)
        else:
            root = os.path.dirname(os.path.dirname(vmlinuz))
            self.moddir = os.path.join(root, 'lib', 'modules', abi)

    @property
    def cell(self):
        return f'{self.arch}-{self.line}'

    def module_load_order(self, names, our_kmods):
        """(source path, path in the guest) of each module to insmod,
        dependencies first. A name the kernel does not ship is looked up
        among our modules built for this kernel (test/rig/build-kmods.sh)."""
        deps = {}
        with open(os.path.join(self.moddir, 'modules.dep'), encoding='utf-8') as f:
            for line in f:
                mod, _, rest = line.partition(':')
                deps[mod] = rest.split()
        builtin = set()
        bpath = os.path.join(self.moddir, 'modules.builtin')
        if os.path.exists(bpath):
            with open(bpath, encoding='utf-8') as f:
                builtin = {modname(l.strip()) for l in f}
        by_name = {modname(m): m for m in deps}
        order = []

        def visit(mod):
            if mod in order:
                return
            for d in deps.get(mod, []):
                visit(d)
            order.append(mod)

        for n in names:
            # "name?": only where this kernel has it (a module that later
            # kernels fold into another or into the core).
            optional = n.endswith('?')
            key = n.rstrip('?').replace('-', '_')
            if key in builtin:
                continue
            ours = os.path.join(our_kmods, self.abi, key + '.ko')
            if key in by_name:
                visit(by_name[key])
            elif os.path.exists(ours):
                for d in ko_depends(ours):
                    if d not in builtin:
                        visit(by_name[d])
                order.append(ours)
            elif not optional:
                raise RigError(f'module {n} is neither in {self.moddir} nor at {ours}')
        return [(m, os.path.join('extra', os.path.basename(m))) if os.path.isabs(m)
                else (os.path.join(self.moddir, m), re.sub(r'\.(xz|zst|gz)$', '', m))
                for m in order]


def ko_depends(path):
    """Module names in the 'depends=' field of a .ko's .modinfo."""
    with open(path, 'rb') as f:
        m = re.search(rb'depends=([^\0]*)\0', f.read())
    return [d.replace('-', '_') for d in m.group(1).decode().split(',') if d] if m else []


def modname(path):
    base = os.path.basename(path)
    base = re.sub(r'\.ko(\.xz|\.zst|\.gz)?$', '', base)
    return base.replace('-', '_')


def load_kernels(cache):
    """Every kernel setup-rig.sh resolved: kernels.list holds the lines whose
    module the host builds, kernels-trixie.list those built in the trixie
    chroot (their kbuild tools are trixie binaries); same format."""
    path = os.path.join(cache, 'rig', 'kernels.list')
    if not os.path.exists(path):
        raise RigError(f'{path} missing: run test/rig/setup-rig.sh first')
    kernels = {}
    for name in ('kernels.list', 'kernels-trixie.list'):
        p = os.path.join(cache, 'rig', name)
        if not os.path.exists(p):
            continue
        with open(p, encoding='utf-8') as f:
            for line in f:
                k = Kernel(*line.split())
                kernels[k.cell] = k
    return kernels


# --- initramfs -------------------------------------------------------------

def guest_programs(build_dir):
    """Every executable our build put in test/rig/guest (static programs)."""
    d = os.path.join(build_dir, 'test', 'rig', 'guest')
    if not os.path.isdir(d):
        raise RigError(f'{d} missing: build the project (and its arm64 cross build) first')
    return [os.path.join(d, f) for f in sorted(os.listdir(d))
            if os.path.isfile(os.path.join(d, f)) and os.access(os.path.join(d, f), os.X_OK)]


def busybox_for(arch, cache):
    if arch == 'x86_64':
        return '/bin/busybox'
    return os.path.join(cache, 'rig', 'busybox-arm64', 'bin', 'busybox')


# Where the host keeps each guest arch's shared libraries (Debian's
# multiarch tree; the arm64 cross toolchain's tree), and where the guest's
# dynamic loader looks for them without an ld.so.cache.
HOST_LIB_DIRS = {'x86_64': ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'],
                 'arm64': ['/usr/aarch64-linux-gnu/lib', '/usr/lib/aarch64-linux-gnu']}
GUEST_LIB_DIR = {'x86_64': 'lib/x86_64-linux-gnu', 'arm64': 'lib/aarch64-linux-gnu'}
# Guest programs keep their debug info in the build tree only: DPDK's
# testpmd shrinks from 16 MiB to 3, which every TCG boot would inflate.
STRIP = {'x86_64': 'strip', 'arm64': 'aarch64-linux-gnu-strip'}


def dpdk_build_dirs(build_dir):
    """The DPDK subproject's build folder inside one of our builds."""
    found = sorted(d for d in os.listdir(os.path.join(build_dir, 'subprojects'))
                   if d.startswith('dpdk-stable-'))
    if not found:
        raise RigError(f'no DPDK build under {build_dir}/subprojects')
    return os.path.join(build_dir, 'subprojects', found[-1])


def eal_pmd_path(build_dir):
    """RTE_EAL_PMD_PATH of a build: where its shared EAL loads PMDs from."""
    cfg = os.path.join(dpdk_build_dirs(build_dir), 'rte_build_config.h')
    with open(cfg, encoding='utf-8') as f:
        m = re.search(r'#define RTE_EAL_PMD_PATH "([^"]+)"', f.read())
    if not m:
        raise RigError(f'{cfg} names no RTE_EAL_PMD_PATH')
    return m.group(1)


def our_shared_pmds(build_dir):
    d = os.path.join(build_dir, 'drivers')
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith('.so')]


def shared_objects(programs, arch, extra_dirs=()):
    """{path in the guest: host path} of the dynamic loader and every shared
    library the dynamically linked programs need, transitively. Our own
    guest programs are static; DPDK's testpmd links libc and friends.
    extra_dirs: more folders to find libraries in (a DPDK build's)."""
    dirs = list(extra_dirs) + HOST_LIB_DIRS[arch]

    def host_path(name):
        for d in dirs:
            if os.path.exists(os.path.join(d, name)):
                return os.path.join(d, name)
        raise RigError(f'{name} ({arch}) not found in {dirs}')

    found = {}
    todo = list(programs)
    while todo:
        elf = subprocess.run(['readelf', '-Wld', todo.pop()], check=True,
                             capture_output=True, text=True).stdout
        needed = re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', elf)
        interp = re.search(r'program interpreter: (/[^\]]+)\]', elf)
        if interp:
            found[interp.group(1).lstrip('/')] = host_path(os.path.basename(interp.group(1)))
            # glibc dlopens libgcc_s to unwind a thread it cancels, and
            # aborts without it: DPDK cancels its threads at shutdown.
            needed.append('libgcc_s.so.1')
        for lib in needed:
            guest = os.path.join(GUEST_LIB_DIR[arch], lib)
            if guest not in found:
                found[guest] = host_path(lib)
                todo.append(found[guest])
    return found


def make_initramfs(out, scenario, kernel, programs, busybox, our_kmods, build_dir):
    with tempfile.TemporaryDirectory() as stage:
        for d in ('bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'rig', 'lib/modules'):
            os.makedirs(os.path.join(stage, d), exist_ok=True)
        shutil.copy(busybox, os.path.join(stage, 'bin', 'busybox'))
        # /init's interpreter; init installs the other applets itself.
        os.symlink('busybox', os.path.join(stage, 'bin', 'sh'))
        shutil.copy(os.path.join(GUEST_DIR, 'init.sh'), os.path.join(stage, 'init'))
        os.chmod(os.path.join(stage, 'init'), 0o755)
        shutil.copy(os.path.join(GUEST_DIR, 'lib.sh'), os.path.join(stage, 'rig', 'lib.sh'))
        shutil.copy(os.path.join(GUEST_DIR, 'stall.sh'), os.path.join(stage, 'rig', 'stall.sh'))
        shutil.copy(scenario.path, os.path.join(stage, 'rig', 'scenario.sh'))
        # Programs built against DPDK's shared libraries come along only
        # where the scenario installs our shared PMDs too.
        programs = [p for p in programs
                    if scenario.pmd_path or not os.path.basename(p).endswith('_shared')]
        for p in programs:
            subprocess.run([STRIP[kernel.arch], '--strip-debug', '-o',
                            os.path.join(stage, 'bin', os.path.basename(p)), p], check=True)
        extra_dirs, needs = [], list(programs)
        if scenario.pmd_path:
            dpdk = dpdk_build_dirs(build_dir)
            extra_dirs = [os.path.join(dpdk, 'lib'), os.path.join(dpdk, 'drivers')]
            pmd_dir = os.path.join(stage, eal_pmd_path(build_dir).lstrip('/'))
            os.makedirs(pmd_dir, exist_ok=True)
            for pmd in our_shared_pmds(build_dir):
                shutil.copy(pmd, os.path.join(pmd_dir, os.path.basename(pmd)))
                needs.append(pmd)
        for guest, host in shared_objects(needs, kernel.arch, extra_dirs).items():
            os.makedirs(os.path.join(stage, os.path.dirname(guest)), exist_ok=True)
            shutil.copy(host, os.path.join(stage, guest))
        load = []
        for src, plain in kernel.module_load_order(scenario.modules, our_kmods):
            # busybox insmod wants plain ELF: decompress here.
            dst = os.path.join(stage, 'lib', 'modules', plain)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if src.endswith('.xz'):
                with lzma.open(src) as fi, open(dst, 'wb') as fo:
                    shutil.copyfileobj(fi, fo)
            elif src.endswith('.ko'):
                shutil.copy(src, dst)
            else:
                raise RigError(f'unsupported module compression: {src}')
            load.append(plain)
        with open(os.path.join(stage, 'rig', 'modules.load'), 'w', encoding='utf-8') as f:
            f.write(''.join(m + '\n' for m in load))
        files = subprocess.run(['find', '.', '-mindepth', '1'], cwd=stage, check=True,
                               capture_output=True).stdout
        cpio = subprocess.run(['cpio', '--quiet', '-o', '-H', 'newc'], cwd=stage,
                              input=files, check=True, capture_output=True).stdout
        with gzip.open(out, 'wb', compresslevel=1) as f:
            f.write(cpio)


# --- QEMU --------------------------------------------------------------------

def device_args(devices, arch, run_dir_in_chroot):
    args = []
    for dev in devices:
        if dev in ('nvme-cmb', 'nvme-cmb-legacy', 'nvme-nocmb'):
            # The same NVMe at the same address: a 64 MiB CMB found the
            # NVMe 1.4 way (CMBMSC, QEMU's default) or the legacy way, or
            # no CMB at all. MDTS 9 (2 MiB with 4 KiB pages; QEMU's
            # default is 7, 512 KiB, and it refuses more than 9, whose
            # 2^MDTS + 1 pages would pass IOV_MAX) lets a scenario run
            # 2 MiB ops, whose PRP list fills a whole list page.
            img = f'{run_dir_in_chroot}/nvme.img'
            cmb = {'nvme-cmb': ',cmb_size_mb=64', 'nvme-cmb-legacy': ',cmb_size_mb=64,legacy-cmb=on',
                   'nvme-nocmb': ''}[dev]
            args += ['-drive', f'file={img},if=none,id=nvm,format=raw',
                     '-device', f'nvme,serial=dpdkwc0{cmb},mdts=9,drive=nvm,addr=0x4']
        elif dev == 'ivshmem':
            args += ['-object', 'memory-backend-ram,size=4M,id=shm',
                     '-device', 'ivshmem-plain,memdev=shm,addr=0x5']
        elif dev == 'nic-pair':
            # Two NICs on one QEMU hub: what one sends, the other receives.
            # A virtio device bypasses the vIOMMU unless iommu_platform is
            # on; its DMA would then miss a driver's IOVAs (testpmd hangs
            # waiting on the control queue).
            virtio = 'virtio-net-pci,disable-legacy=on,iommu_platform=on'
            nic0 = 'e1000e' if arch == 'x86_64' else virtio
            args += ['-netdev', 'hubport,id=p0,hubid=0', '-netdev', 'hubport,id=p1,hubid=0',
                     '-device', f'{nic0},netdev=p0,addr=0x6',
                     '-device', f'{virtio},netdev=p1,addr=0x7']
        elif dev == 'virtio-legacy':
            # A transitional virtio device: an I/O BAR (0), MSI-X in a
            # memory BAR (1) and a 64-bit prefetchable BAR (4) side by side.
            args += ['-device', 'virtio-rng-pci,disable-legacy=off,addr=0x8']
        elif dev == 'pkg-root':
            # The installed packages (test/rig/pkg-image.sh), a virtio
            # disk the scenario mounts; snapshot: its writes are dropped,
            # the cached image stays as built.
            args += ['-drive', f'file={run_dir_in_chroot}/pkg.img,if=none,id=pkg,format=raw,snapshot=on',
                     '-device', 'virtio-blk-pci,drive=pkg,addr=0xa']
        elif dev == 'testdev-subpage':
            # QEMU's PCI test device with a 256-byte 64-bit prefetchable
            # BAR2: the only prefetchable BAR smaller than a page we have.
            args += ['-device', 'pci-testdev,membar=256,addr=0x9']
        else:
            raise RigError(f'unknown device {dev}')
    return args


def stall_after(timeout):
    """When guest/init.sh reports a scenario still running (rig.stall=):
    three quarters into the run's timeout, so the report is out before the
    host gives up on the guest."""
    return max(1, timeout * 3 // 4)


# x86_64 machine variants for studies of the emulator (rig.py run
# --x86-variant; doc/guides/rig.rst, "The x86 stress study"): the CPU
# model and the TCG threading. 'default' is what every run uses.
X86_VARIANTS = {
    'default': {'cpu': 'max', 'accel': 'tcg'},
    'no-tsc-deadline': {'cpu': 'max,tsc-deadline=off,x2apic=off', 'accel': 'tcg'},
    'tcg-single': {'cpu': 'max', 'accel': 'tcg,thread=single'},
}


def qemu_command(arch, kernel_path, initrd_path, nonce, devices, run_dir, frozen=False,
                 stall=None, monitor=None, x86_variant='default'):
    common_append = f'panic=-1 loglevel=3 rig.nonce={nonce}'
    if stall is not None:
        common_append += f' rig.stall={stall}'
    if arch == 'x86_64':
        v = X86_VARIANTS[x86_variant]
        # -accel (not machine accel=) so the TCG options can be given.
        cmd = ['qemu-system-x86_64', '-machine', 'q35,kernel-irqchip=split',
               '-accel', v['accel'], '-cpu', v['cpu'],
               '-device', 'intel-iommu,intremap=on,caching-mode=on']
        # no_timer_check: a busy host can starve TCG long enough for the
        # boot-time IO-APIC timer check to fail ("timer doesn't work
        # through Interrupt-remapped IO-APIC") and panic a healthy guest.
        append = f'console=ttyS0 intel_iommu=on no_timer_check {common_append}'
    else:
        # GICv3 (with its ITS): VFIO type1 refuses a platform without
        # interrupt remapping, which GICv2 cannot give.
        cmd = ['qemu-system-aarch64', '-machine', 'virt,gic-version=3,iommu=smmuv3,accel=tcg',
               '-cpu', 'cortex-a57']
        append = f'console=ttyAMA0 {common_append}'
    cmd += ['-m', '1024', '-smp', '2', '-nographic', '-no-reboot', '-nodefaults',
            '-serial', 'stdio', '-kernel', kernel_path, '-initrd', initrd_path,
            '-append', append]
    if frozen:
        # Start with the vCPUs stopped: the console stays silent, as it
        # does when a guest hangs in firmware (the rig self-test's boot hang).
        cmd.append('-S')
    if monitor is not None:
        # The human monitor on a socket, for the self-test that stops the
        # vCPUs mid-run ('stop').
        cmd += ['-monitor', f'unix:{monitor},server=on,wait=off']
    return cmd + device_args(devices, arch, run_dir)


# --- one run -------------------------------------------------------------------

class Result:
    def __init__(self, scenario, kernel, ok, reason, out_dir):
        self.scenario = scenario
        self.kernel = kernel
        self.ok = ok
        self.reason = reason
        self.out_dir = out_dir
        self.emulator_crash = False
        self.guest_stop = False  # timed out after init, guest silent as a whole
        self.boot_hang = False
        self.init_after = None   # seconds from QEMU start to our /init
        self.retried = None      # 'boot', 'emulator' or 'stop' when run a second time
        self.note = ''

    def line(self):
        where = f'{self.scenario.name} [{self.kernel.arch}, linux {self.kernel.abi}]'
        if self.ok:
            return f'PASS {where}{self.note}'
        return (f'FAIL {where}: {self.reason}; console log: '
                f'{os.path.join(self.out_dir, "console.log")}')


def parse_console(console, nonce):
    m = re.search(r'@@RIG-BEGIN ' + nonce + r'@@\r?\n(.*?)@@RIG-END ' + nonce +
                  r' ([0-9a-f]{32})@@', console, re.S)
    if not m:
        return None, 'no verdict from the guest'
    try:
        data = base64.b64decode(re.sub(r'\s+', '', m.group(1)), validate=True)
    except ValueError:
        return None, 'verdict block garbled on the console'
    if hashlib.md5(data).hexdigest() != m.group(2):
        return None, 'verdict block failed its checksum'
    return data.decode('utf-8', 'replace'), None


# guest/stall.sh's report, every line tagged "rig-stall NONCE: " in the
# kernel log (the console shows it with printk's timestamps, interleaved
# with other kernel lines): the process list, the threads, the timers,
# this line, the log.
STALL_LOG = "--- the scenario's last lines"


def parse_stall(console, nonce):
    """The lines of the guest's stall report (guest/stall.sh), or None when
    the guest printed none."""
    lines = re.findall(r'rig-stall ' + nonce + r': ?(.*?)\r?$', console, re.M)
    lines = [l for l in lines if l.strip() and l != '--- end']
    return lines or None


def sysrq_dump(console, nonce):
    """The console's lines from the report's rig-sysrq-begin marker to its
    end marker (or to the end of the console), or None."""
    m = re.search(r'^.*rig-sysrq-begin ' + nonce + r'.*?$(.*?)(^.*rig-sysrq-end ' + nonce +
                  r'|\Z)', console, re.S | re.M)
    if m is None:
        return None
    return [l.rstrip('\r') for l in m.group(0).split('\n')]


def frame_function(frame):
    """The function of one kernel stack frame ('[<0>] do_wait+0x5d/0x110')."""
    return re.sub(r'^\[<[0-9a-f]+>\]\s*', '', frame).split('+')[0]


class StallThread:
    """One 'task' line of the report: pid tid comm ppid state, user and
    system ticks over its second, wchan; then its kernel stack."""

    def __init__(self, fields):
        self.pid, self.tid = int(fields[0]), int(fields[1])
        self.comm = fields[2]
        self.ppid = int(fields[3])
        self.state = fields[4]
        self.user, self.system = int(fields[5]), int(fields[6])
        self.wchan = fields[7] if len(fields) > 7 else '?'
        self.stack = []

    def where(self):
        """Where the thread was: the kernel function it sleeps in (its
        wchan, else the first frame of its stack that is not the
        scheduler's), or that it ran in user space or in the kernel."""
        if self.state in ('S', 'D', 'I'):
            fn = self.wchan if self.wchan not in ('0', '?', '') else None
            if fn is None:
                for frame in self.stack:
                    name = frame_function(frame)
                    if not re.match(r'(__)?schedule|schedule_|preempt_schedule', name):
                        fn = name
                        break
            return f'sleeping in {fn or "an unknown function"}' + (
                ' (uninterruptible)' if self.state == 'D' else '')
        if self.state == 'R':
            if self.system > self.user:
                top = frame_function(self.stack[0]) if self.stack else None
                return 'running in the kernel' + (f' (at {top})' if top else '')
            if self.user > 0:
                return 'running in user space'
            return 'runnable, not running'
        if self.state == 'Z':
            return 'exited, not reaped yet (a zombie)'
        return f'in state {self.state}'


def stall_threads(report):
    """The threads of a stall report, in report order."""
    threads = []
    for line in report:
        if line.startswith('task '):
            f = line.split()[1:]
            if len(f) >= 7 and all(x.lstrip('+').isdigit() for x in (f[0], f[1], f[3], f[5], f[6])):
                threads.append(StallThread(f))
        elif line.startswith('  stack ') and threads:
            threads[-1].stack.append(line[len('  stack '):].strip())
    return threads


def stuck_summary(threads):
    """Which scenario process the run is stuck on and where: the
    processes at the leaves of the scenario's tree (no reported child),
    a shell's 'sleep' only when nothing else is left. A process with
    several threads names up to three of them."""
    if not threads:
        return None
    procs = {}
    for t in threads:
        procs.setdefault(t.pid, []).append(t)
    parents = {t.ppid for t in threads}
    leaves = [p for p in procs if p not in parents]
    busy = [p for p in leaves if procs[p][0].comm != 'sleep'] or leaves
    parts = []
    for p in busy[:2]:
        ts = sorted(procs[p], key=lambda t: t.tid != t.pid)
        name = f'{ts[0].comm} (pid {p})'
        if len(ts) == 1:
            parts.append(f'{name} {ts[0].where()}')
        else:
            shown = ', '.join(f'thread {t.tid} {t.where()}' for t in ts[:3])
            more = f' and {len(ts) - 3} more threads' if len(ts) > 3 else ''
            parts.append(f'{name}: {shown}{more}')
    return '; '.join(parts)


def timer_ticks(report):
    """Each CPU's local timer interrupts over the report's second, from
    its two reads of /proc/interrupts ('LOC:' on x86, arch_timer on
    arm64), or None."""
    def counts(tag):
        for line in report:
            if line.startswith(tag + ' '):
                f = line.split()[2:]
                nums = []
                for x in f:
                    if not x.isdigit():
                        break
                    nums.append(int(x))
                return nums
        return None
    a, b = counts('timer0'), counts('timer1')
    if not a or not b or len(a) != len(b):
        return None
    return [y - x for x, y in zip(a, b)]


def explain_timeout(console, nonce, timeout, stall, out_dir):
    """The reason of a guest killed timeout seconds after our init, from
    its stall report (kept as stall.log, its sysrq dump as
    stall-sysrq.log): the scenario's last line, where its stuck process
    sleeps (or that it was running) and each CPU's timer ticks; and
    whether the whole guest stopped with not a word from its kernel: no
    report (no watcher ran) and nothing on the console after our init
    marker (a kernel stuck in driver code prints its lockup report). TCG
    was seen to stop x86_64 guests so under load."""
    err = f'guest hung after init started: no verdict within {timeout}s of it'
    sysrq = sysrq_dump(console, nonce)
    if sysrq is not None:
        with open(os.path.join(out_dir, 'stall-sysrq.log'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(sysrq) + '\n')
    report = parse_stall(console, nonce)
    if report is not None:
        with open(os.path.join(out_dir, 'stall.log'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(report) + '\n')
        printed = report[report.index(STALL_LOG) + 1:] if STALL_LOG in report else []
        last = printed[-1] if printed else 'nothing yet'
        err += f'; at {stall}s the scenario had last printed: {last!r}'
        stuck = stuck_summary(stall_threads(report))
        if stuck:
            err += f'; stuck: {stuck}'
        ticks = timer_ticks(report)
        if ticks:
            err += '; local timer ticks in 1 s: ' + ', '.join(
                f'CPU{i} +{n}' for i, n in enumerate(ticks))
        return err, False
    # The report runs in the guest beside the scenario: without it, the
    # whole guest stopped, not a command.
    err += f'; no stall report at {stall}s either: the whole guest stopped, not only the scenario'
    silent = not console.split(init_marker(nonce), 1)[-1].strip()
    if silent:
        err += ', and its kernel printed nothing after our init'
    return err, silent


def init_marker(nonce):
    """What guest/init.sh prints first: the guest has reached our init."""
    return f'@@RIG-INIT {nonce}@@'


def last_console_line(console):
    """The console's last non-blank line, for saying where a boot stopped."""
    lines = [l.strip() for l in console.replace('\r', '\n').split('\n') if l.strip()]
    if not lines:
        return 'nothing on the console'
    line = lines[-1]
    return repr(line[:100] + ('...' if len(line) > 100 else ''))


def stop_vcpus(socket_path):
    """Stop every vCPU through QEMU's monitor socket (freeze-after-init)."""
    if len(socket_path.encode()) > 107:
        raise RigError(f'monitor socket path too long for AF_UNIX: {socket_path}')
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(socket_path)
        sock.sendall(b'stop\n')
        time.sleep(0.5)


def wait_guest(proc, console_path, marker, timeout, boot_deadline, on_init=None):
    """Wait for QEMU to end. Returns (how, init_after): how is 'exited',
    'boot-hang' (no marker by the boot deadline: killed) or 'timeout'
    (killed timeout seconds after init had started); init_after is the
    time the marker appeared, or None. The timeout counts from our init,
    so a slow boot on a loaded host does not eat a scenario's time."""
    start = time.monotonic()
    init_after = None
    deadline = boot_deadline
    while True:
        try:
            proc.wait(timeout=0.5)
            how = 'exited'
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic() - start
        if init_after is None:
            with open(console_path, 'rb') as f:
                if marker.encode() in f.read():
                    init_after = now
                    if on_init is not None:
                        on_init()
        if init_after is None and now >= deadline:
            how = 'boot-hang'
            break
        if init_after is not None and now - init_after >= timeout:
            how = 'timeout'
            break
    if how != 'exited':
        proc.kill()
        proc.wait()
    if init_after is None:
        with open(console_path, 'rb') as f:
            if marker.encode() in f.read():
                init_after = time.monotonic() - start
    return how, init_after


def run_one(args, scenario, kernel, chroot, programs, busybox, attempt=1, rep=0):
    out_dir = os.path.join(args.out, scenario.name, kernel.cell)
    if args.repeat > 1:
        out_dir = os.path.join(out_dir, f'run{rep + 1}')
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    runs = os.path.join(chroot, 'rig-runs')
    os.makedirs(runs, exist_ok=True)
    run_dir = tempfile.mkdtemp(prefix=f'{scenario.name}-{kernel.cell}-', dir=runs)
    in_chroot = '/' + os.path.relpath(run_dir, chroot)
    timeout = scenario.timeout or args.timeout
    nonce = secrets.token_hex(8)
    console_path = os.path.join(out_dir, 'console.log')
    try:
        shutil.copy(kernel.vmlinuz, os.path.join(run_dir, 'vmlinuz'))
        make_initramfs(os.path.join(run_dir, 'initrd.gz'), scenario, kernel, programs, busybox,
                       os.path.join(args.build, 'kmod'),
                       args.build if kernel.arch == 'x86_64' else args.build_arm64)
        if any(d.startswith('nvme-') for d in scenario.devices):
            with open(os.path.join(run_dir, 'nvme.img'), 'wb') as f:
                f.truncate(16 << 20)
        if 'pkg-root' in scenario.devices:
            # A link, not a copy: hundreds of MiB, and QEMU only reads it.
            img = args.pkg_images[kernel.arch]
            try:
                os.link(img, os.path.join(run_dir, 'pkg.img'))
            except OSError:
                shutil.copy(img, os.path.join(run_dir, 'pkg.img'))
        frozen = scenario.inject == 'boot-hang-once' and attempt == 1
        stall = stall_after(timeout)
        freeze = (scenario.inject == 'freeze-after-init' or
                  (scenario.inject == 'freeze-after-init-once' and attempt == 1))
        cmd = qemu_command(kernel.arch, f'{in_chroot}/vmlinuz', f'{in_chroot}/initrd.gz',
                           nonce, scenario.devices, in_chroot, frozen, stall,
                           f'{in_chroot}/monitor.sock' if freeze else None,
                           args.x86_variant)
        with open(os.path.join(out_dir, 'qemu-cmdline.txt'), 'w', encoding='utf-8') as f:
            f.write(' '.join(cmd) + '\n')
        start = time.monotonic()
        with open(console_path, 'wb') as con:
            proc = subprocess.Popen(['chroot', chroot] + cmd, stdin=subprocess.DEVNULL,
                                    stdout=con, stderr=subprocess.STDOUT)
            # A scenario's own deadline holds for its first boot; a second
            # boot, the last chance, gets the run's (generous) one.
            boot_deadline = args.boot_deadline
            if attempt == 1 and scenario.boot_deadline:
                boot_deadline = scenario.boot_deadline
            on_init = None
            if freeze:
                def on_init():
                    stop_vcpus(os.path.join(run_dir, 'monitor.sock'))
            how, init_after = wait_guest(proc, console_path, init_marker(nonce), timeout,
                                         boot_deadline, on_init)
            timed_out = how != 'exited'
        elapsed = time.monotonic() - start
        if os.path.exists(os.path.join(run_dir, 'nvme.img')):
            shutil.move(os.path.join(run_dir, 'nvme.img'), os.path.join(out_dir, 'nvme.img'))
        with open(console_path, encoding='utf-8', errors='replace') as f:
            console = f.read()
        result, err = parse_console(console, nonce)
        if result is None:
            if how == 'boot-hang':
                res = Result(scenario, kernel, False,
                             f'guest never reached init within {boot_deadline}s '
                             f'(console stopped at: {last_console_line(console)})', out_dir)
                res.boot_hang = True
                return res
            guest_stop = False
            if timed_out:
                err, guest_stop = explain_timeout(console, nonce, timeout, stall, out_dir)
            elif 'Kernel panic' in console:
                err = 'guest kernel panicked before a verdict'
            else:
                err += f' (QEMU exited with status {proc.returncode})'
            res = Result(scenario, kernel, False, err, out_dir)
            res.init_after = init_after
            # run_with_retry gives a whole-guest stop one more go.
            res.guest_stop = guest_stop
            # QEMU itself died on a signal (e.g. an assertion in TCG's
            # IOTLB code, seen a few times under load): the emulator's
            # fault, not the guest's; run_with_retry gives it one more go.
            res.emulator_crash = not timed_out and proc.returncode < 0
            return res
        with open(os.path.join(out_dir, 'result.log'), 'w', encoding='utf-8') as f:
            f.write(result)
        res = run_verdict(scenario, kernel, result, elapsed, out_dir)
        res.init_after = init_after
        # What the guest wrote, checked where it landed: after power-off.
        for check in scenario.host_checks if res.ok else []:
            bad = rig_host_check.run(check, out_dir)
            if bad is not None:
                res.ok = False
                res.reason = bad
                break
            res.note += f'; {rig_host_check.summary(check, out_dir)}'
        return res
    except (RigError, OSError, subprocess.CalledProcessError) as e:
        return Result(scenario, kernel, False, f'rig error: {e}', out_dir)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def run_verdict(scenario, kernel, result, elapsed, out_dir):
    """The Result of a guest that delivered its verdict block."""
    log, _, dmesg = result.partition('--- dmesg\n')
    status = re.match(r'status=(\d+)', log)
    status = int(status.group(1)) if status else 255
    fails = [l for l in log.splitlines() if l.startswith('FAIL')]
    trouble = [l for l in dmesg.splitlines() if KERNEL_TROUBLE.search(l)]
    if status != 0:
        why = f'scenario exit status {status}'
        if fails:
            why += ': ' + ' | '.join(fails[:3])
        return Result(scenario, kernel, False, why, out_dir)
    if trouble:
        return Result(scenario, kernel, False,
                      'kernel log has warnings: ' + ' | '.join(trouble[:2]), out_dir)
    return Result(scenario, kernel, True, f'{elapsed:.0f}s', out_dir)


def run_with_retry(args, scenario, kernel, chroot, programs, busybox, rep=0):
    """run_one, and once more when the first guest never reached our init
    (a hang in firmware or early kernel boot: nothing of ours had run),
    when QEMU itself crashed, or when the guest stopped as a whole after
    our init (no stall report, nothing from its kernel); the line says
    so. A guest that fails after our init started, or hangs with its
    stall report or a kernel message on the console, is never run again."""
    res = run_one(args, scenario, kernel, chroot, programs, busybox, rep=rep)
    if res.boot_hang or res.emulator_crash or res.guest_stop:
        kind = 'boot' if res.boot_hang else 'stop' if res.guest_stop else 'emulator'
        first = res.reason
        # Keep the first console: it is the evidence of the hang.
        first_log = os.path.join(res.out_dir, 'console.log')
        keep = os.path.join(os.path.dirname(res.out_dir),
                            os.path.basename(res.out_dir) + '.first-console.log')
        shutil.copy(first_log, keep)
        res = run_one(args, scenario, kernel, chroot, programs, busybox, attempt=2, rep=rep)
        shutil.move(keep, os.path.join(res.out_dir, 'first-console.log'))
        res.retried = kind
        if kind == 'boot':
            res.note = f' (booted twice: the first boot {first[len("guest "):]})' + res.note
        elif kind == 'stop':
            res.note = f' (second run: the first {first})' + res.note
        else:
            res.note = f' (second run: the first ended with QEMU crashing: {first})' + res.note
        if not res.ok:
            res.reason += res.note
    return res


def retry_summary(results, boot_deadline):
    """One line counting second runs, so a rising flake rate shows, and the
    slowest boot to our init, so the deadline can be judged."""
    boots = [r for r in results if r.retried == 'boot']
    crashes = [r for r in results if r.retried == 'emulator']
    stops = [r for r in results if r.retried == 'stop']
    line = (f'rig: retries: {len(boots) + len(crashes) + len(stops)} '
            f'({len(boots)} boot hang{"" if len(boots) == 1 else "s"} before init, '
            f'{len(crashes)} QEMU crash{"" if len(crashes) == 1 else "es"}, '
            f'{len(stops)} whole-guest stop{"" if len(stops) == 1 else "s"} after init)')
    for r in boots + crashes + stops:
        line += f'; {r.scenario.name} [{r.kernel.cell}]'
    seen = [r.init_after for r in results if r.init_after is not None]
    if seen:
        line += f'; slowest boot to init {max(seen):.0f}s (deadline {boot_deadline}s)'
    return line


# --- main --------------------------------------------------------------------

def run_jobs(args, jobs):
    """Run (scenario, kernel) pairs, at most args.jobs guests at once."""
    chroot = os.path.realpath(args.qemu_chroot or os.path.join(args.cache, 'rig', 'qemu-chroot'))
    progs = {}
    for arch in {k.arch for _, k in jobs}:
        progs[arch] = guest_programs(args.build if arch == 'x86_64' else args.build_arm64)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futs = [pool.submit(run_with_retry, args, s, k, chroot, progs[k.arch],
                            busybox_for(k.arch, args.cache), rep)
                for rep in range(args.repeat) for s, k in jobs]
        for fut in concurrent.futures.as_completed(futs):
            results.append(fut.result())
            yield results[-1]


def pkg_scenarios_left_out(scenarios, names, debs):
    """Scenarios of installed packages (device pkg-root) need the built
    .debs (--debs): "run --all" without them leaves those out, and says
    so; naming one without them is an error."""
    if debs:
        return names, []
    left = [n for n in names if 'pkg-root' in scenarios[n].devices]
    return [n for n in names if n not in left], left


def make_pkg_images(args, jobs):
    """{arch: image} of the installed packages for the archs the pkg-root
    jobs boot (test/rig/pkg-image.sh; rebuilt only when an input changed)."""
    images = {}
    for arch in sorted({k.arch for s, k in jobs if 'pkg-root' in s.devices}):
        img = os.path.join(args.cache, 'rig', 'pkg-images', f'{arch}.img')
        r = subprocess.run(['sh', os.path.join(HERE, 'pkg-image.sh'), arch, args.debs, img],
                           capture_output=True, text=True)
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            raise RigError(f'no package image for {arch}: {r.stderr.strip() or r.stdout.strip()}')
        images[arch] = img
    return images


def select_jobs(scenarios, names, cells, kernels, force=False):
    unknown = [n for n in names if n not in scenarios]
    if unknown:
        raise RigError(f'unknown scenarios {unknown}; "rig.py list" shows them')
    def on(n):
        # --force-cells: the cells asked for, whatever the header says
        # (for studies such as the x86 stress, kept out of CI on purpose).
        return list(cells) if force else [c for c in scenarios[n].cells if c in cells]
    missing = sorted({c for n in names for c in on(n) if c not in kernels})
    if missing:
        raise RigError(f'no kernel for cells {missing} in the rig cache: run test/rig/setup-rig.sh')
    return [(scenarios[n], kernels[c]) for n in names for c in on(n)]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    sub.add_parser('list', help='list scenarios and their cells')
    rp = sub.add_parser('run', help='run scenarios')
    rp.add_argument('scenarios', nargs='*', help='scenario names (see "list")')
    rp.add_argument('--all', action='store_true', help='run every scenario')
    rp.add_argument('--force-cells', action='store_true',
                    help='run the named scenarios on every cell of --cells, even those '
                    'their "# cells:" header leaves out')
    sp = sub.add_parser('selftest', help='run the rig\'s own failure checks '
                        '(test/rig/selftest): each must FAIL with its expected reason')
    for p in (rp, sp):
        p.add_argument('--cells', default=','.join(DEFAULT_CELLS),
                       help='comma-separated cells to run on (default: all six; '
                       f'known: {",".join(ALL_CELLS)})')
        p.add_argument('--build', default=os.path.join(TOP, 'build'),
                       help='native (x86_64) build directory')
        p.add_argument('--build-arm64', default=None,
                       help='arm64 cross build directory (default: BUILD/arm64)')
        p.add_argument('--cache', default=os.environ.get('DPDK_WC_CACHE', '/var/cache/dpdk-wc'),
                       help='cache filled by setup-rig.sh')
        p.add_argument('--out', default=None, help='results folder (default: BUILD/rig-results)')
        p.add_argument('--debs', default=None,
                       help='folder of the built .debs (devtools/build-debs.sh), for the '
                       'scenarios of installed packages (device pkg-root); without it '
                       '"run --all" leaves those out')
        p.add_argument('--jobs', type=int, default=os.cpu_count() or 2,
                       help='guests run at once (default: one per core)')
        p.add_argument('--timeout', type=int, default=300,
                       help='seconds a scenario may run after our init started, unless it sets its own (default 300)')
        p.add_argument('--repeat', type=int, default=1,
                       help='run every selected (scenario, cell) this many times, results in '
                       'run1, run2 ... below its folder (for studies; default 1)')
        p.add_argument('--qemu-chroot', default=None,
                       help='chroot whose QEMU boots the guests (default: the one '
                       'setup-rig.sh made, CACHE/rig/qemu-chroot); for studies of '
                       'another QEMU')
        p.add_argument('--x86-variant', default='default', choices=sorted(X86_VARIANTS),
                       help='x86_64 machine variant, for studies of the emulator '
                       '(default: default)')
        p.add_argument('--boot-deadline', type=int, default=120,
                       help='seconds for a guest to reach our /init; one that does not is '
                       'killed and booted once more (default 120: a loaded 2-core host '
                       'was seen to need 54)')
    args = ap.parse_args()

    try:
        scenarios = load_scenarios()
        if args.cmd == 'list':
            for s in scenarios.values():
                print(f'{s.name:28} {" ".join(s.cells)}')
            return 0
        cells = args.cells.split(',')
        bad = [c for c in cells if c not in ALL_CELLS]
        if bad:
            raise RigError(f'unknown cells {bad}; known: {",".join(ALL_CELLS)}')
        args.build_arm64 = args.build_arm64 or os.path.join(args.build, 'arm64')
        args.out = args.out or os.path.join(args.build, 'rig-results')
        kernels = load_kernels(args.cache)
        start = time.monotonic()
        passed = failed = 0
        done = []

        if args.cmd == 'selftest':
            scenarios = load_scenarios(SELFTEST_DIR)
            args.out = os.path.join(args.out, 'selftest')
            for r in run_jobs(args, select_jobs(scenarios, list(scenarios), cells, kernels)):
                done.append(r)
                line = r.line()
                if r.scenario.expect_pass:
                    good = r.ok and re.search(r.scenario.expect_pass, line)
                    want = f'must pass with "{r.scenario.expect_pass}"'
                else:
                    good = (not r.ok and re.search(r.scenario.expect or '^$', line)
                            and 'console log: ' in line)
                    want = f'must fail with "{r.scenario.expect}"'
                for name, regex in r.scenario.expect_files:
                    path = os.path.join(r.out_dir, name)
                    text = open(path, encoding='utf-8').read() if os.path.exists(path) else ''
                    good = good and re.search(regex, text, re.M)
                    want += f' and keep {name} matching "{regex}"'
                print(f'{"ok" if good else "FAIL"}: selftest {r.scenario.name} '
                      f'{want}; rig said: {line}', flush=True)
                passed += bool(good)
                failed += not good
        else:
            names = list(scenarios) if args.all else args.scenarios
            if not names:
                ap.error('name scenarios or give --all')
            names, left = pkg_scenarios_left_out(scenarios, names, args.debs)
            if left and not args.all:
                raise RigError(f'{", ".join(left)}: give --debs (the built packages) to run it')
            for n in left:
                print(f'rig: {n} not run: it needs the built packages (--debs); '
                      'devtools/run-tests.sh runs it after devtools/build-debs.sh', flush=True)
            jobs = select_jobs(scenarios, names, cells, kernels, args.force_cells and not args.all)
            args.pkg_images = make_pkg_images(args, jobs)
            for r in run_jobs(args, jobs):
                done.append(r)
                print(r.line(), flush=True)
                passed += r.ok
                failed += not r.ok

        print(f'rig: {passed + failed} runs in {time.monotonic() - start:.0f}s, '
              f'results in {args.out}')
        print(retry_summary(done, args.boot_deadline))
        print(f'{passed} passed, {failed} failed')
        return 1 if failed or not passed else 0
    except RigError as e:
        print(f'rig: error: {e}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
