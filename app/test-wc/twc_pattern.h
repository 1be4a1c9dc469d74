/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data written into the BAR: a different byte stream per seed, so a
 * read-back can never pass on data left there by an earlier step.
 */
#ifndef TWC_PATTERN_H
#define TWC_PATTERN_H

#include <stddef.h>
#include <stdint.h>

static inline void
twc_pattern_fill(uint8_t *buf, size_t len, uint64_t seed)
{
	/* xorshift64: cheap, and no two neighbouring bytes alike. */
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)(x >> 24);
	}
}

#endif /* TWC_PATTERN_H */
