/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 body of the write-combining copy: 16-byte NEON stores.
 *
 * A WC mapping is Normal non-cacheable memory on arm64, which takes a
 * 128-bit Q-register store (and every narrower one) at any alignment,
 * so the split stores 16-byte blocks from dst on, whatever its
 * alignment, and ends with one overlapping block (wc_mmio_wc_split()).
 * Never on UC: Device memory faults on the unaligned ones. The store is
 * inline assembly with a plain base register, like the accessors in
 * wc_mmio_internal.h and for the same reason: exactly one STR Q per block, never merged into an STP, never with writeback
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

/* One store of a NEON copy: STR Q for 16 bytes, the accessors below. */
static inline __attribute__((always_inline)) void
wc_neon_store(uintptr_t addr, const uint8_t *src, size_t size)
{
	if (size == 16)
		wc_neon_w128(addr, vld1q_u8(src));
	else
		wc_mmio_wc_store_gpr(addr, src, size);
}

/* The whole copy around the store, with the width a constant. */
static void
wc_neon_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 16, WC_MMIO_WC_SHORT_MAX(16),
		wc_neon_store);
}

static const struct wc_mmio_wc_body wc_arm64_bodies[] = {
	{ 16, "neon", wc_neon_usable, wc_neon_copy_to, WC_MMIO_WC_SHORT_MAX(16), 0 },
};

const struct wc_mmio_wc_body *
wc_mmio_wc_arch_bodies(unsigned int *nb)
{
	*nb = sizeof(wc_arm64_bodies) / sizeof(wc_arm64_bodies[0]);
	return wc_arm64_bodies;
}
