/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rig's seeded write pattern for the NVMe disk: which blocks each op
 * writes, how many bytes (odd lengths: the rest of the last block is
 * zero), at which page offset its data sits, and the bytes themselves.
 * test/rig/rig_host_check.py regenerates exactly this on the host and
 * compares it with the disk image after the guest powered off: keep the
 * two in step.
 */
#ifndef RIG_PATTERN_H
#define RIG_PATTERN_H

#include <stdint.h>

#define RIG_PATTERN_OPS 12
#define RIG_PATTERN_LBA_SIZE 512
#define RIG_PATTERN_STRIDE 16	/* blocks reserved per op */
#define RIG_PATTERN_MAX_BYTES (8 * RIG_PATTERN_LBA_SIZE)

struct rig_pattern_op {
	uint64_t lba;
	uint32_t nb_lbas;	/* 1..8 */
	uint32_t len;		/* bytes, <= nb_lbas * 512, often odd */
	uint16_t page_offset;	/* multiple of 4 below 4096 */
};

static inline uint32_t
rig_pattern_next(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

static inline void
rig_pattern_op(uint32_t seed, unsigned int i, struct rig_pattern_op *op)
{
	uint32_t x = seed * 2654435761u + i;

	op->nb_lbas = 1 + rig_pattern_next(&x) % 8;
	op->len = op->nb_lbas * RIG_PATTERN_LBA_SIZE - rig_pattern_next(&x) % 509;
	op->page_offset = (uint16_t)(4 * (rig_pattern_next(&x) % 1024));
	op->lba = (uint64_t)i * RIG_PATTERN_STRIDE +
		rig_pattern_next(&x) % (RIG_PATTERN_STRIDE - op->nb_lbas + 1);
}

static inline void
rig_pattern_fill(uint32_t seed, unsigned int i, uint8_t *buf, uint32_t len)
{
	uint32_t x = seed ^ (0x9e3779b9u * (i + 1));
	uint32_t k;

	for (k = 0; k < len; k++)
		buf[k] = (uint8_t)rig_pattern_next(&x);
}

#endif /* RIG_PATTERN_H */
