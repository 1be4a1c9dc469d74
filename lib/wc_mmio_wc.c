/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The write-combining copy, independent of the architecture: choosing a
 * store width, and splitting a copy into a head, a body of whole aligned
 * blocks of that width and a tail.
 *
 * Head and tail are stored as naturally aligned pieces of at most 8 bytes
 * (wc_mmio_piece()), so no store ever reaches outside [dst, dst + len)
 * and the body starts on a multiple of its width: each wide store then
 * fills a whole part of a 64-byte line, which is what lets the CPU's
 * write-combining buffer send full lines, and what MOVDIR64B requires.
 * There is no fence here: ordering is wc_mmio_flush()'s job, once, where
 * the caller needs it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wc_mmio_internal.h"

static void
wc_pieces(uintptr_t d, const uint8_t *s, size_t len)
{
	size_t size;

	while (len != 0) {
		size = wc_mmio_piece(d, len);
		wc_mmio_store_piece(d, s, size);
		d += size;
		s += size;
		len -= size;
	}
}

static int
wc_gpr_usable(const struct wc_mmio_cpu *cpu)
{
	(void)cpu;
	return 1;
}

/* Volatile, so the compiler cannot turn the loop into memcpy or widen it. */
static void
wc_gpr_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	volatile uint64_t *d = dst;
	const uint8_t *s = src;
	uint64_t v;

	for (; nb_blocks != 0; nb_blocks--, d++, s += 8) {
		memcpy(&v, s, 8);
		*d = v;
	}
}

const struct wc_mmio_wc_body wc_mmio_wc_gpr = {
	.width = 8,
	.name = "gpr",
	.usable = wc_gpr_usable,
	.copy = wc_gpr_copy,
};

const struct wc_mmio_wc_body *
wc_mmio_wc_pick(unsigned int max_width)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();
	const struct wc_mmio_wc_body *bodies;
	unsigned int i, nb;

	bodies = wc_mmio_wc_arch_bodies(&nb);
	for (i = 0; i < nb; i++) {
		if (max_width != 0 && bodies[i].width > max_width)
			continue;
		if (bodies[i].usable(cpu))
			return &bodies[i];
	}
	/* Also for max_width below 8: pieces alone would gain nothing. */
	return &wc_mmio_wc_gpr;
}

void
wc_mmio_wc_copy(const struct wc_mmio_wc_body *body, volatile void *dst,
		const void *src, size_t len)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;
	size_t width = body->width;
	size_t head, nb_blocks;

	head = (width - (d & (width - 1))) & (width - 1);
	if (head > len)
		head = len;
	wc_pieces(d, s, head);
	d += head;
	s += head;
	len -= head;

	nb_blocks = len / width;
	if (nb_blocks != 0) {
		body->copy((volatile void *)d, s, nb_blocks);
		d += nb_blocks * width;
		s += nb_blocks * width;
		len -= nb_blocks * width;
	}

	wc_pieces(d, s, len);
}
