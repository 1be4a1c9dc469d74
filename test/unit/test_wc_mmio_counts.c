/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MMIO copies issue the fewest bus writes possible, and
 * wc_mmio_store_count() says how many they issue.
 *
 * For every length (0..256, and 1 KiB, 4 KiB, 64 KiB) at every
 * destination offset 0..63 from a 64-byte line:
 *
 *  - UC: the stores of the UC copy (counted through its traced build) are
 *    exactly the minimum: the fewest naturally aligned 1/2/4/8-byte stores
 *    that write [dst, dst + len) and nothing else (wc_mmio_min_stores(),
 *    width 0, found by dynamic programming over every such tiling);
 *  - WC, body width W of 8, 16, 32 and 64 (every width, whatever this CPU
 *    has: the split the library inlines into each body is counted with a
 *    counting body): the stores are the fewest naturally aligned stores of
 *    1, 2, 4, 8 or W bytes that write exactly the range (aligning pieces
 *    + whole W blocks + tail pieces can be no fewer), and the 64-byte
 *    lines they write are the lines [dst, dst + len) touches, no more;
 *  - no store is unaligned, crosses a line or leaves a gap or overlap;
 *  - wc_mmio_store_count() equals the count, for UC and for WC at each
 *    max_width of this CPU (with the body width that max_width gets).
 *
 * Exit status 0: all passed; 1: something failed (first failures printed).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wc_mmio.h"
#include "wc_mmio_tally.h"

#define NB_OFF		64
#define MAX_SMALL	256
#define BIG_MAX		65536
#define MAX_SHOWN	20

static uint8_t dst_buf[NB_OFF + BIG_MAX] __attribute__((aligned(64)));
static uint8_t src_buf[BIG_MAX];

static unsigned long nb_cases, nb_failed;

static void
fail(const char *copy, const char *what, size_t len, size_t off,
		size_t got, size_t want)
{
	if (nb_failed < MAX_SHOWN)
		printf("FAIL %s: %s (len %zu, dst offset %zu): %zu, minimum %zu\n",
			copy, what, len, off, got, want);
	nb_failed++;
}

static void
check_case(size_t len, size_t off)
{
	static const unsigned int widths[] = { 8, 16, 32, 64 };
	uint8_t *dst = dst_buf + off;
	uintptr_t d = (uintptr_t)dst;
	struct wc_mmio_tally t;
	size_t want, lines = wc_mmio_min_lines(d, len);
	unsigned int i, w;
	char name[16];

	nb_cases++;
	wc_mmio_tally_uc(dst, src_buf, len, &t);
	want = wc_mmio_min_stores(d, len, 0);
	if (t.bad != 0)
		fail("uc", "stores unaligned or not tiling", len, off, t.bad, 0);
	if (t.stores != want)
		fail("uc", "stores", len, off, t.stores, want);
	if (wc_mmio_store_count(d, len, WC_MMIO_UC, 0) != t.stores)
		fail("uc", "wc_mmio_store_count", len, off,
			wc_mmio_store_count(d, len, WC_MMIO_UC, 0), t.stores);

	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		w = widths[i];
		snprintf(name, sizeof(name), "wc%u", w);
		wc_mmio_tally_wc(dst, src_buf, len, w, &t);
		want = wc_mmio_min_stores(d, len, w);
		if (t.bad != 0)
			fail(name, "stores unaligned, crossing or not tiling",
				len, off, t.bad, 0);
		if (t.stores != want)
			fail(name, "stores", len, off, t.stores, want);
		if (t.lines != lines)
			fail(name, "lines", len, off, t.lines, lines);
		if (memcmp(dst, src_buf, len) != 0)
			fail(name, "counting copy differs", len, off, 0, 0);
		/* The library's own count, where this CPU runs width w. */
		if (wc_mmio_store_width(WC_MMIO_WC, w, NULL) == w &&
		    wc_mmio_store_count(d, len, WC_MMIO_WC, w) != t.stores)
			fail(name, "wc_mmio_store_count", len, off,
				wc_mmio_store_count(d, len, WC_MMIO_WC, w), t.stores);
	}
}

int
main(void)
{
	static const size_t big[] = { 1024, 4096, BIG_MAX };
	size_t len, off, i;

	for (i = 0; i < sizeof(src_buf); i++)
		src_buf[i] = (uint8_t)(i * 37 + 11);
	for (off = 0; off < NB_OFF; off++) {
		for (len = 0; len <= MAX_SMALL; len++)
			check_case(len, off);
		for (i = 0; i < sizeof(big) / sizeof(big[0]); i++)
			check_case(big[i], off);
	}
	printf("test_wc_mmio_counts: %s, %lu cases (%lu failed): uc and wc 8/16/32/64 "
		"stores and lines are the minimum; wc_mmio_store_count agrees\n",
		nb_failed ? "FAIL" : "PASS", nb_cases, nb_failed);
	return nb_failed ? 1 : 0;
}
