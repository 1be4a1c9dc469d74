/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counting the stores of the MMIO copies (wc_mmio_tally.h). The UC copy
 * is counted through its traced build (lib/wc_mmio_uc.c compiled with
 * -DWC_MMIO_UC_TRACE=wc_mmio_test_uc_access); the WC split through the
 * store hook of lib/wc_mmio_internal.h, which must be defined before that
 * header is included.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wc_mmio_tally.h"

static struct wc_mmio_tally *tally;
static uintptr_t tally_next;	/* where the next store must start */

static void
tally_store(uintptr_t addr, size_t size)
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

#define WC_MMIO_STORE_HOOK(addr, size) tally_store(addr, size)
#include "wc_mmio_internal.h"

void wc_mmio_test_uc_access(uintptr_t addr, size_t size, int store);
void wc_mmio_uc_copy_to_traced(volatile void *dst, const void *src, size_t len);

/* The traced UC build's hook: loads are not bus writes. */
void
wc_mmio_test_uc_access(uintptr_t addr, size_t size, int store)
{
	if (store && tally != NULL)
		tally_store(addr, size);
}

static void
tally_begin(void *dst, struct wc_mmio_tally *t)
{
	memset(t, 0, sizeof(*t));
	tally = t;
	tally_next = (uintptr_t)dst;
}

void
wc_mmio_tally_uc(void *dst, const void *src, size_t len,
		struct wc_mmio_tally *t)
{
	tally_begin(dst, t);
	wc_mmio_uc_copy_to_traced(dst, src, len);
	tally = NULL;
}

static size_t body_width;

/* A body that stores and counts whole blocks of body_width bytes. */
static void
tally_body(volatile void *dst, const void *src, size_t nb_blocks)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;

	for (; nb_blocks != 0; nb_blocks--, d += body_width, s += body_width) {
		tally_store(d, body_width);
		memcpy((void *)d, s, body_width);
	}
}

void
wc_mmio_tally_wc(void *dst, const void *src, size_t len,
		unsigned int width, struct wc_mmio_tally *t)
{
	tally_begin(dst, t);
	body_width = width;
	wc_mmio_wc_split(dst, src, len, width, tally_body);
	tally = NULL;
}

size_t
wc_mmio_min_stores(uintptr_t d, size_t len, unsigned int width)
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
		for (k = 0; k <= sizeof(sizes) / sizeof(sizes[0]); k++) {
			s = k < sizeof(sizes) / sizeof(sizes[0]) ? sizes[k] : width;
			if (s == 0 || s > len - i || (d + i) % s != 0)
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
