/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counting the stores of the MMIO copies (wc_mmio_tally.h). The UC copy
 * is counted through its traced build (lib/wc_mmio_uc.c compiled with
 * -DWC_MMIO_UC_TRACE=wc_mmio_test_uc_access); the WC splits of
 * lib/wc_mmio_internal.h are run with a counting store in place of a
 * body's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wc_mmio_internal.h"
#include "wc_mmio_tally.h"

static struct wc_mmio_tally *tally;
static uintptr_t tally_next;	/* where the next UC store must start */

static void
tally_uc_store(uintptr_t addr, size_t size)
{
	uintptr_t line = addr / WC_MMIO_LINE;

	/* Stores tile the range in order, so a new line is a new count. */
	if (tally->stores == 0 || line != (tally_next - 1) / WC_MMIO_LINE)
		tally->lines++;
	if (addr % size != 0 || addr != tally_next ||
	    (addr + size - 1) / WC_MMIO_LINE != line)
		tally->bad++;
	tally->stores++;
	tally_next = addr + size;
}

void wc_mmio_test_uc_access(uintptr_t addr, size_t size, int store);
void wc_mmio_uc_copy_to_traced(volatile void *dst, const void *src, size_t len);

/* The traced UC build's hook: loads are not bus writes. */
void
wc_mmio_test_uc_access(uintptr_t addr, size_t size, int store)
{
	if (store && tally != NULL)
		tally_uc_store(addr, size);
}

void
wc_mmio_tally_uc(void *dst, const void *src, size_t len,
		struct wc_mmio_tally *t)
{
	memset(t, 0, sizeof(*t));
	tally = t;
	tally_next = (uintptr_t)dst;
	wc_mmio_uc_copy_to_traced(dst, src, len);
	tally = NULL;
}

/* The WC copy being counted: its range, source and rules. */
static uintptr_t wc_d0;
static const uint8_t *wc_s0;
static size_t wc_len, wc_width, wc_short_max;
static int wc_aligned;
static uint8_t wc_byte_seen[WC_MMIO_TALLY_MAX];
/*
 * The write-combining buffer of each line the range touches: a bit per
 * byte stored since the line last left (wc_mmio_tally.h says when).
 */
static uint64_t wc_line_valid[WC_MMIO_TALLY_MAX / WC_MMIO_LINE + 2];

/* Bytes [from, to) of one line, as a mask of its buffer (to <= 64). */
static uint64_t
line_bytes(size_t from, size_t to)
{
	uint64_t upto = to == WC_MMIO_LINE ? ~UINT64_C(0) :
		(UINT64_C(1) << to) - 1;

	return upto & ~((UINT64_C(1) << from) - 1);
}

/* A store of the split: checked, counted, then done (ordinary memory). */
static void
tally_wc_store(uintptr_t addr, const uint8_t *src, size_t size)
{
	size_t i, first;

	tally->stores++;
	if (addr < wc_d0 || size > wc_len || addr - wc_d0 > wc_len - size ||
	    (uintptr_t)(src - wc_s0) != addr - wc_d0) {
		tally->bad++;	/* outside the range, or the wrong bytes */
		return;
	}
	if ((size != wc_width && size > wc_short_max) ||
	    (size & (size - 1)) != 0 ||
	    (wc_aligned && size == wc_width && addr % size != 0))
		tally->bad++;
	first = wc_d0 / WC_MMIO_LINE;
	for (i = addr / WC_MMIO_LINE; i <= (addr + size - 1) / WC_MMIO_LINE; i++) {
		uintptr_t base = i * WC_MMIO_LINE;
		size_t from = addr > base ? addr - base : 0;
		size_t to = addr + size - base < WC_MMIO_LINE ?
			addr + size - base : WC_MMIO_LINE;
		uint64_t *valid = &wc_line_valid[i - first];

		/* A full buffer leaves at once: one bus write. */
		*valid |= line_bytes(from, to);
		if (*valid == ~UINT64_C(0)) {
			tally->lines++;
			*valid = 0;
		}
	}
	memset(wc_byte_seen + (addr - wc_d0), 1, size);
	memcpy((void *)addr, src, size);
}

void
wc_mmio_tally_wc(void *dst, const void *src, size_t len,
		unsigned int width, int aligned, struct wc_mmio_tally *t)
{
	size_t i, nb_lines;

	if (len > WC_MMIO_TALLY_MAX)
		abort();
	memset(t, 0, sizeof(*t));
	tally = t;
	wc_d0 = (uintptr_t)dst;
	wc_s0 = src;
	wc_len = len;
	wc_width = width;
	wc_aligned = aligned;
	wc_short_max = aligned ? WC_MMIO_MOVDIR64B_SHORT_MAX :
		WC_MMIO_WC_SHORT_MAX(width);
	memset(wc_byte_seen, 0, len);
	nb_lines = wc_mmio_min_lines(wc_d0, len);
	memset(wc_line_valid, 0, sizeof(wc_line_valid));

	wc_mmio_wc_split_at(dst, src, len, width, aligned, tally_wc_store);

	for (i = 0; i < len; i++)
		t->bad += wc_byte_seen[i] == 0;
	/*
	 * The flush that ends a copy sends every buffer still holding bytes.
	 * Lines outside the range hold none: stores there are bad.
	 */
	for (i = 0; i < nb_lines; i++)
		t->lines += wc_line_valid[i] != 0;
	tally = NULL;
}

size_t
wc_mmio_min_stores(uintptr_t d, size_t len)
{
	static const size_t sizes[] = { 1, 2, 4, 8 };
	size_t *best, i, k, s, n;

	if (len == 0)
		return 0;
	/* best[i]: fewest stores for [d + i, d + len). */
	best = malloc((len + 1) * sizeof(*best));
	if (best == NULL)
		abort();
	best[len] = 0;
	for (i = len; i-- != 0;) {
		best[i] = SIZE_MAX;
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			s = sizes[k];
			if (s > len - i || (d + i) % s != 0)
				continue;
			if (best[i + s] != SIZE_MAX && best[i + s] + 1 < best[i])
				best[i] = best[i + s] + 1;
		}
	}
	n = best[0];
	free(best);
	return n;
}

size_t
wc_mmio_min_lines(uintptr_t d, size_t len)
{
	if (len == 0)
		return 0;
	return (d + len - 1) / WC_MMIO_LINE - d / WC_MMIO_LINE + 1;
}

size_t
wc_mmio_plain_stores(uintptr_t d, size_t len, unsigned int width,
		int aligned)
{
	size_t head;

	if (!aligned)
		return len / width + len % width;
	head = (width - (d & (width - 1))) & (width - 1);
	if (head > len)
		head = len;
	return head + (len - head) / width + (len - head) % width;
}
