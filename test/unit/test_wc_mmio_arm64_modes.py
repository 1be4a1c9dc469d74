#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The arm64 MMIO routines as built: no access to a mapping with writeback.

A hypervisor that traps an MMIO access learns from the fault syndrome
only the access's size, direction and register (ISV); a load or store
that also updates its base register (pre-index "[xN, #i]!", post-index
"[xN], #i", and every LDP/STP) leaves the syndrome without it, and KVM
cannot emulate it. The library's MMIO accesses are inline assembly with
a plain base register (lib/wc_mmio_internal.h); this test holds the built
objects to that, whatever the compiler chose for the code around them.

Each function of libwc_mmio.a is known by its role: it stores to a
mapping (copy_to, a WC body), loads from one (copy_from, verify) or
touches none. The accesses of its role's direction must not write back,
and no LDP/STP in a mapping routine may either; a function the test does
not know fails, so a new routine cannot slip past unchecked. Accesses
based on sp are the stack frame, never a mapping.

    test_wc_mmio_arm64_modes.py OBJDUMP ARM64_BUILD_DIR

Exit 77 (skipped) when the arm64 cross build is not configured.
"""
import os
import re
import subprocess
import sys

LIB = 'lib/libwc_mmio.a'

# Routines that touch no mapping (CPU detection, choice of body, names).
NO_MMIO = {
    'piece_count', 'wc_mmio_store_count', 'wc_mmio_store_width',
    'wc_mmio_flush', 'wc_mmio_attr_name', 'wc_cpu_init', 'wc_mmio_cpu',
    'wc_gpr_usable', 'wc_neon_usable', 'wc_mmio_wc_pick',
    'wc_mmio_wc_resolve', 'wc_mmio_wc_arch_bodies',
}
# Routines that must exist, so the test cannot pass on an empty archive.
MUST_SEE = {'wc_mmio_uc_copy_to', 'wc_mmio_uc_copy_from',
            'wc_mmio_wc_gpr_copy_to', 'wc_neon_copy_to', 'wc_mmio_verify'}

FUNC = re.compile(r'^[0-9a-f]+ <([^>]+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\s+([a-z0-9.]+)\s*(.*)$')
# Pre-index "[base, #imm]!" and post-index "[base], #imm" / "[base], xM".
PRE = re.compile(r'\[(\w+)(?:, [^\]]*)?\]!')
POST = re.compile(r'\[(\w+)\], (?:#-?(?:0x)?[0-9a-f]+|x\d+)')


def role(name):
    if name in NO_MMIO:
        return 'none'
    if name.endswith('copy_to') or name.endswith('_copy'):
        return 'store'
    if name.endswith('copy_from') or name == 'wc_mmio_verify':
        return 'load'
    return None


def kind(mnemonic):
    m = mnemonic.split('.')[0]
    if m in ('stp', 'ldp', 'stnp', 'ldnp', 'ldpsw'):
        return 'pair'
    if m.startswith('st'):
        return 'store'
    if m.startswith('ld'):
        return 'load'
    return None


def writeback_base(operands):
    for rx in (PRE, POST):
        m = rx.search(operands)
        if m:
            return m.group(1)
    return None


def main():
    objdump, arm64 = sys.argv[1], sys.argv[2]
    if not os.path.exists(os.path.join(arm64, 'build.ninja')):
        print(f'no arm64 cross build in {arm64}: build it first '
              '(devtools/build.sh does)')
        return 77
    # The objects as the sources are now, not as last built.
    r = subprocess.run(['ninja', '-C', arm64, LIB], capture_output=True,
                       text=True)
    if r.returncode != 0:
        print(r.stdout[-2000:], r.stderr[-2000:])
        print(f'FAIL: could not build {LIB} in {arm64}')
        return 1
    text = subprocess.run([objdump, '-d', '--no-show-raw-insn',
                           os.path.join(arm64, LIB)], capture_output=True,
                          text=True, check=True).stdout

    bad, seen, checked = [], set(), 0
    func = None
    for line in text.splitlines():
        m = FUNC.match(line)
        if m:
            func = m.group(1)
            seen.add(func)
            if role(func) is None:
                bad.append(f'{func}: unknown routine: give it a role in '
                           'this test (stores to a mapping, loads, or none)')
            continue
        m = INSN.match(line)
        if not m or func is None:
            continue
        mnem, ops = m.group(2), m.group(3)
        k, r_ = kind(mnem), role(func)
        if k is None or r_ in (None, 'none'):
            continue
        if k != 'pair' and k != r_:
            continue
        checked += 1
        base = writeback_base(ops)
        if base is not None and base != 'sp':
            bad.append(f'{func}+0x{m.group(1)}: {mnem} {ops}  '
                       f'(writeback on {base})')
    missing = MUST_SEE - seen
    if missing:
        bad.append('routines not found in the archive: ' +
                   ', '.join(sorted(missing)))
    for b in bad:
        print('FAIL:', b)
    if bad:
        print(f'{len(bad)} problem(s) in {checked} accesses of the MMIO '
              f'routines of {LIB}')
        return 1
    print(f'{checked} accesses in the MMIO routines of {len(seen)} '
          f'functions of {LIB}: none writes back its base register')
    return 0


if __name__ == '__main__':
    sys.exit(main())
