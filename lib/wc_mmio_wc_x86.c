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
 * Every store goes through a volatile vector pointer: one access of
 * exactly the vector's width, which the compiler may neither split,
 * merge with its neighbours nor replace, with the whole loop, by memcpy.
 * Sources are read with memcpy, at any alignment.
 *
 * Each body also gets its whole copy (head, body, tail: wc_mmio_wc_split())
 * compiled around it, with the same target, so a resolved WC copy is one
 * call with the width a constant and the body inlined.
 */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wc_mmio_internal.h"

typedef long long wc_v16 __attribute__((vector_size(16)));
typedef long long wc_v32 __attribute__((vector_size(32)));
typedef long long wc_v64 __attribute__((vector_size(64)));

static int
wc_sse2_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->sse2;
}

static inline void
wc_sse2_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	volatile wc_v16 *d = dst;
	const uint8_t *s = src;
	wc_v16 v;

	for (; nb_blocks != 0; nb_blocks--, d++, s += sizeof(v)) {
		memcpy(&v, s, sizeof(v));
		*d = v;
	}
}

static void
wc_sse2_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 16, wc_sse2_copy);
}

static int
wc_avx_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->avx;
}

__attribute__((target("avx")))
static inline void
wc_avx_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	volatile wc_v32 *d = dst;
	const uint8_t *s = src;
	wc_v32 v;

	for (; nb_blocks != 0; nb_blocks--, d++, s += sizeof(v)) {
		memcpy(&v, s, sizeof(v));
		*d = v;
	}
}

__attribute__((target("avx")))
static void
wc_avx_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 32, wc_avx_copy);
}

static int
wc_avx512_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->avx512f;
}

__attribute__((target("avx512f")))
static inline void
wc_avx512_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	volatile wc_v64 *d = dst;
	const uint8_t *s = src;
	wc_v64 v;

	for (; nb_blocks != 0; nb_blocks--, d++, s += sizeof(v)) {
		memcpy(&v, s, sizeof(v));
		*d = v;
	}
}

__attribute__((target("avx512f")))
static void
wc_avx512_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 64, wc_avx512_copy);
}

static int
wc_movdir64b_usable(const struct wc_mmio_cpu *cpu)
{
	return cpu->movdir64b;
}

/*
 * MOVDIR64B reads 64 bytes from the source (any alignment) and writes them
 * as one 64-byte write to a 64-byte aligned destination; the body contract
 * gives it exactly that. It is weakly ordered like WC stores, so the same
 * sfence in wc_mmio_flush() orders it. The compiler treats the builtin as
 * a store it must issue as written, so it is never merged or elided.
 */
__attribute__((target("movdir64b")))
static inline void
wc_movdir64b_copy(volatile void *dst, const void *src, size_t nb_blocks)
{
	uint8_t *d = (uint8_t *)(uintptr_t)dst;
	const uint8_t *s = src;

	for (; nb_blocks != 0; nb_blocks--, d += 64, s += 64)
		_movdir64b(d, s);
}

__attribute__((target("movdir64b")))
static void
wc_movdir64b_copy_to(volatile void *dst, const void *src, size_t len)
{
	wc_mmio_wc_split(dst, src, len, 64, wc_movdir64b_copy);
}

/*
 * Best first. With both 64-byte kinds, MOVDIR64B wins: it is the only
 * store architecturally guaranteed to leave the CPU as a single 64-byte
 * write (AVX-512 stores into a WC buffer usually do, but may be split),
 * and it exists on CPUs without AVX-512 (Atom-based server parts).
 */
static const struct wc_mmio_wc_body wc_x86_bodies[] = {
	{ 64, "movdir64b", wc_movdir64b_usable, wc_movdir64b_copy,
		wc_movdir64b_copy_to },
	{ 64, "avx512f", wc_avx512_usable, wc_avx512_copy, wc_avx512_copy_to },
	{ 32, "avx", wc_avx_usable, wc_avx_copy, wc_avx_copy_to },
	{ 16, "sse2", wc_sse2_usable, wc_sse2_copy, wc_sse2_copy_to },
};

const struct wc_mmio_wc_body *
wc_mmio_wc_arch_bodies(unsigned int *nb)
{
	*nb = sizeof(wc_x86_bodies) / sizeof(wc_x86_bodies[0]);
	return wc_x86_bodies;
}
