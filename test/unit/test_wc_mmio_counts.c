/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MMIO copies issue the fewest bus writes possible, and
 * wc_mmio_store_count() says how many stores they issue.
 *
 * For every length (0..256, and 1 KiB, 4 KiB, 64 KiB) at every
 * destination offset 0..63 from a 64-byte line:
 *
 *  - UC: the stores of the UC copy (counted through its traced build) are
 *    exactly the minimum: the fewest naturally aligned 1/2/4/8-byte stores
 *    that write [dst, dst + len) and nothing else (wc_mmio_min_stores(),
 *    found by dynamic programming over every such tiling), tiling the
 *    range once, in order, none crossing a line;
 *  - WC, body width W of 8, 16, 32 and 64, and the aligned split of
 *    MOVDIR64B (every one, whatever this CPU has: the split the library
 *    inlines into each body is counted with a counting store): the 64-byte
 *    lines written are exactly the lines [dst, dst + len) touches, the
 *    minimum a WC mapping can send, each written once even by a CPU
 *    that sends a line's buffer the moment it is full (so no store may
 *    touch a line after another has filled it); no store reaches outside
 *    the range, each stores the source's bytes for its addresses (an
 *    overlapping store rewrites the same values), every byte is written,
 *    and MOVDIR64B's blocks are aligned. WC stores may be unaligned and may
 *    overlap (doc/guides/mmio_lib.rst), so their number is no minimum of
 *    its own; it is printed against the plain loop's and bounded by one
 *    per block of the width the range needs, plus the aligning block of
 *    a long copy (two below one block);
 *  - wc_mmio_store_count() equals the stores made, for UC and for WC at
 *    each max_width of this CPU (with the body that max_width gets).
 *
 * Exit status 0: all passed; 1: something failed (first failures printed).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wc_mmio.h"
#include "wc_mmio_internal.h"
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

/* One WC split of width w (aligned: MOVDIR64B's), its stores summed. */
struct wc_case {
	unsigned int width;
	int aligned;
	const char *name;
	size_t stores, plain;	/* over every case: ours, the plain loop's */
};

static struct wc_case wc_cases[] = {
	{ 8, 0, "wc8", 0, 0 },
	{ 16, 0, "wc16", 0, 0 },
	{ 32, 0, "wc32", 0, 0 },
	{ 64, 0, "wc64", 0, 0 },
	{ 64, 1, "md64", 0, 0 },
};
#define NB_WC_CASES (sizeof(wc_cases) / sizeof(wc_cases[0]))

static void
check_case(size_t len, size_t off)
{
	uint8_t *dst = dst_buf + off;
	uintptr_t d = (uintptr_t)dst;
	const struct wc_mmio_wc_body *body;
	struct wc_mmio_tally t;
	size_t want, plain, lines = wc_mmio_min_lines(d, len);
	unsigned int i, w;
	struct wc_case *c;

	nb_cases++;
	wc_mmio_tally_uc(dst, src_buf, len, &t);
	want = wc_mmio_min_stores(d, len);
	if (t.bad != 0)
		fail("uc", "stores unaligned or not tiling", len, off, t.bad, 0);
	if (t.stores != want)
		fail("uc", "stores", len, off, t.stores, want);
	if (wc_mmio_store_count(d, len, WC_MMIO_UC, 0) != t.stores)
		fail("uc", "wc_mmio_store_count", len, off,
			wc_mmio_store_count(d, len, WC_MMIO_UC, 0), t.stores);

	for (i = 0; i < NB_WC_CASES; i++) {
		c = &wc_cases[i];
		w = c->width;
		memset(dst, 0, len);
		wc_mmio_tally_wc(dst, src_buf, len, w, c->aligned, &t);
		if (t.bad != 0)
			fail(c->name, "stores outside the range, of wrong bytes or "
				"size, unaligned blocks, or bytes unwritten",
				len, off, t.bad, 0);
		if (t.lines != lines)
			fail(c->name, "lines", len, off, t.lines, lines);
		if (memcmp(dst, src_buf, len) != 0)
			fail(c->name, "counting copy differs", len, off, 0, 0);
		/*
		 * Not a minimum (the lines are), but a bound: one store per
		 * block the range needs, one more for the aligning first
		 * block of a long copy; MOVDIR64B's short stores of head and
		 * tail at most those of a 16-byte loop.
		 */
		plain = wc_mmio_plain_stores(d, len, w, c->aligned);
		if (c->aligned)
			want = (len + 15) / 16 + 2;
		else if (len < w)
			want = 2;	/* at most two short stores */
		else
			want = (len + w - 1) / w + (len > 4 * w);
		if (t.stores > want)
			fail(c->name, "stores above the bound", len, off,
				t.stores, want);
		c->stores += t.stores;
		c->plain += plain;
		/* The library's own count, where this CPU runs this split. */
		body = wc_mmio_wc_body_for(w);
		if (body->width == w && body->aligned == (unsigned int)c->aligned &&
		    wc_mmio_store_count(d, len, WC_MMIO_WC, w) != t.stores)
			fail(c->name, "wc_mmio_store_count", len, off,
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
	for (i = 0; i < NB_WC_CASES; i++)
		printf("  %-4s stores over all cases: %zu, plain loop's %zu (%.2f)\n",
			wc_cases[i].name, wc_cases[i].stores, wc_cases[i].plain,
			(double)wc_cases[i].stores / (double)wc_cases[i].plain);
	printf("test_wc_mmio_counts: %s, %lu cases (%lu failed): uc stores are the "
		"minimum; wc8/16/32/64 and md64 lines are the minimum, inside the "
		"range; wc_mmio_store_count agrees\n",
		nb_failed ? "FAIL" : "PASS", nb_cases, nb_failed);
	return nb_failed ? 1 : 0;
}
