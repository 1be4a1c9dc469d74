/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MMIO copy primitives that know what kind of mapping they write to.
 *
 * A write-combining (WC) mapping (PAT WC on x86, Normal-NC on arm64) takes
 * any access at any alignment and merges stores into bursts, so the copy
 * uses the widest stores the CPU has, at whatever alignment dst has, and
 * orders them once, at a flush. What reaches the bus from a WC mapping is
 * the 64-byte lines its write-combining buffer merges, so the copy is
 * minimal when it writes exactly the lines [dst, dst + len) touches; it
 * may store some bytes of the range twice (the same value) to get there
 * with fewer, wider stores (see wc_mmio_copy_to()).
 * An uncached mapping (PAT UC- on x86, Device-nGnRE on arm64) faults on
 * arm64 for any access that is not naturally aligned, so the copy there
 * only issues aligned 1/2/4/8-byte accesses, whatever the caller's source
 * and destination alignment. The same call is therefore safe on both, and
 * a driver never needs WC to make an unaligned copy legal.
 *
 * Nothing here touches a device by itself: the primitives are plain
 * functions over pointers, unit-tested on ordinary memory.
 */
#ifndef WC_MMIO_H
#define WC_MMIO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kind of mapping a pointer lies in. */
enum wc_mmio_attr {
	WC_MMIO_UC = 0,	/* uncached / Device memory */
	WC_MMIO_WC,	/* write-combining / Normal non-cacheable */
};

/* Store widths the WC copy can use, best first; see wc_mmio_cpu(). */
enum wc_mmio_width {
	WC_MMIO_W8 = 8,		/* general-purpose 64-bit stores */
	WC_MMIO_W16 = 16,	/* SSE2 / NEON 128-bit */
	WC_MMIO_W32 = 32,	/* AVX 256-bit */
	WC_MMIO_W64 = 64,	/* AVX-512 or MOVDIR64B 512-bit */
};

/* CPU features found at run time (x86 CPUID, arm64 HWCAP). */
struct wc_mmio_cpu {
	unsigned int max_width;	/* widest store width usable, bytes */
	unsigned int sse2:1, avx:1, avx512f:1, movdir64b:1, neon:1;
	const char *arch;	/* "x86_64", "arm64", ... */
};

/* Detected once, then cached. Never NULL. */
const struct wc_mmio_cpu *wc_mmio_cpu(void);

/*
 * Internals of the inline wc_mmio_copy_to() below; not for direct use.
 * The WC copy of each slot of max_width (see wc_mmio_wc_slot()) is
 * chosen at its first call and kept in wc_mmio_wc_copy_slot, so a copy
 * costs the caller one table load and one call: with attr and max_width
 * constants at the call site, as they usually are, nothing is tested.
 */
typedef void (*wc_mmio_wc_copy_fn)(volatile void *dst, const void *src,
		size_t len);
#define WC_MMIO_WC_NB_SLOTS 5
extern wc_mmio_wc_copy_fn wc_mmio_wc_copy_slot[WC_MMIO_WC_NB_SLOTS];
void wc_mmio_uc_copy_to(volatile void *dst, const void *src, size_t len);

/*
 * Slots of max_width: every max_width in one slot picks the same store,
 * since the widths are 8, 16, 32 and 64. Slot 0 holds caps below 16,
 * 1 caps 16..31, 2 and 3 caps 32..63, 4 a cap of 64 or more and no cap
 * (0), the same thing as no store is wider than 64 bytes. Without a
 * branch: max_width - 1 wraps 0 to the top, is clamped and shifted.
 */
static inline __attribute__((always_inline)) unsigned int
wc_mmio_wc_slot(unsigned int max_width)
{
	unsigned int w = max_width - 1u;

	w = w < 63u ? w : 63u;
	return (w + 1u) >> 4;
}

/*
 * Copy len bytes from ordinary memory src into the mapping at dst.
 * WC: widest stores up to max_width (0 = best the CPU has), at any
 * alignment: W-byte stores from dst on and one last W-byte store ending
 * exactly at dst + len, which may overlap bytes the copy has just
 * written; a copy shorter than W takes at most two narrower stores, also
 * overlapping; the middle of a copy longer than four blocks is stored
 * W-aligned. Overlap rewrites bytes inside [dst, dst + len) with the
 * values they already hold: a WC mapping is only ever made of a
 * prefetchable BAR, whose writes have no side effects, and the device
 * sees such a byte twice only if the write-combining buffer is evicted
 * between the two stores (doc/guides/mmio_lib.rst). MOVDIR64B, which
 * needs an aligned destination, gets aligned lines with short stores
 * around them. No flush (call wc_mmio_flush() where ordering matters).
 * A max_width below 8 means 8; one between widths means the narrower.
 * UC: naturally aligned 1/2/4/8-byte accesses only, each byte written
 * once (arm64 Device memory faults on anything unaligned, and a
 * register may count its writes); each store is ordered by the mapping
 * itself. Bytes outside [dst, dst + len) are never written, and
 * bytes outside [src, src + len) never read. Any attr other than
 * WC_MMIO_WC gets the UC copy, which is safe on every mapping.
 *
 * Inline so that the choice costs nothing at a call site with constant
 * arguments; the copies themselves are in the library. The table entry
 * is loaded relaxed: it only ever changes from a resolver to the copy
 * it resolves to, both code, so there is nothing else to order.
 */
static inline void
wc_mmio_copy_to(volatile void *dst, const void *src, size_t len,
		enum wc_mmio_attr attr, unsigned int max_width)
{
	if (attr == WC_MMIO_WC)
		__atomic_load_n(&wc_mmio_wc_copy_slot[wc_mmio_wc_slot(max_width)],
			__ATOMIC_RELAXED)(dst, src, len);
	else
		wc_mmio_uc_copy_to(dst, src, len);
}

/*
 * The store wc_mmio_copy_to(..., attr, max_width) uses for the aligned
 * middle of a copy: returns its width in bytes and, when kind is not
 * NULL, sets *kind to its instruction family ("gpr", "sse2", "avx",
 * "avx512f", "movdir64b", "neon"; "aligned" for UC). For reports: a width
 * the CPU lacks falls back to the next narrower one, and a measurement
 * should say what it actually measured. With both 64-byte kinds, x86
 * prefers MOVDIR64B (one guaranteed 64-byte write).
 */
unsigned int wc_mmio_store_width(enum wc_mmio_attr attr,
		unsigned int max_width, const char **kind);

/*
 * How many stores wc_mmio_copy_to(dst, ..., len, attr, max_width) issues
 * to the mapping. On UC that is its bus writes: each uncached store is
 * one transaction, and the count is the fewest naturally aligned pieces.
 * On WC the bus writes are the 64-byte lines the range touches, which
 * the copy never exceeds; the stores (some may overlap) are what the CPU
 * issues to fill them. Computed, not counted: no device is touched.
 */
size_t wc_mmio_store_count(uintptr_t dst, size_t len, enum wc_mmio_attr attr,
		unsigned int max_width);

/*
 * Copy len bytes from the mapping at src into ordinary memory dst, with
 * naturally aligned loads only (valid on both kinds of mapping).
 */
void wc_mmio_copy_from(void *dst, const volatile void *src, size_t len);

/*
 * Order every earlier store to a WC mapping before any later store, such
 * as the doorbell write that tells the device to look (x86 sfence; arm64
 * dmb oshst). Later loads are not ordered by it. A no-op barrier on UC
 * apart from a compiler barrier.
 */
void wc_mmio_flush(enum wc_mmio_attr attr);

/*
 * Read the mapping back and compare it with expect. Returns the index of
 * the first differing byte, or len when all bytes match.
 */
size_t wc_mmio_verify(const volatile void *mmio, const void *expect,
		size_t len);

/* "uc" or "wc" ("unknown" for anything else). */
const char *wc_mmio_attr_name(enum wc_mmio_attr attr);

#ifdef __cplusplus
}
#endif

#endif /* WC_MMIO_H */
