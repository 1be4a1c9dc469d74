/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The write-combining copy, independent of the architecture: choosing a
 * store width, and the 8-byte general-purpose copy every CPU has.
 *
 * A WC mapping takes stores at any alignment and what reaches the bus is
 * the 64-byte lines its write-combining buffer merges, so the split
 * (wc_mmio_wc_split(), wc_mmio_internal.h) issues width-byte stores from
 * dst on at whatever alignment dst has, like a plain loop, and ends with
 * one store that finishes exactly at dst + len, overlapping bytes it has
 * just written rather than falling back to small pieces. No store leaves
 * [dst, dst + len), so the lines written are exactly the lines the range
 * touches. MOVDIR64B, which needs aligned lines, gets the aligned split
 * instead. There is no fence here: ordering is wc_mmio_flush()'s job,
 * once, where the caller needs it.
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

void
wc_mmio_wc_gpr_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 8, WC_MMIO_WC_SHORT_MAX(8),
		wc_mmio_wc_store_gpr);
}

const struct wc_mmio_wc_body wc_mmio_wc_gpr = {
	.width = 8,
	.name = "gpr",
	.usable = wc_gpr_usable,
	.copy_to = wc_mmio_wc_gpr_copy_to,
	.short_max = WC_MMIO_WC_SHORT_MAX(8),
	.aligned = 0,
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
