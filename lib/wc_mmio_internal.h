/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the MMIO copy primitives, shared by lib/wc_mmio_*.c and the
 * unit test. Not part of the API: applications include wc_mmio.h only.
 */
#ifndef WC_MMIO_INTERNAL_H
#define WC_MMIO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wc_mmio.h"

/*
 * Widest general-purpose access that is a single instruction. 8-byte
 * accesses on a 32-bit CPU would be split in two by the compiler.
 */
#if UINTPTR_MAX > UINT32_MAX
#define WC_MMIO_PIECE_MAX 8
#else
#define WC_MMIO_PIECE_MAX 4
#endif

/*
 * Size of the next access of a copy at addr with len bytes left: the
 * largest of 8, 4, 2, 1 that fits in len and that addr is a multiple of.
 * Taking pieces this way never crosses len and keeps every access
 * naturally aligned, which is what Device memory on arm64 demands.
 * len must not be 0.
 */
static inline size_t
wc_mmio_piece(uintptr_t addr, size_t len)
{
	size_t size = WC_MMIO_PIECE_MAX;

	while (size > len || (addr & (size - 1)) != 0)
		size >>= 1;
	return size;
}

/*
 * One store of size bytes (1, 2, 4 or 8) at the naturally aligned addr.
 * The source is ordinary memory at any alignment, read with memcpy. The
 * volatile access is what keeps the compiler from merging neighbouring
 * pieces into one wider, possibly unaligned, store.
 */
static inline void
wc_mmio_store_piece(uintptr_t addr, const uint8_t *src, size_t size)
{
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (size) {
	case 8:
		memcpy(&v64, src, 8);
		*(volatile uint64_t *)addr = v64;
		break;
	case 4:
		memcpy(&v32, src, 4);
		*(volatile uint32_t *)addr = v32;
		break;
	case 2:
		memcpy(&v16, src, 2);
		*(volatile uint16_t *)addr = v16;
		break;
	default:
		*(volatile uint8_t *)addr = *src;
		break;
	}
}

/* The load counterpart of wc_mmio_store_piece(). */
static inline void
wc_mmio_load_piece(uint8_t *dst, uintptr_t addr, size_t size)
{
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (size) {
	case 8:
		v64 = *(const volatile uint64_t *)addr;
		memcpy(dst, &v64, 8);
		break;
	case 4:
		v32 = *(const volatile uint32_t *)addr;
		memcpy(dst, &v32, 4);
		break;
	case 2:
		v16 = *(const volatile uint16_t *)addr;
		memcpy(dst, &v16, 2);
		break;
	default:
		*dst = *(const volatile uint8_t *)addr;
		break;
	}
}

/* wc_mmio_uc.c: the copies that only issue naturally aligned accesses. */
void wc_mmio_uc_copy_to(volatile void *dst, const void *src, size_t len);
void wc_mmio_uc_copy_from(void *dst, const volatile void *src, size_t len);

/*
 * One way of storing the aligned middle of a WC copy: nb_blocks stores of
 * width bytes each, dst a multiple of width. The head and tail around it
 * are stored in pieces by wc_mmio_wc_copy(), so a body only ever sees
 * whole, aligned blocks (MOVDIR64B faults on anything else).
 */
struct wc_mmio_wc_body {
	unsigned int width;	/* bytes per store: 8, 16, 32 or 64 */
	const char *name;	/* instruction family, for reports */
	int (*usable)(const struct wc_mmio_cpu *cpu);
	void (*copy)(volatile void *dst, const void *src, size_t nb_blocks);
};

/* wc_mmio_wc.c: 8-byte general-purpose stores; every CPU has them. */
extern const struct wc_mmio_wc_body wc_mmio_wc_gpr;

/* wc_mmio_wc_<arch>.c: the wider bodies of this architecture, best first. */
const struct wc_mmio_wc_body *wc_mmio_wc_arch_bodies(unsigned int *nb);

/* The best body this CPU runs with width <= max_width (0: no limit). */
const struct wc_mmio_wc_body *wc_mmio_wc_pick(unsigned int max_width);

/* A WC copy: aligned pieces up to the first block, body, pieces after. */
void wc_mmio_wc_copy(const struct wc_mmio_wc_body *body, volatile void *dst,
		const void *src, size_t len);

#endif /* WC_MMIO_INTERNAL_H */
