/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 bodies of the write-combining copy: 16-byte SSE2, 32-byte AVX,
 * 64-byte AVX-512F and 64-byte MOVDIR64B stores.
 *
 * The library is built for the baseline x86_64 ISA (DPDK's
 * platform=generic), which has SSE2 only. The wider bodies are compiled
 * with GCC target attributes and run only when wc_mmio_cpu() found the
 * instructions and, for AVX and AVX-512, the OS saving their registers.
 *
 * Every store goes through a volatile vector pointer of alignment 1: one
 * unaligned access of exactly the vector's width (legal on WC at any
 * address), which the compiler may neither split, merge with its
 * neighbours nor replace, with the whole loop, by memcpy. Sources are
 * read with memcpy, at any alignment.
 *
 * Each body gets its whole copy (wc_mmio_wc_split(), or the aligned
 * split for MOVDIR64B) compiled with the same target, so a resolved WC
 * copy is one call with the width a constant and the stores inlined.
 */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wc_mmio_internal.h"

/* Alignment 1: one unaligned store of the vector's width (vmovdqu). */
typedef long long wc_v16 __attribute__((vector_size(16), aligned(1)));
typedef long long wc_v32 __attribute__((vector_size(32), aligned(1)));
typedef long long wc_v64 __attribute__((vector_size(64), aligned(1)));

/*
 * The stores of each body, by size: the vector of the body's width and,
 * for short copies and tails, the narrower ones (wc_mmio_wc_short()).
 * Sizes are constants where these are inlined, so each is one store;
 * a vector wider than the caller's target is never reached there.
 */
#define WC_X86_VST(type, addr, src) do { \
	type v_; \
	memcpy(&v_, (src), sizeof(v_)); \
	*(volatile type *)(addr) = v_; \
} while (0)

static inline __attribute__((always_inline)) void
wc_x86_store(uintptr_t addr, const uint8_t *src, size_t size)
{
	switch (size) {
	case 64:
		WC_X86_VST(wc_v64, addr, src);
		break;
	case 32:
		WC_X86_VST(wc_v32, addr, src);
		break;
	case 16:
		WC_X86_VST(wc_v16, addr, src);
		break;
	default:
		wc_mmio_wc_store_gpr(addr, src, size);
		break;
	}
}

static int
wc_sse2_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->sse2;
}

static void
wc_sse2_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 16, WC_MMIO_WC_SHORT_MAX(16),
		wc_x86_store);
}

static int
wc_avx_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->avx;
}

__attribute__((target("avx")))
static void
wc_avx_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 32, WC_MMIO_WC_SHORT_MAX(32),
		wc_x86_store);
}

static int
wc_avx512_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->avx512f;
}

__attribute__((target("avx512f")))
static void
wc_avx512_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 64, WC_MMIO_WC_SHORT_MAX(64),
		wc_x86_store);
}

static int
wc_movdir64b_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->movdir64b;
}

/*
 * MOVDIR64B reads 64 bytes from the source (any alignment) and writes them
 * as one 64-byte write to a 64-byte aligned destination; the aligned split
 * gives it exactly that, and SSE2 stores of at most 16 bytes around it.
 * It is weakly ordered like WC stores, so the same sfence in
 * wc_mmio_flush() orders it. The compiler treats the builtin as a store
 * it must issue as written, so it is never merged or elided.
 */
__attribute__((target("movdir64b")))
static inline __attribute__((always_inline)) void
wc_movdir64b_store(uintptr_t addr, const uint8_t *src, size_t size)
{
	if (size == 64)
		_movdir64b((void *)addr, src);
	else
		wc_x86_store(addr, src, size);
}

__attribute__((target("movdir64b")))
static void
wc_movdir64b_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split_aligned(dst, src, len, 64,
		WC_MMIO_MOVDIR64B_SHORT_MAX, wc_movdir64b_store);
}

/*
 * Best first. With both 64-byte kinds, MOVDIR64B wins: it is the only
 * store architecturally guaranteed to leave the CPU as a single 64-byte
 * write (AVX-512 stores into a WC buffer usually do, but may be split),
 * and it exists on CPUs without AVX-512 (Atom-based server parts).
 */
static const struct wc_mmio_wc_body wc_x86_bodies[] = {
	{ 64, "movdir64b", wc_movdir64b_usable, wc_movdir64b_copy_to,
		WC_MMIO_MOVDIR64B_SHORT_MAX, 1 },
	{ 64, "avx512f", wc_avx512_usable, wc_avx512_copy_to,
		WC_MMIO_WC_SHORT_MAX(64), 0 },
	{ 32, "avx", wc_avx_usable, wc_avx_copy_to, WC_MMIO_WC_SHORT_MAX(32), 0 },
	{ 16, "sse2", wc_sse2_usable, wc_sse2_copy_to,
		WC_MMIO_WC_SHORT_MAX(16), 0 },
};

const struct wc_mmio_wc_body *
wc_mmio_wc_arch_bodies(unsigned int *nb)
{
	*nb = sizeof(wc_x86_bodies) / sizeof(wc_x86_bodies[0]);
	return wc_x86_bodies;
}
