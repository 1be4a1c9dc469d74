# SPDX-License-Identifier: BSD-3-Clause
"""Checks the rig runs on the host after a guest powered off, on what the
guest left behind: today the NVMe disk image, compared byte for byte with
the seeded pattern guest/rig_pattern.h describes (keep the two in step;
test/unit/test_rig_pattern.py checks that they are).

A scenario asks for it in its header:  # host-check: nvme-pattern SEED [MAX_BLOCKS]

MAX_BLOCKS is the largest op the guest's device takes, in 512-byte blocks
(default 1024, the PMD's default max_xfer of 512 KiB): the size classes
whose largest op fits are the ones the guest wrote. The guest program is
given the same two numbers (nvme_cmb_check --pattern SEED,MAX_BLOCKS).
"""

import os

LBA_SIZE = 512
REGION_BLOCKS = 26624
DEFAULT_MAX_BLOCKS = 1024
MIN_MAX_BLOCKS = 8
MASK = 0xffffffff

# (ops, min blocks, max blocks, first LBA, blocks per op's slot), as
# rig_pattern_class(): small, medium, large, huge.
CLASSES = (
    (12, 1, 8, 0, 16),
    (8, 9, 128, 256, 128),
    (6, 129, 1024, 2048, 1024),
    (3, 2500, 4096, 8192, 4096),
)
OPS_ALL = sum(c[0] for c in CLASSES)


def _next(x):
    x = (x * 1103515245 + 12345) & MASK
    return x, x >> 8


def nb_ops(max_blocks):
    """How many ops run with max_blocks, as rig_pattern_nb_ops()."""
    n = 0
    for ops, _, most, _, _ in CLASSES:
        if most > max_blocks:
            break
        n += ops
    return n


def pattern_op(seed, i):
    """(lba, nb_lbas, len, page_offset) of op i, as rig_pattern_op()."""
    k = i
    c = 0
    while k >= CLASSES[c][0]:
        k -= CLASSES[c][0]
        c += 1
    _, least, most, base, slot = CLASSES[c]
    x = (seed * 2654435761 + i) & MASK
    x, r = _next(x)
    nb = least + r % (most - least + 1)
    if c != 0 and k == CLASSES[c][0] - 1:
        nb = most
    x, short_by = _next(x)
    x, r = _next(x)
    if c == 0:
        short_by %= 509
        page_offset = 4 * (r % 1024)
    else:
        short_by = 0 if i & 1 else 1 + short_by % 511
        page_offset = 4 * (1 + r % 1023)
    x, r = _next(x)
    lba = base + k * slot + r % (slot - nb + 1)
    return lba, nb, nb * LBA_SIZE - short_by, page_offset


def pattern_bytes(seed, i, length):
    """The data of op i, as rig_pattern_fill(): the state's top byte."""
    x = (seed ^ ((0x9e3779b9 * (i + 1)) & MASK)) & MASK
    out = bytearray(length)
    for k in range(length):
        x = (x * 1103515245 + 12345) & MASK
        out[k] = x >> 24
    return bytes(out)


def expected_region(seed, max_blocks=DEFAULT_MAX_BLOCKS):
    """The first REGION_BLOCKS blocks of the disk after the pattern ran on
    a zeroed disk: each op's data, zeroes to the end of its last block,
    zeroes between ops and where the ops that did not run would be."""
    img = bytearray(REGION_BLOCKS * LBA_SIZE)
    for i in range(nb_ops(max_blocks)):
        lba, _, length, _ = pattern_op(seed, i)
        start = lba * LBA_SIZE
        img[start:start + length] = pattern_bytes(seed, i, length)
    return bytes(img)


def op_at(seed, max_blocks, lba):
    """Which op's blocks hold lba, for a failure line ('' between ops)."""
    for i in range(nb_ops(max_blocks)):
        first, nb, _, _ = pattern_op(seed, i)
        if first <= lba < first + nb:
            return f', op {i}: LBA {first} x {nb}'
    return ', no op writes there'


def check_nvme_pattern(out_dir, seed, max_blocks=DEFAULT_MAX_BLOCKS):
    """None when the image holds the pattern, else one line saying where
    it differs."""
    path = os.path.join(out_dir, 'nvme.img')
    if not os.path.exists(path):
        return f'host check: no disk image at {path}'
    want = expected_region(seed, max_blocks)
    with open(path, 'rb') as f:
        got = f.read(len(want))
    if got == want:
        return None
    if len(got) < len(want):
        return f'host check: {path} is shorter than the pattern ({len(got)} < {len(want)})'
    off = next(k for k in range(len(want)) if got[k] != want[k])
    lba = off // LBA_SIZE
    return (f'host check: disk image differs from pattern seed {seed} (max {max_blocks} blocks) '
            f'at byte {off} (LBA {lba}, +{off % LBA_SIZE}{op_at(seed, max_blocks, lba)}): '
            f'0x{got[off]:02x}, expected 0x{want[off]:02x}')


def parse_pattern(check):
    """(seed, max_blocks) of 'nvme-pattern SEED [MAX_BLOCKS]', or None."""
    words = check.split()
    if len(words) not in (2, 3) or words[0] != 'nvme-pattern':
        return None
    try:
        seed = int(words[1], 0)
        max_blocks = int(words[2], 0) if len(words) == 3 else DEFAULT_MAX_BLOCKS
    except ValueError:
        return None
    if not 0 <= seed <= MASK or max_blocks < MIN_MAX_BLOCKS:
        return None
    return seed, max_blocks


def run(check, out_dir):
    """Run one header line's check: 'nvme-pattern SEED [MAX_BLOCKS]'.
    Returns None when it passes, or the failure line."""
    parsed = parse_pattern(check)
    if parsed is not None:
        return check_nvme_pattern(out_dir, *parsed)
    return f'host check: unknown check {check!r}'


def summary(check, out_dir):
    """What a passing check proved, for the result line."""
    seed, max_blocks = parse_pattern(check)
    n = nb_ops(max_blocks)
    most = max(pattern_op(seed, i)[1] for i in range(n))
    return f'disk image holds pattern seed {seed} ({n} writes of 1..{most} blocks, byte-exact)'
