/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 body of the write-combining copy: 16-byte NEON stores.
 *
 * A WC mapping is Normal non-cacheable memory on arm64, which takes a
 * 128-bit Q-register store at any alignment; the body contract still
 * hands it 16-byte aligned blocks so each store fills a quarter of a
 * 64-byte line. The store is inline assembly with a plain base register,
 * like the accessors in wc_mmio_internal.h and for the same reason: exactly
 * one STR Q per block, never merged into an STP, never with writeback
 * (which a hypervisor cannot emulate for a trapped MMIO access), never
 * replaced by memcpy.
 */
#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>

#include "wc_mmio_internal.h"

static int
wc_neon_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->neon;
}

static inline __attribute__((always_inline)) void
wc_neon_w128(uintptr_t addr, uint8x16_t v)
{
	__asm__ volatile("str %q1, %0"
			 : "=Q" (*(volatile uint8x16_t *)addr) : "w" (v));
}

static inline void
wc_neon_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;

	for (; nb_blocks != 0; nb_blocks--, d += 16, s += 16)
		wc_neon_w128(d, vld1q_u8(s));
}

/* The whole copy around the body, with the width a constant. */
static void
wc_neon_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 16, wc_neon_copy);
}

static const struct wc_mmio_wc_body wc_arm64_bodies[] = {
	{ 16, "neon", wc_neon_usable, wc_neon_copy, wc_neon_copy_to },
};

const struct wc_mmio_wc_body *
wc_mmio_wc_arch_bodies(unsigned int *nb)
{
	*nb = sizeof(wc_arm64_bodies) / sizeof(wc_arm64_bodies[0]);
	return wc_arm64_bodies;
}
