/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rig's seeded write pattern for the NVMe disk: which blocks each op
 * writes, how many bytes (odd lengths: the rest of the last block is
 * zero), at which page offset its data sits, and the bytes themselves.
 * test/rig/rig_host_check.py regenerates exactly this on the host and
 * compares it with the disk image after the guest powered off: keep the
 * two in step (test/unit/test_rig_pattern.py checks that they are).
 *
 * The ops come in four size classes, smallest first, each class in a
 * range of LBAs of its own, one slot per op, so no two ops overlap:
 *
 *   class   ops  blocks       slot   LBAs           page offset
 *   small   12   1..8         16     0..191         any (0 too)
 *   medium   8   9..128       128    256..1279      nonzero: PRP lists
 *   large    6   129..1024    1024   2048..8191     nonzero
 *   huge     3   2500..4096   4096   8192..20479    nonzero: a full list page
 *
 * A huge op reaches 2 MiB, QEMU's largest MDTS: at a nonzero offset it
 * touches 513 pages, and its PRP list fills one list page exactly (the
 * last entry is data, not a pointer to another list page). Which classes run is a function of the largest op
 * the device takes, in blocks (max_blocks, the scenario header's second
 * number): a class runs when its largest op fits, and since the classes
 * are in order the ops that run are always the first
 * rig_pattern_nb_ops(max_blocks). Everything else in the first
 * RIG_PATTERN_REGION_BLOCKS stays zero, and the host checks that too.
 * Medium and larger ops alternate: odd index full blocks, even index
 * short of a full last block; the last op of each of those classes is
 * the class's largest (64 KiB, 512 KiB, 2 MiB).
 */
#ifndef RIG_PATTERN_H
#define RIG_PATTERN_H

#include <stdint.h>

#define RIG_PATTERN_LBA_SIZE 512
/* The first blocks of the disk the pattern owns (13 MiB of 16). */
#define RIG_PATTERN_REGION_BLOCKS 26624
/* Without a max_blocks: the PMD's default max_xfer, 512 KiB. */
#define RIG_PATTERN_DEFAULT_MAX_BLOCKS 1024
/* The smallest max_blocks: the small class's largest op (4 KiB). */
#define RIG_PATTERN_MIN_MAX_BLOCKS 8
/* Every class (with max_blocks >= 4096). */
#define RIG_PATTERN_OPS_ALL 29

/*
 * Blocks for nvme_cmb_check --loop: past the pattern's region and below
 * the namespace's last 64 blocks, which the PMD's selftest overwrites.
 */
#define RIG_PATTERN_LOOP_LBA 28672
#define RIG_PATTERN_LOOP_BLOCKS 8

struct rig_pattern_op {
	uint64_t lba;
	uint32_t nb_lbas;	/* 1..4096 */
	uint32_t len;		/* bytes, <= nb_lbas * 512, often odd */
	uint16_t page_offset;	/* multiple of 4 below 4096 */
};

struct rig_pattern_class {
	unsigned int nb_ops;
	uint32_t min_blocks, max_blocks;
	uint64_t base;		/* first LBA of the class's range */
	uint32_t slot;		/* blocks reserved per op */
};

/* Class c (0..3) of the table above; 0 past the last. */
static inline int
rig_pattern_class(unsigned int c, struct rig_pattern_class *cls)
{
	static const struct rig_pattern_class classes[] = {
		{ 12, 1, 8, 0, 16 },
		{ 8, 9, 128, 256, 128 },
		{ 6, 129, 1024, 2048, 1024 },
		{ 3, 2500, 4096, 8192, 4096 },
	};

	if (c >= sizeof(classes) / sizeof(classes[0]))
		return 0;
	*cls = classes[c];
	return 1;
}

/* How many ops run when the device takes at most max_blocks per op. */
static inline unsigned int
rig_pattern_nb_ops(uint32_t max_blocks)
{
	struct rig_pattern_class cls;
	unsigned int c, n = 0;

	for (c = 0; rig_pattern_class(c, &cls) && cls.max_blocks <= max_blocks; c++)
		n += cls.nb_ops;
	return n;
}

/*
 * A buffer size for the ops that run with max_blocks: the largest size of
 * the biggest class that runs (its last op has it, but for the small
 * class), in bytes.
 */
static inline uint32_t
rig_pattern_max_bytes(uint32_t max_blocks)
{
	struct rig_pattern_class cls;
	uint32_t blocks = 0;
	unsigned int c;

	for (c = 0; rig_pattern_class(c, &cls) && cls.max_blocks <= max_blocks; c++)
		blocks = cls.max_blocks;
	return blocks * RIG_PATTERN_LBA_SIZE;
}

static inline uint32_t
rig_pattern_next(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

/* Op i (0..RIG_PATTERN_OPS_ALL - 1); the same whatever max_blocks is. */
static inline void
rig_pattern_op(uint32_t seed, unsigned int i, struct rig_pattern_op *op)
{
	uint32_t x = seed * 2654435761u + i;
	struct rig_pattern_class cls;
	unsigned int c, k = i;
	uint32_t short_by;

	for (c = 0; rig_pattern_class(c, &cls) && k >= cls.nb_ops; c++)
		k -= cls.nb_ops;
	op->nb_lbas = cls.min_blocks +
		rig_pattern_next(&x) % (cls.max_blocks - cls.min_blocks + 1);
	/* A bigger class's last op is its largest: the edge a class is for. */
	if (c != 0 && k == cls.nb_ops - 1)
		op->nb_lbas = cls.max_blocks;
	short_by = rig_pattern_next(&x);
	if (c == 0) {
		/* The small ops as they always were: short by 0..508. */
		short_by %= 509;
		op->page_offset = (uint16_t)(4 * (rig_pattern_next(&x) % 1024));
	} else {
		/* Odd ops full, even ops short by 1..511: both shapes, big. */
		short_by = (i & 1) ? 0 : 1 + short_by % 511;
		op->page_offset = (uint16_t)(4 * (1 + rig_pattern_next(&x) % 1023));
	}
	op->len = op->nb_lbas * RIG_PATTERN_LBA_SIZE - short_by;
	op->lba = cls.base + (uint64_t)k * cls.slot +
		rig_pattern_next(&x) % (cls.slot - op->nb_lbas + 1);
}

/*
 * The data of op i. Each byte is the top byte of the generator's state:
 * its low bytes repeat every 64 KiB, which in a 2 MiB op would let a PRP
 * entry that points 16 pages off go unseen.
 */
static inline void
rig_pattern_fill(uint32_t seed, unsigned int i, uint8_t *buf, uint32_t len)
{
	uint32_t x = seed ^ (0x9e3779b9u * (i + 1));
	uint32_t k;

	for (k = 0; k < len; k++) {
		x = x * 1103515245u + 12345u;
		buf[k] = (uint8_t)(x >> 24);
	}
}

#endif /* RIG_PATTERN_H */
