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
 *
 * Which body a copy uses depends only on the CPU and the slot of
 * max_width, so it is resolved once per slot and cached: the per-call
 * path is one table load and one jump to a copy built for that body.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wc_mmio_internal.h"

static int
wc_gpr_usable(const struct wc_mmio_cpu *cpu)
{
	(void)cpu;
	return 1;
}

/*
 * One wc_mmio_w64() per block: the compiler can neither turn the loop
 * into memcpy, widen it, nor (arm64) fold the increment into the store.
 */
static inline void
wc_gpr_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;
	uint64_t v;

	for (; nb_blocks != 0; nb_blocks--, d += 8, s += 8) {
		memcpy(&v, s, 8);
		wc_mmio_w64(d, v);
	}
}

void
wc_mmio_wc_gpr_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 8, wc_gpr_copy);
}

const struct wc_mmio_wc_body wc_mmio_wc_gpr = {
	.width = 8,
	.name = "gpr",
	.usable = wc_gpr_usable,
	.copy = wc_gpr_copy,
	.copy_to = wc_mmio_wc_gpr_copy_to,
};

const struct wc_mmio_wc_body *wc_mmio_wc_resolved[WC_MMIO_WC_NB_SLOTS];

const struct wc_mmio_wc_body *
wc_mmio_wc_resolve(unsigned int slot)
{
	/* A max_width that stands for each slot of wc_mmio_wc_slot(). */
	static const unsigned int slot_width[WC_MMIO_WC_NB_SLOTS] = {
		8, 16, 32, 32, 0,
	};
	const struct wc_mmio_wc_body *body = wc_mmio_wc_pick(slot_width[slot]);

	__atomic_store_n(&wc_mmio_wc_copy_slot[slot], body->copy_to,
		__ATOMIC_RELAXED);
	__atomic_store_n(&wc_mmio_wc_resolved[slot], body, __ATOMIC_RELAXED);
	return body;
}

/*
 * The first copy of a slot: resolve it (which replaces this function in
 * the table), then copy. Later copies never come here.
 */
#define WC_MMIO_WC_FIRST(slot) \
static void \
wc_mmio_wc_slot##slot##_first_copy_to(volatile void *dst, const void *src, \
		size_t len) \
{ \
	wc_mmio_wc_resolve(slot)->copy_to(dst, src, len); \
}
WC_MMIO_WC_FIRST(0)
WC_MMIO_WC_FIRST(1)
WC_MMIO_WC_FIRST(2)
WC_MMIO_WC_FIRST(3)
WC_MMIO_WC_FIRST(4)

wc_mmio_wc_copy_fn wc_mmio_wc_copy_slot[WC_MMIO_WC_NB_SLOTS] = {
	wc_mmio_wc_slot0_first_copy_to, wc_mmio_wc_slot1_first_copy_to,
	wc_mmio_wc_slot2_first_copy_to, wc_mmio_wc_slot3_first_copy_to,
	wc_mmio_wc_slot4_first_copy_to,
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
	wc_mmio_wc_split(dst, src, len, body->width, body->copy);
}
