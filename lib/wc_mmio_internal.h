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

static inline __attribute__((always_inline)) void
wc_mmio_store_pieces(uintptr_t d, const uint8_t *s, size_t len)
{
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

#undef WC_MMIO_STORE_STEP

/* wc_mmio_uc.c: the copies that only issue naturally aligned accesses. */
void wc_mmio_uc_copy_to(volatile void *dst, const void *src, size_t len);
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
 * operations and the body call becomes a direct one (or disappears).
 */
static inline __attribute__((always_inline)) void
wc_mmio_wc_split(volatile void *dst, const void *src, size_t len,
		size_t width, wc_mmio_wc_body_fn body)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;
	size_t head, nb_blocks;

	head = (width - (d & (width - 1))) & (width - 1);
	if (head > len)
		head = len;
	wc_mmio_store_pieces(d, s, head);
	d += head;
	s += head;
	len -= head;

	nb_blocks = len / width;
	if (nb_blocks != 0) {
		body((volatile void *)d, s, nb_blocks);
		d += nb_blocks * width;
		s += nb_blocks * width;
		len -= nb_blocks * width;
	}

	wc_mmio_store_pieces(d, s, len);
}

/* wc_mmio_wc.c: 8-byte general-purpose stores; every CPU has them. */
extern const struct wc_mmio_wc_body wc_mmio_wc_gpr;
void wc_mmio_wc_gpr_copy_to(volatile void *dst, const void *src, size_t len);

/*
 * body->copy_to(dst, src, len) for a body of this architecture or the gpr
 * one, by comparing the pointer with each known body and calling its copy
 * directly: on CPUs with indirect-branch mitigations a call through a
 * pointer costs more than the short copies it would start.
 */
void wc_mmio_wc_arch_copy_to(const struct wc_mmio_wc_body *body,
		volatile void *dst, const void *src, size_t len);

/* wc_mmio_wc_<arch>.c: the wider bodies of this architecture, best first. */
const struct wc_mmio_wc_body *wc_mmio_wc_arch_bodies(unsigned int *nb);

/*
 * The best body this CPU runs with width <= max_width (0: no limit),
 * searched for: CPU detection and a scan of the bodies. Copies use
 * wc_mmio_wc_body_for() instead, which asks this once per width class.
 */
const struct wc_mmio_wc_body *wc_mmio_wc_pick(unsigned int max_width);

/*
 * Width classes of max_width: 0 (no cap), then caps of 8, 16, 32 and 64
 * bytes and up. Every max_width in one class picks the same body, since
 * the bodies' widths are exactly these.
 */
#define WC_MMIO_WC_NB_CLASSES 5

static inline unsigned int
wc_mmio_wc_class(unsigned int max_width)
{
	if (max_width == 0)
		return 0;
	if (max_width < 16)
		return 1;
	if (max_width < 32)
		return 2;
	if (max_width < 64)
		return 3;
	return 4;
}

/*
 * The body of each class once resolved, NULL before. Published with
 * release and read with acquire; two threads resolving at once store
 * the same pointer, so no lock is needed.
 */
extern const struct wc_mmio_wc_body *wc_mmio_wc_resolved[WC_MMIO_WC_NB_CLASSES];

/* Resolves a class on its first use (wc_mmio_wc.c). */
const struct wc_mmio_wc_body *wc_mmio_wc_resolve(unsigned int cls);

/* wc_mmio_wc_pick(max_width), resolved once: one load on every later call. */
static inline const struct wc_mmio_wc_body *
wc_mmio_wc_body_for(unsigned int max_width)
{
	unsigned int cls = wc_mmio_wc_class(max_width);
	const struct wc_mmio_wc_body *body;

	body = __atomic_load_n(&wc_mmio_wc_resolved[cls], __ATOMIC_ACQUIRE);
	if (__builtin_expect(body == NULL, 0))
		body = wc_mmio_wc_resolve(cls);
	return body;
}

/* wc_mmio_wc_split() with any body, called through its pointer (tests). */
void wc_mmio_wc_copy(const struct wc_mmio_wc_body *body, volatile void *dst,
		const void *src, size_t len);

#endif /* WC_MMIO_INTERNAL_H */
