/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bus-write counts of the MMIO copies, shared by the store-count unit test
 * and the benchmark: the stores our copies issue, counted by running them
 * with a hook on every store, against the fewest bus writes that could do
 * the same job. On hardware an uncached store is one bus write, and what
 * a WC mapping sends to the bus is the 64-byte lines its write-combining
 * buffer merges, so these counts hold there, unlike the timings of
 * ordinary memory.
 */
#ifndef WC_MMIO_TALLY_H
#define WC_MMIO_TALLY_H

#include <stddef.h>
#include <stdint.h>

#define WC_MMIO_LINE 64	/* bytes a write-combining buffer merges */
#define WC_MMIO_TALLY_MAX 65536	/* longest copy the WC tally takes */

/* What one copy did to the mapping. */
struct wc_mmio_tally {
	size_t stores;	/* stores issued */
	/*
	 * Bus writes of 64-byte lines, WC: each line's write-combining
	 * buffer collects the bytes stored into it and leaves as one write
	 * the moment it is full (a CPU may send a full buffer at once), or
	 * at the flush that ends the copy if it still holds bytes. A store
	 * reaching into a line after the line filled is a second write of
	 * it, so this equals the lines the range touches only when the
	 * store completing each line is the last to touch it. (Buffers
	 * evicted for want of room are not modelled: the copies keep at
	 * most a handful of lines open at once.) UC: the lines stored to.
	 */
	size_t lines;
	/*
	 * Stores breaking the copy's rules. UC: unaligned, crossing a line,
	 * out of order or overlapping (they must tile the range once). WC: a
	 * store reaching outside [dst, dst + len), storing a byte other than
	 * the source's for that address, of a size the split must not use,
	 * or a block of the aligned split (MOVDIR64B) not aligned; and each
	 * byte of the range left unwritten.
	 */
	size_t bad;
};

/* The UC copy (its traced build), counted. dst: ordinary memory. */
void wc_mmio_tally_uc(void *dst, const void *src, size_t len,
		struct wc_mmio_tally *t);

/*
 * The WC copy at a body width of width bytes (8, 16, 32, 64): the very
 * split the library inlines into each body's copy (wc_mmio_wc_split(),
 * or with aligned wc_mmio_wc_split_aligned(), MOVDIR64B's), with a
 * counting store and the short-store width the library uses for that
 * body, so it is counted for every width whatever this CPU has. len is
 * at most WC_MMIO_TALLY_MAX.
 */
void wc_mmio_tally_wc(void *dst, const void *src, size_t len,
		unsigned int width, int aligned, struct wc_mmio_tally *t);

/*
 * The fewest stores that write exactly [d, d + len), each naturally
 * aligned, of 1, 2, 4 or 8 bytes: the UC minimum. Computed by dynamic
 * programming over every tiling, not by the greedy rule the copy uses,
 * so equality proves the copy minimal rather than restating it.
 */
size_t wc_mmio_min_stores(uintptr_t d, size_t len);

/*
 * 64-byte lines [d, d + len) touches: the fewest bus writes any copy to
 * a WC mapping can make, the WC minimum.
 */
size_t wc_mmio_min_lines(uintptr_t d, size_t len);

/*
 * The stores of the benchmark's plain loop of width-byte stores for the
 * same copy: len / width stores and a byte tail; aligned (the MOVDIR64B
 * loop): bytes up to the first line, one per line, bytes after. Printed
 * beside ours, for comparison only (a plain loop is no minimum: its
 * stores may leave a line in several bus writes just the same).
 */
size_t wc_mmio_plain_stores(uintptr_t d, size_t len, unsigned int width,
		int aligned);

#endif /* WC_MMIO_TALLY_H */
