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
 * Single accesses to a mapping: every load and store the library makes
 * to MMIO goes through these (the x86 vector bodies excepted: x86 has no
 * writeback addressing).
 *
 * On arm64 each is one LDR/STR written in inline assembly, its address a
 * "Q" operand: a memory operand addressed by one base register, with no
 * offset and no writeback. Left to itself the compiler folds the pointer
 * increment of a copy loop into the access (post-index "str x3, [x0], #8")
 * or pairs two accesses into an LDP/STP. On bare metal that is harmless,
 * but in a VM an access to an emulated BAR traps to the hypervisor, which
 * learns what to emulate from the fault syndrome: size, direction and
 * register, and nothing about a base register to update. KVM refuses such
 * an access as unhandled. The "Q" operand also tells the compiler exactly
 * which bytes each access touches, so it orders them against the
 * surrounding C like the volatile accesses they replace.
 *
 * Elsewhere a volatile access of the width is one plain instruction. The
 * volatile is also what keeps the compiler from merging neighbouring
 * pieces into one wider, possibly unaligned, access.
 */
#if defined(__aarch64__)
#define WC_MMIO_ST(insn, reg, type, addr, v) \
	__asm__ volatile(insn " %" reg "1, %0" \
			 : "=Q" (*(volatile type *)(addr)) : "rZ" (v))
#define WC_MMIO_LD(insn, reg, type, addr, v) \
	__asm__ volatile(insn " %" reg "0, %1" \
			 : "=r" (v) : "Q" (*(const volatile type *)(addr)))
#else
#define WC_MMIO_ST(insn, reg, type, addr, v) \
	(*(volatile type *)(addr) = (v))
#define WC_MMIO_LD(insn, reg, type, addr, v) \
	((v) = *(const volatile type *)(addr))
#endif

static inline __attribute__((always_inline)) void
wc_mmio_w8(uintptr_t addr, uint8_t v)
{
	WC_MMIO_ST("strb", "w", uint8_t, addr, v);
}

static inline __attribute__((always_inline)) void
wc_mmio_w16(uintptr_t addr, uint16_t v)
{
	WC_MMIO_ST("strh", "w", uint16_t, addr, v);
}

static inline __attribute__((always_inline)) void
wc_mmio_w32(uintptr_t addr, uint32_t v)
{
	WC_MMIO_ST("str", "w", uint32_t, addr, v);
}

static inline __attribute__((always_inline)) void
wc_mmio_w64(uintptr_t addr, uint64_t v)
{
	WC_MMIO_ST("str", "x", uint64_t, addr, v);
}

static inline __attribute__((always_inline)) uint8_t
wc_mmio_r8(uintptr_t addr)
{
	uint32_t v;

	WC_MMIO_LD("ldrb", "w", uint8_t, addr, v);
	return (uint8_t)v;
}

static inline __attribute__((always_inline)) uint16_t
wc_mmio_r16(uintptr_t addr)
{
	uint32_t v;

	WC_MMIO_LD("ldrh", "w", uint16_t, addr, v);
	return (uint16_t)v;
}

static inline __attribute__((always_inline)) uint32_t
wc_mmio_r32(uintptr_t addr)
{
	uint32_t v;

	WC_MMIO_LD("ldr", "w", uint32_t, addr, v);
	return v;
}

static inline __attribute__((always_inline)) uint64_t
wc_mmio_r64(uintptr_t addr)
{
	uint64_t v;

	WC_MMIO_LD("ldr", "x", uint64_t, addr, v);
	return v;
}

/*
 * One store of size bytes (1, 2, 4 or 8) at the naturally aligned addr.
 * The source is ordinary memory at any alignment, read with memcpy.
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
		wc_mmio_w64(addr, v64);
		break;
	case 4:
		memcpy(&v32, src, 4);
		wc_mmio_w32(addr, v32);
		break;
	case 2:
		memcpy(&v16, src, 2);
		wc_mmio_w16(addr, v16);
		break;
	default:
		wc_mmio_w8(addr, *src);
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
		v64 = wc_mmio_r64(addr);
		memcpy(dst, &v64, 8);
		break;
	case 4:
		v32 = wc_mmio_r32(addr);
		memcpy(dst, &v32, 4);
		break;
	case 2:
		v16 = wc_mmio_r16(addr);
		memcpy(dst, &v16, 2);
		break;
	default:
		*dst = wc_mmio_r8(addr);
		break;
	}
}

/*
 * Test hook of wc_mmio_store_pieces(): a file that defines
 * WC_MMIO_STORE_HOOK(addr, size) before including this header sees every
 * piece stored (lib/wc_mmio_uc.c's traced build, the store-count test).
 * Everywhere else it compiles to nothing.
 */
#ifndef WC_MMIO_STORE_HOOK
#define WC_MMIO_STORE_HOOK(addr, size) do { } while (0)
#endif

/* One piece of a run, through the hook. */
static inline __attribute__((always_inline)) void
wc_mmio_store_hooked(uintptr_t addr, const uint8_t *src, size_t size)
{
	WC_MMIO_STORE_HOOK(addr, size);
	wc_mmio_store_piece(addr, src, size);
}

/*
 * Store [d, d + len) as the pieces wc_mmio_piece() would take one by one,
 * with the sizes decided by bit tests instead of a search per piece:
 * first the pieces that bring d to WC_MMIO_PIECE_MAX alignment (the
 * lowest set bit of d, while it fits), then whole words, then what is
 * left, largest first. A head piece that does not fit leaves d aligned
 * to at least its size, so every smaller tail piece is aligned too. This
 * is the UC copy and the head and tail of every WC copy, so it is
 * inlined, and written out size by size so each piece is one store.
 */
#define WC_MMIO_STORE_STEP(size) do { \
	wc_mmio_store_hooked(d, s, (size)); \
	d += (size); \
	s += (size); \
	len -= (size); \
} while (0)

/*
 * The whole words of a head or tail n (< 64) bytes long: one bit test
 * per power of two and straight-line stores, not a loop. A loop of one
 * to seven words exits at a different count for every offset and size,
 * and its mispredicted exit cost more than all the stores of a short
 * copy (test/bench: wc32 at 64 B, offset 8, went from 15 to 5 ns).
 */
#define WC_MMIO_STORE_WORD() WC_MMIO_STORE_STEP(WC_MMIO_PIECE_MAX)
#if WC_MMIO_PIECE_MAX == 8
#define WC_MMIO_STORE_WORDS(n) do { \
	if (((n) & 8) != 0) \
		WC_MMIO_STORE_WORD(); \
	if (((n) & 16) != 0) { \
		WC_MMIO_STORE_WORD(); \
		WC_MMIO_STORE_WORD(); \
	} \
	if (((n) & 32) != 0) { \
		WC_MMIO_STORE_WORD(); \
		WC_MMIO_STORE_WORD(); \
		WC_MMIO_STORE_WORD(); \
		WC_MMIO_STORE_WORD(); \
	} \
} while (0)
#else
#define WC_MMIO_STORE_WORDS(n) do { \
	unsigned int k_; \
	if (((n) & 4) != 0) \
		WC_MMIO_STORE_WORD(); \
	for (k_ = 8; k_ < 64; k_ <<= 1) \
		if (((n) & k_) != 0) { \
			unsigned int j_; \
			for (j_ = 0; j_ < k_ / 4; j_++) \
				WC_MMIO_STORE_WORD(); \
		} \
} while (0)
#endif

static inline __attribute__((always_inline)) void
wc_mmio_store_pieces(uintptr_t d, const uint8_t *s, size_t len)
{
	/*
	 * Whole aligned words, the common case of a UC copy (registers,
	 * descriptors): one test instead of the six below, which all fail.
	 */
	if (((d | len) & (WC_MMIO_PIECE_MAX - 1)) == 0) {
		for (; len != 0; )
			WC_MMIO_STORE_STEP(WC_MMIO_PIECE_MAX);
		return;
	}
	if ((d & 1) != 0 && len >= 1)
		WC_MMIO_STORE_STEP(1);
	if ((d & 2) != 0 && len >= 2)
		WC_MMIO_STORE_STEP(2);
#if WC_MMIO_PIECE_MAX == 8
	if ((d & 4) != 0 && len >= 4)
		WC_MMIO_STORE_STEP(4);
#endif
	while (len >= WC_MMIO_PIECE_MAX)
		WC_MMIO_STORE_STEP(WC_MMIO_PIECE_MAX);
#if WC_MMIO_PIECE_MAX == 8
	if ((len & 4) != 0)
		WC_MMIO_STORE_STEP(4);
#endif
	if ((len & 2) != 0)
		WC_MMIO_STORE_STEP(2);
	if ((len & 1) != 0)
		WC_MMIO_STORE_STEP(1);
}

/*
 * The head of a WC copy: head (< width, and no more than is left) bytes
 * that bring d to a multiple of width. Taking the set bits of head from
 * the lowest up keeps every piece naturally aligned (d + (head mod 2^k)
 * is a multiple of 2^k), so no length test is needed per piece: one bit
 * test each, and whole words for the bits of WC_MMIO_PIECE_MAX and up.
 * These are the same pieces wc_mmio_store_pieces() would take.
 */
static inline __attribute__((always_inline)) void
wc_mmio_store_head(uintptr_t *dp, const uint8_t **sp, size_t head)
{
	uintptr_t d = *dp;
	const uint8_t *s = *sp;
	size_t len = head;

	if ((head & 1) != 0)
		WC_MMIO_STORE_STEP(1);
	if ((head & 2) != 0)
		WC_MMIO_STORE_STEP(2);
#if WC_MMIO_PIECE_MAX == 8
	if ((head & 4) != 0)
		WC_MMIO_STORE_STEP(4);
#endif
	WC_MMIO_STORE_WORDS(head);
	*dp = d;
	*sp = s;
}

/*
 * The tail of a WC copy: tail (< width) bytes from d, a multiple of
 * width. Largest pieces first keeps each aligned, again one bit test per
 * piece size.
 */
static inline __attribute__((always_inline)) void
wc_mmio_store_tail(uintptr_t d, const uint8_t *s, size_t tail)
{
	size_t len = tail;

	WC_MMIO_STORE_WORDS(tail);
#if WC_MMIO_PIECE_MAX == 8
	if ((len & 4) != 0)
		WC_MMIO_STORE_STEP(4);
#endif
	if ((len & 2) != 0)
		WC_MMIO_STORE_STEP(2);
	if ((len & 1) != 0)
		WC_MMIO_STORE_STEP(1);
}

#undef WC_MMIO_STORE_WORDS
#undef WC_MMIO_STORE_WORD
#undef WC_MMIO_STORE_STEP

/* wc_mmio_uc.c: the copies that only issue naturally aligned accesses. */
void wc_mmio_uc_copy_from(void *dst, const volatile void *src, size_t len);

/* The aligned middle of a WC copy: nb_blocks stores of one width. */
typedef void (*wc_mmio_wc_body_fn)(volatile void *dst, const void *src,
		size_t nb_blocks);

/*
 * One way of storing the aligned middle of a WC copy: nb_blocks stores of
 * width bytes each, dst a multiple of width. The head and tail around it
 * are stored in pieces by wc_mmio_wc_split(), so a body only ever sees
 * whole, aligned blocks (MOVDIR64B faults on anything else). copy_to is
 * the whole copy built around this body (wc_mmio_wc_split() with the
 * body inlined): what wc_mmio_copy_to() calls once the body is resolved.
 */
struct wc_mmio_wc_body {
	unsigned int width;	/* bytes per store: 8, 16, 32 or 64 */
	const char *name;	/* instruction family, for reports */
	int (*usable)(const struct wc_mmio_cpu *cpu);
	wc_mmio_wc_body_fn copy;
	void (*copy_to)(volatile void *dst, const void *src, size_t len);
};

/*
 * A WC copy: aligned pieces up to the first block of width bytes, the
 * body over every whole block, pieces after. Inlined into each body's
 * copy_to with constant width and body, so the split costs a few bit
 * operations and the body is inlined into it.
 *
 * The order of the tests is what a short copy pays for (see the
 * benchmark, test/bench): whole aligned blocks, such as a 64-byte SQ
 * entry, take one test and go straight to the body; a copy shorter than
 * a block is pieces only; anything else pays one bit test per piece size
 * of its head and tail, never a search.
 */
static inline __attribute__((always_inline)) void
wc_mmio_wc_split(volatile void *dst, const void *src, size_t len,
		size_t width, wc_mmio_wc_body_fn body)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;
	size_t head, nb_blocks;

	if (((d | len) & (width - 1)) == 0) {
		if (len != 0)
			body((volatile void *)d, s, len / width);
		return;
	}
	if (len < width) {
		wc_mmio_store_pieces(d, s, len);
		return;
	}
	/* len >= width > head: the head always fits. */
	head = -d & (width - 1);
	wc_mmio_store_head(&d, &s, head);
	len -= head;

	nb_blocks = len / width;
	if (nb_blocks != 0) {
		body((volatile void *)d, s, nb_blocks);
		d += nb_blocks * width;
		s += nb_blocks * width;
	}
	wc_mmio_store_tail(d, s, len & (width - 1));
}

/* wc_mmio_wc.c: 8-byte general-purpose stores; every CPU has them. */
extern const struct wc_mmio_wc_body wc_mmio_wc_gpr;
void wc_mmio_wc_gpr_copy_to(volatile void *dst, const void *src, size_t len);

/* wc_mmio_wc_<arch>.c: the wider bodies of this architecture, best first. */
const struct wc_mmio_wc_body *wc_mmio_wc_arch_bodies(unsigned int *nb);

/*
 * The best body this CPU runs with width <= max_width (0: no limit),
 * searched for: CPU detection and a scan of the bodies. Copies use
 * wc_mmio_wc_body_for() instead, which asks this once per slot.
 */
const struct wc_mmio_wc_body *wc_mmio_wc_pick(unsigned int max_width);

/*
 * The copy of each slot (wc_mmio.h): a resolver until the first copy of
 * the slot, which puts the chosen body's copy_to there. Two threads
 * resolving at once store the same pointer.
 */

/* The body of each slot once resolved, NULL before (as above). */
extern const struct wc_mmio_wc_body *wc_mmio_wc_resolved[WC_MMIO_WC_NB_SLOTS];

/* Resolves a slot on its first use (wc_mmio_wc.c). */
const struct wc_mmio_wc_body *wc_mmio_wc_resolve(unsigned int slot);

/* wc_mmio_wc_pick(max_width), resolved once: one load on every later call. */
static inline const struct wc_mmio_wc_body *
wc_mmio_wc_body_for(unsigned int max_width)
{
	unsigned int slot = wc_mmio_wc_slot(max_width);
	const struct wc_mmio_wc_body *body;

	body = __atomic_load_n(&wc_mmio_wc_resolved[slot], __ATOMIC_RELAXED);
	if (__builtin_expect(body == NULL, 0))
		body = wc_mmio_wc_resolve(slot);
	return body;
}

/* wc_mmio_wc_split() with any body, called through its pointer (tests). */
void wc_mmio_wc_copy(const struct wc_mmio_wc_body *body, volatile void *dst,
		const void *src, size_t len);

#endif /* WC_MMIO_INTERNAL_H */
