# SPDX-License-Identifier: BSD-3-Clause
"""Checks the rig runs on the host after a guest powered off, on what the
guest left behind: today the NVMe disk image, compared byte for byte with
the seeded pattern guest/rig_pattern.h describes (keep the two in step).

A scenario asks for it in its header:  # host-check: nvme-pattern SEED
"""

import os

OPS = 12
LBA_SIZE = 512
STRIDE = 16
MASK = 0xffffffff


def _next(x):
    x = (x * 1103515245 + 12345) & MASK
    return x, x >> 8


def pattern_op(seed, i):
    """(lba, nb_lbas, len, page_offset) of op i, as rig_pattern_op()."""
    x = (seed * 2654435761 + i) & MASK
    x, r = _next(x)
    nb = 1 + r % 8
    x, r = _next(x)
    length = nb * LBA_SIZE - r % 509
    x, r = _next(x)
    page_offset = 4 * (r % 1024)
    x, r = _next(x)
    lba = i * STRIDE + r % (STRIDE - nb + 1)
    return lba, nb, length, page_offset


def pattern_bytes(seed, i, length):
    """The data of op i, as rig_pattern_fill()."""
    x = (seed ^ ((0x9e3779b9 * (i + 1)) & MASK)) & MASK
    out = bytearray(length)
    for k in range(length):
        x, r = _next(x)
        out[k] = r & 0xff
    return bytes(out)


def expected_region(seed):
    """The first OPS * STRIDE blocks of the disk after the pattern ran on
    a zeroed disk: each op's data, zeroes to the end of its last block,
    zeroes between ops."""
    img = bytearray(OPS * STRIDE * LBA_SIZE)
    for i in range(OPS):
        lba, nb, length, _ = pattern_op(seed, i)
        start = lba * LBA_SIZE
        img[start:start + length] = pattern_bytes(seed, i, length)
    return bytes(img)


def check_nvme_pattern(out_dir, seed):
    """None when the image holds the pattern, else one line saying where
    it differs."""
    path = os.path.join(out_dir, 'nvme.img')
    if not os.path.exists(path):
        return f'host check: no disk image at {path}'
    want = expected_region(seed)
    with open(path, 'rb') as f:
        got = f.read(len(want))
    if got == want:
        return None
    if len(got) < len(want):
        return f'host check: {path} is shorter than the pattern ({len(got)} < {len(want)})'
    off = next(k for k in range(len(want)) if got[k] != want[k])
    return (f'host check: disk image differs from pattern seed {seed} at byte {off} '
            f'(LBA {off // LBA_SIZE}, +{off % LBA_SIZE}): 0x{got[off]:02x}, expected 0x{want[off]:02x}')


def run(check, out_dir):
    """Run one header line's check: 'nvme-pattern SEED'. Returns None when
    it passes, or the failure line."""
    words = check.split()
    if len(words) == 2 and words[0] == 'nvme-pattern':
        return check_nvme_pattern(out_dir, int(words[1], 0))
    return f'host check: unknown check {check!r}'


def summary(check, out_dir):
    """What a passing check proved, for the result line."""
    words = check.split()
    return f'disk image holds pattern seed {words[1]} ({OPS} writes, byte-exact)'
