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
 * One store of size bytes (1, 2, 4 or 8) from src, ordinary memory at any
 * alignment read with memcpy, issued by ST(type, accessor, addr, value):
 * the UC piece store below and the WC one (wc_mmio_wc_store_gpr()) differ
 * only in ST.
 */
#define WC_MMIO_STORE_SIZED(ST, addr, src, size) do { \
	uint64_t v64_; \
	uint32_t v32_; \
	uint16_t v16_; \
	switch (size) { \
	case 8: \
		memcpy(&v64_, (src), 8); \
		ST(uint64_t, wc_mmio_w64, (addr), v64_); \
		break; \
	case 4: \
		memcpy(&v32_, (src), 4); \
		ST(uint32_t, wc_mmio_w32, (addr), v32_); \
		break; \
	case 2: \
		memcpy(&v16_, (src), 2); \
		ST(uint16_t, wc_mmio_w16, (addr), v16_); \
		break; \
	default: \
		ST(uint8_t, wc_mmio_w8, (addr), *(src)); \
		break; \
	} \
} while (0)

/* The accessor itself: addr is naturally aligned for type. */
#define WC_MMIO_ACC_ST(type, acc, addr, v) acc(addr, v)

/* One store of size bytes (1, 2, 4 or 8) at the naturally aligned addr. */
static inline void
wc_mmio_store_piece(uintptr_t addr, const uint8_t *src, size_t size)
{
	WC_MMIO_STORE_SIZED(WC_MMIO_ACC_ST, addr, src, size);
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

#undef WC_MMIO_STORE_STEP

/* wc_mmio_uc.c: the copies that only issue naturally aligned accesses. */
void wc_mmio_uc_copy_from(void *dst, const volatile void *src, size_t len);

/*
 * One store of a WC copy: size bytes (1, 2, 4, 8, or a body's 16, 32 or
 * 64) from src to addr, at ANY alignment. Each body file has one, with
 * its own vector stores; the split below calls it with constant sizes
 * only, so each call is inlined to a single store instruction. It must
 * never be used on UC: arm64 Device memory faults on unaligned accesses.
 */
typedef void (*wc_mmio_wc_store_fn)(uintptr_t addr, const uint8_t *src,
		size_t size);

/*
 * The 1/2/4/8-byte stores of a WC copy at any alignment. On arm64 they
 * are the accessors above (one STR, plain base register), legal
 * unaligned because a WC mapping is Normal-NC there; elsewhere volatile
 * accesses through types of alignment 1, so the compiler knows the
 * address may be unaligned and still issues exactly one store.
 */
#if defined(__aarch64__)
#define WC_MMIO_WC_ST(type, acc, addr, v) WC_MMIO_ACC_ST(type, acc, addr, v)
#else
#define WC_MMIO_WC_ST(type, acc, addr, v) \
	(*(volatile type __attribute__((aligned(1), may_alias)) *)(addr) = (v))
#endif

static inline __attribute__((always_inline)) void
wc_mmio_wc_store_gpr(uintptr_t addr, const uint8_t *src, size_t size)
{
	WC_MMIO_STORE_SIZED(WC_MMIO_WC_ST, addr, src, size);
}

/*
 * A WC copy shorter than the body's width: n bytes with stores of at
 * most short_max bytes (a power of two), each wholly inside [d, d + n).
 * From short_max bytes up: stores of short_max from d, the last one
 * ending at d + n. Below: the largest power of two k <= n, stored at d
 * and, unless n == k, once more ending at d + n. The two may overlap,
 * writing some bytes twice with the same value (doc/guides/mmio_lib.rst
 * says why that is acceptable on WC and never done on UC); in exchange
 * any n takes at most two stores and one test per power of two, where
 * exact aligned pieces took up to seven stores and as many tests.
 */
static inline __attribute__((always_inline)) void
wc_mmio_wc_short(uintptr_t d, const uint8_t *s, size_t n, size_t short_max,
		wc_mmio_wc_store_fn st)
{
	size_t i;

	/*
	 * The straight path for an 8-byte copy, the register-sized write:
	 * here with short_max 8 (the 16-byte body), below otherwise.
	 */
	if (__builtin_expect(n >= short_max, short_max <= 8)) {
		for (i = 0; i + short_max < n; i += short_max)
			st(d + i, s + i, short_max);
		st(d + n - short_max, s + n - short_max, short_max);
		return;
	}
	/* Written out, not a loop: one compare per power of two. */
#define WC_MMIO_WC_SHORT_PAIR(k) do { \
	if ((k) < short_max && n >= (k)) { \
		st(d, s, (k)); \
		if (n != (k)) \
			st(d + n - (k), s + n - (k), (k)); \
		return; \
	} \
} while (0)
	WC_MMIO_WC_SHORT_PAIR(32);
	WC_MMIO_WC_SHORT_PAIR(16);
	WC_MMIO_WC_SHORT_PAIR(8);
	WC_MMIO_WC_SHORT_PAIR(4);
	WC_MMIO_WC_SHORT_PAIR(2);
	if (n != 0)
		st(d, s, 1);
#undef WC_MMIO_WC_SHORT_PAIR
}

/*
 * The short stores each body uses: half its width (n < width is then at
 * most two of them), except MOVDIR64B, whose copy is built for the SSE2
 * baseline every MOVDIR64B CPU has (Atom-based ones lack AVX).
 */
#define WC_MMIO_WC_SHORT_MAX(width) ((width) / 2)
#define WC_MMIO_MOVDIR64B_SHORT_MAX 16

/*
 * Bytes a write-combining buffer merges into one bus write: a line.
 * Which store comes first matters on a line the copy fills whole: the
 * CPU may send a full buffer at once (the x86 SDM leaves eviction to the
 * implementation), so a store reaching into a line after the line was
 * filled would send it a second time. The split below orders its stores
 * so that the store completing a line is always the last to touch it.
 */
#define WC_MMIO_WC_LINE 64

/* 1 when a copy of len bytes at d ends inside a line, 0 on a boundary. */
static inline __attribute__((always_inline)) size_t
wc_mmio_wc_ends_mid_line(uintptr_t d, size_t len)
{
	return ((d + len) & (WC_MMIO_WC_LINE - 1)) != 0;
}

/*
 * The end of a WC copy from d, W < len <= 5 W: blocks of W bytes from d
 * and one more W-byte store ending exactly at d + len, overlapping the
 * last block unless len is a multiple of W. When d + len is not on a
 * line boundary the last store goes first: it cannot fill a line there
 * (it lies in the line holding the end and, at most, the top of the
 * line below), so every line is completed by a block issued after it.
 * When d + len is on a boundary it goes last: it lies in the last line,
 * which no block reaches the end of, and completes it.
 */
#define WC_MMIO_WC_END_BLOCKS(d, s, len, width, st) do { \
	st((d), (s), (width)); \
	if ((len) > 2 * (width)) { \
		st((d) + (width), (s) + (width), (width)); \
		if ((len) > 3 * (width)) { \
			st((d) + 2 * (width), (s) + 2 * (width), (width)); \
			if ((len) > 4 * (width)) \
				st((d) + 3 * (width), (s) + 3 * (width), \
					(width)); \
		} \
	} \
} while (0)

static inline __attribute__((always_inline)) void
wc_mmio_wc_end(uintptr_t d, const uint8_t *s, size_t len, size_t width,
		wc_mmio_wc_store_fn st)
{
	if (wc_mmio_wc_ends_mid_line(d, len)) {
		st(d + len - width, s + len - width, width);
		WC_MMIO_WC_END_BLOCKS(d, s, len, width, st);
		return;
	}
	WC_MMIO_WC_END_BLOCKS(d, s, len, width, st);
	st(d + len - width, s + len - width, width);
}

#undef WC_MMIO_WC_END_BLOCKS

/*
 * A WC copy with a body whose width-byte store takes any alignment (all
 * but MOVDIR64B): width-byte stores from dst on, as a plain loop would
 * issue them, then, when len is not a multiple of width, one more
 * width-byte store ending exactly at dst + len, overlapping bytes the
 * loop writes (with the same values). Shorter copies go to
 * wc_mmio_wc_short(). Every store lies inside [dst, dst + len), and no
 * store touches a line after another store has filled it (above), so
 * the 64-byte lines written are exactly the lines the range touches,
 * each once: the minimum bus writes of a WC mapping. Inlined into each
 * body's copy_to with width, short_max and st constants.
 *
 * Up to four blocks the stores are not aligned to the width: a wide
 * store may straddle two lines. On WC that costs no bus write (both
 * lines are in the range and the write-combining buffer merges per
 * line), and aligning would cost a store and a test more, which at that
 * size is more than the splits (test/bench). Above four blocks the
 * middle is aligned (below).
 */
static inline __attribute__((always_inline)) void
wc_mmio_wc_split(volatile void *dst, const void *src, size_t len,
		size_t width, size_t short_max, wc_mmio_wc_store_fn st)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;
	size_t last, first;

	/*
	 * One whole line with a 64-byte store, or one word with the 8-byte
	 * body (a register-sized write): the store and the return, no taken
	 * branch. At that size the taken branches (the call, the jump
	 * through the slot, the return) are what the copy costs.
	 */
	if ((width == 64 || width == 8) && __builtin_expect(len == width, 1)) {
		st(d, s, width);
		return;
	}
	if (__builtin_expect(len < width, 0)) {
		/*
		 * The register-sized write with the wider bodies: one store,
		 * tested only among the short copies, so longer ones pay
		 * nothing for it.
		 */
		if (short_max >= 8 && len == 8) {
			st(d, s, 8);
			return;
		}
		wc_mmio_wc_short(d, s, len, short_max, st);
		return;
	}
	/*
	 * One or two blocks next, laid out as the straight path: one line
	 * of 32-byte stores (an SQ entry, a descriptor) is two blocks. The
	 * order of wc_mmio_wc_end(), chosen without a branch: the store
	 * ending at dst + len first (at offset last) when that end is
	 * mid-line, else the one at dst.
	 */
	if (__builtin_expect(len <= 2 * width, 1)) {
		last = len - width;
		first = last & -wc_mmio_wc_ends_mid_line(d, len);
		st(d + first, s + first, width);
		if (len != width)
			st(d + (last - first), s + (last - first), width);
		return;
	}
	/*
	 * More than four blocks: one block at dst, then on from the next
	 * multiple of width (overlapping the first block unless dst is one
	 * already; that block cannot fill a line unless it is aligned), so
	 * every store of the middle is aligned and none straddles two
	 * lines: a whole line per 64-byte store on the bus, and no
	 * split-line penalty (unaligned, the 64 KiB AVX-512 copy was 1.1x
	 * the plain loop; aligned, below it). Shorter copies skip it, since
	 * there one store more costs more than the splits.
	 */
	if (len > 4 * width) {
		size_t adv = width - (d & (width - 1));

		st(d, s, width);
		d += adv;
		s += adv;
		len -= adv;
		/*
		 * Four blocks per round while more than five are left, then
		 * one to four blocks and the last store: fewer loop exits
		 * than a block-by-block loop (the exit of a short loop, at a
		 * trip count that changes with every size, is what a short
		 * copy pays for: 1.3x the plain loop at 4 blocks,
		 * test/bench), and the end always holds a block to issue
		 * after the last store.
		 */
		for (; len > 5 * width; len -= 4 * width, d += 4 * width,
				s += 4 * width) {
			st(d, s, width);
			st(d + width, s + width, width);
			st(d + 2 * width, s + 2 * width, width);
			st(d + 3 * width, s + 3 * width, width);
		}
	}
	wc_mmio_wc_end(d, s, len, width, st);
}

/*
 * A WC copy whose width-byte store needs a width-aligned destination
 * (MOVDIR64B: #GP otherwise): short stores up to the first multiple of
 * width, whole aligned blocks, short stores after. Head and tail each
 * lie inside one line, so the lines written are again exactly those the
 * range touches.
 */
static inline __attribute__((always_inline)) void
wc_mmio_wc_split_aligned(volatile void *dst, const void *src, size_t len,
		size_t width, size_t short_max, wc_mmio_wc_store_fn st)
{
	uintptr_t d = (uintptr_t)dst;
	const uint8_t *s = src;
	size_t head;

	if (((d | len) & (width - 1)) == 0) {
		/* Whole aligned blocks (a 64-byte SQ entry): no head, no tail. */
		for (; len != 0; d += width, s += width, len -= width)
			st(d, s, width);
		return;
	}
	if (len < width) {
		/* The register-sized write: one store (as above). */
		if (short_max >= 8 && len == 8) {
			st(d, s, 8);
			return;
		}
		wc_mmio_wc_short(d, s, len, short_max, st);
		return;
	}
	/* len >= width > head: the head always fits. */
	head = -d & (width - 1);
	wc_mmio_wc_short(d, s, head, short_max, st);
	d += head;
	s += head;
	len -= head;
	for (; len >= width; d += width, s += width, len -= width)
		st(d, s, width);
	wc_mmio_wc_short(d, s, len, short_max, st);
}

/*
 * Either split at a width known only at run time (8, 16, 32 or 64), with
 * the width a constant in each, as in the bodies' own copies, and the
 * short stores the library gives that split: how the unit tests and the
 * bus-write tally run the very splits the bodies inline, with a store of
 * their own.
 */
static inline __attribute__((always_inline)) void
wc_mmio_wc_split_at(volatile void *dst, const void *src, size_t len,
		unsigned int width, int aligned, wc_mmio_wc_store_fn st)
{
#define WC_MMIO_WC_SPLIT_AT(w) do { \
	if (aligned) \
		wc_mmio_wc_split_aligned(dst, src, len, (w), \
			WC_MMIO_MOVDIR64B_SHORT_MAX, st); \
	else \
		wc_mmio_wc_split(dst, src, len, (w), WC_MMIO_WC_SHORT_MAX(w), \
			st); \
} while (0)
	switch (width) {
	case 8:
		WC_MMIO_WC_SPLIT_AT(8);
		break;
	case 16:
		WC_MMIO_WC_SPLIT_AT(16);
		break;
	case 32:
		WC_MMIO_WC_SPLIT_AT(32);
		break;
	default:
		WC_MMIO_WC_SPLIT_AT(64);
		break;
	}
#undef WC_MMIO_WC_SPLIT_AT
}

/*
 * One way of storing a WC copy: width-byte stores of one instruction
 * family. copy_to is the whole copy built around them (wc_mmio_wc_split()
 * or, for aligned, wc_mmio_wc_split_aligned(), with the store inlined):
 * what wc_mmio_copy_to() calls once the body is resolved. short_max and
 * aligned say which split, for wc_mmio_store_count().
 */
struct wc_mmio_wc_body {
	unsigned int width;	/* bytes per store: 8, 16, 32 or 64 */
	const char *name;	/* instruction family, for reports */
	int (*usable)(const struct wc_mmio_cpu *cpu);
	void (*copy_to)(volatile void *dst, const void *src, size_t len);
	unsigned int short_max;	/* widest store of a short copy, head, tail */
	unsigned int aligned;	/* 1: width stores need an aligned address */
};

/*
 * The stores wc_mmio_wc_short() issues for n bytes, computed: at most
 * two below short_max (one when n is a power of two), one per short_max
 * bytes (rounded up) from there.
 */
static inline size_t
wc_mmio_wc_short_count(size_t n, size_t short_max)
{
	if (n >= short_max)
		return (n + short_max - 1) / short_max;
	if (n == 0)
		return 0;
	return (n & (n - 1)) == 0 ? 1 : 2;
}

/* The stores of body's copy of len bytes at d, computed (no device). */
static inline size_t
wc_mmio_wc_count(const struct wc_mmio_wc_body *body, uintptr_t d,
		size_t len)
{
	size_t w = body->width, head;

	if (len < w)
		return wc_mmio_wc_short_count(len, body->short_max);
	if (!body->aligned) {
		if (len > 4 * w) {
			/* The block at dst, then whole blocks from a multiple. */
			head = w - (d & (w - 1));
			return 1 + (len - head + w - 1) / w;
		}
		return (len + w - 1) / w;
	}
	head = -d & (w - 1);
	return wc_mmio_wc_short_count(head, body->short_max) +
		(len - head) / w +
		wc_mmio_wc_short_count((len - head) & (w - 1), body->short_max);
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

#endif /* WC_MMIO_INTERNAL_H */
