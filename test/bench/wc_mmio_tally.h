/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bus-write counts of the MMIO copies, shared by the store-count unit test
 * and the benchmark: the stores our copies issue, counted by running them
 * with a hook on every store, against the fewest stores that could do the
 * same job. On hardware an uncached store is one bus write and WC stores
 * merge only within a 64-byte line, so these counts hold there, unlike
 * the timings of ordinary memory.
 */
#ifndef WC_MMIO_TALLY_H
#define WC_MMIO_TALLY_H

#include <stddef.h>
#include <stdint.h>

#define WC_MMIO_LINE 64	/* bytes a write-combining buffer merges */

/* What one copy did to the mapping. */
struct wc_mmio_tally {
	size_t stores;	/* stores issued */
	size_t lines;	/* distinct 64-byte lines they wrote */
	size_t bad;	/* stores unaligned, crossing a line or out of order */
};

/* The UC copy (its traced build), counted. dst: ordinary memory. */
void wc_mmio_tally_uc(void *dst, const void *src, size_t len,
		struct wc_mmio_tally *t);

/*
 * The WC copy at a body width of width bytes (8, 16, 32, 64): the very
 * split the library inlines into each body's copy, with a counting body
 * of that width, so it is counted for every width whatever this CPU has.
 */
void wc_mmio_tally_wc(void *dst, const void *src, size_t len,
		unsigned int width, struct wc_mmio_tally *t);

/*
 * The fewest stores that write exactly [d, d + len): each store naturally
 * aligned, of 1, 2, 4 or 8 bytes, or, when width is not 0, of width bytes
 * (the WC body's store). UC has width 0. Computed by dynamic programming
 * over every tiling, not by the greedy rule the copies use, so equality
 * proves the copies minimal rather than restating them.
 */
size_t wc_mmio_min_stores(uintptr_t d, size_t len, unsigned int width);

/* 64-byte lines [d, d + len) touches: the fewest any copy can write. */
size_t wc_mmio_min_lines(uintptr_t d, size_t len);

#endif /* WC_MMIO_TALLY_H */
