#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The rig's NVMe pattern on both sides: the guest's C header
(test/rig/guest/rig_pattern.h, through test_rig_pattern_gen) and the
host's check (test/rig/rig_host_check.py) must describe the same ops and
the same bytes, or the host would fail a guest that wrote the right data
(or pass one that did not). Also the layout the header promises (ops never
overlap, everything in the region, the sizes and offsets each class is
for) and the host check's verdicts on an image of its own.

    test_rig_pattern.py PATH/TO/test_rig_pattern_gen
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rig'))
import rig_host_check as hc  # noqa: E402

failed = 0


def check(cond, what):
    global failed
    print(('ok: ' if cond else 'FAIL: ') + what)
    failed += not cond


def generate(gen, seed, max_blocks, tmp):
    """The C side: its constants, its ops and the region's bytes."""
    path = os.path.join(tmp, f'c-{seed}-{max_blocks}.img')
    out = subprocess.run([gen, str(seed), str(max_blocks), path], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    words = out[0].split()
    consts = {words[k]: int(words[k + 1]) for k in range(1, len(words), 2)}
    head = out[1].split()
    ops = [tuple(int(w) for w in line.split()[1:]) for line in out[2:]]
    with open(path, 'rb') as f:
        img = f.read()
    os.unlink(path)
    return consts, int(head[1]), int(head[3]), ops, img


def first_difference(a, b):
    if len(a) != len(b):
        return f'lengths {len(a)} and {len(b)}'
    k = next((k for k in range(len(a)) if a[k] != b[k]), None)
    return None if k is None else f'byte {k} (LBA {k // hc.LBA_SIZE})'


def check_layout(seed):
    """What rig_pattern.h's table promises, for every op of every class."""
    ops = [hc.pattern_op(seed, i) for i in range(hc.OPS_ALL)]
    spans = sorted((lba, lba + nb, i) for i, (lba, nb, _, _) in enumerate(ops))
    overlap = [(a[2], b[2]) for a, b in zip(spans, spans[1:]) if a[1] > b[0]]
    check(not overlap, f'seed {seed}: no two ops share a block ({overlap})')
    check(spans[-1][1] <= hc.REGION_BLOCKS,
          f'seed {seed}: every op ends inside the region ({spans[-1][1]} <= {hc.REGION_BLOCKS})')
    first = 0
    bad = []
    for c, (n, least, most, base, slot) in enumerate(hc.CLASSES):
        for i in range(first, first + n):
            lba, nb, length, off = ops[i]
            k = i - first
            if not (least <= nb <= most and base + k * slot <= lba
                    and lba + nb <= base + (k + 1) * slot):
                bad.append(f'op {i} size or slot')
            if not (0 < length <= nb * hc.LBA_SIZE and off % 4 == 0 and off < 4096):
                bad.append(f'op {i} len or offset')
            if c > 0 and off == 0:
                bad.append(f'op {i} at page offset 0')
            if c > 0 and (length == nb * hc.LBA_SIZE) != bool(i & 1):
                bad.append(f'op {i} full/short')
            if c > 0 and k == n - 1 and nb != most:
                bad.append(f'op {i} is not its class\'s largest')
        first += n
    check(not bad, f'seed {seed}: sizes, slots, lengths and offsets as the table says ({bad[:4]})')
    # Above 512 KiB; the largest at 2 MiB at a nonzero offset: 513 pages,
    # a PRP list that fills its list page.
    big = [i for i, (_, nb, _, _) in enumerate(ops) if nb * hc.LBA_SIZE > 512 << 10]
    full = [i for i, (_, nb, _, off) in enumerate(ops) if nb * hc.LBA_SIZE == 2 << 20 and off != 0]
    check(len(big) >= 2 and len(full) >= 1,
          f'seed {seed}: ops above 512 KiB {big}, 2 MiB at a page offset {full}')
    over64k = [i for i, (_, nb, _, _) in enumerate(ops) if nb * hc.LBA_SIZE > 64 << 10
               and nb <= 1024]
    check(len(over64k) >= 2, f'seed {seed}: ops above 64 KiB up to 512 KiB: {over64k}')
    odd = [i for i, (_, nb, length, _) in enumerate(ops) if length % hc.LBA_SIZE]
    check(len(odd) >= hc.OPS_ALL // 3, f'seed {seed}: ops that end inside a block: {len(odd)}')


def check_host_verdicts(seed, max_blocks, want, tmp):
    """rig_host_check on images of our own: the pattern passes, one wrong
    byte fails and is named, a missing image fails."""
    run_dir = os.path.join(tmp, 'run')
    os.makedirs(run_dir, exist_ok=True)
    img = bytearray(want) + bytes(16 * 1024 * 1024 - len(want))
    path = os.path.join(run_dir, 'nvme.img')
    line = f'nvme-pattern {seed} {max_blocks}'
    with open(path, 'wb') as f:
        f.write(img)
    check(hc.run(line, run_dir) is None, f'{line}: the right image passes')
    print(f'   {hc.summary(line, run_dir)}')
    lba, nb, length, _ = hc.pattern_op(seed, hc.nb_ops(max_blocks) - 1)
    at = lba * hc.LBA_SIZE + length - 1
    img[at] ^= 0x01
    with open(path, 'wb') as f:
        f.write(img)
    bad = hc.run(line, run_dir) or ''
    check(f'at byte {at} ' in bad and f'op {hc.nb_ops(max_blocks) - 1}:' in bad,
          f'{line}: one wrong byte in the last op fails and is named: {bad}')
    img[at] ^= 0x01
    img[at + 1] = 0x5a  # the rest of that block must be zero
    with open(path, 'wb') as f:
        f.write(img)
    bad = hc.run(line, run_dir) or ''
    check(f'at byte {at + 1} ' in bad, f'{line}: a byte past the op\'s len fails: {bad}')
    os.unlink(path)
    check('no disk image' in (hc.run(line, run_dir) or ''), f'{line}: no image fails')


def main():
    gen = sys.argv[1]
    seeds = (0, 1, 99, 4242, 20261201, 0xffffffff)
    with tempfile.TemporaryDirectory() as tmp:
        consts = generate(gen, 1, 8, tmp)[0]
        check(consts == {'lba_size': hc.LBA_SIZE, 'region_blocks': hc.REGION_BLOCKS,
                         'default_max_blocks': hc.DEFAULT_MAX_BLOCKS,
                         'min_max_blocks': hc.MIN_MAX_BLOCKS, 'ops_all': hc.OPS_ALL,
                         'loop_lba': consts.get('loop_lba'),
                         'loop_blocks': consts.get('loop_blocks')},
              f'the header\'s constants are the host check\'s: {consts}')
        check(consts['loop_lba'] >= hc.REGION_BLOCKS and
              consts['loop_lba'] + consts['loop_blocks'] <= 32768 - 64,
              '--loop\'s blocks are outside the region and the selftest\'s last 64 blocks')
        # Ops and counts for every seed and each class edge: cheap.
        for seed in seeds:
            for max_blocks in (8, 127, 128, 1023, 1024, 4095, 4096, 8192):
                _, n, max_bytes, ops, _ = generate(gen, seed, max_blocks, tmp)
                py = [(i,) + hc.pattern_op(seed, i) for i in range(hc.nb_ops(max_blocks))]
                check(n == hc.nb_ops(max_blocks) and ops == py,
                      f'seed {seed} max {max_blocks}: {n} ops, C and Python agree op for op')
                most = max(op[2] for op in py)
                top = max(c[2] for c in hc.CLASSES if c[2] <= max_blocks)
                check(max_bytes == top * hc.LBA_SIZE and most <= top <= max_blocks,
                      f'seed {seed} max {max_blocks}: largest op {most} blocks fits, '
                      f'buffer size {max_bytes}')
            check_layout(seed)
        check([hc.nb_ops(m) for m in (8, 128, 1024, 4096)] == [12, 20, 26, 29],
              'classes join at 8, 128, 1024 and 4096 blocks')
        # Bytes: a few seeds, all classes (the Python side takes seconds).
        images = {}
        for seed, max_blocks in ((20261201, 8192), (0xffffffff, 4096), (99, 1024), (7, 8)):
            _, _, _, _, img = generate(gen, seed, max_blocks, tmp)
            want = images[(seed, max_blocks)] = hc.expected_region(seed, max_blocks)
            diff = first_difference(img, want)
            check(diff is None, f'seed {seed} max {max_blocks}: C and Python lay out the same '
                                f'{len(want)} bytes' + (f' (first difference: {diff})' if diff else ''))
        check(images[(99, 1024)] != hc.expected_region(98, 1024),
              'another seed is another image')
        check_host_verdicts(20261201, 8192, images[(20261201, 8192)], tmp)
        check(hc.parse_pattern('nvme-pattern 99') == (99, hc.DEFAULT_MAX_BLOCKS) and
              hc.parse_pattern('nvme-pattern 99 8192') == (99, 8192) and
              hc.parse_pattern('nvme-pattern 99 4') is None and
              hc.parse_pattern('nvme-pattern x') is None and
              hc.parse_pattern('nvme-pattern 1 2 3') is None,
              'header: nvme-pattern SEED [MAX_BLOCKS], MAX_BLOCKS >= 8')
        check(hc.run('nvme-pattern 1 4', tmp).startswith('host check: unknown check'),
              'a bad header line fails the run')
    print(f'{failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
