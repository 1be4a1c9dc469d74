/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Benchmark of the MMIO copies (lib/wc_mmio*.c) against the plain loops
 * they replace, on ordinary write-back memory, in one process on the same
 * buffers:
 *
 *  - our WC copy, wc_mmio_copy_to(WC, W) for each width W of 8, 16, 32, 64
 *    this CPU has, against a loop of W-byte stores at the same (possibly
 *    unaligned) destination with a byte tail;
 *  - our UC copy, wc_mmio_copy_to(UC), against a loop issuing the same
 *    naturally aligned 1/2/4/8-byte pieces, written here independently;
 *  - each against memcpy as well.
 *
 * Fairness: ours and its baseline run on the same buffers at the same
 * source and destination alignment, each in a timed loop of the same
 * shape that calls it through one indirect call per copy (ours as the
 * inline wc_mmio_copy_to() does, through its slot; a plain loop through
 * a function pointer), their samples interleaved
 * (one of ours, one of the baseline's, ...) so that a burst of load
 * from another process
 * hits both alike; the ratio is of the best sample of each (best of N).
 * Before timing, each copy is run once into a zeroed buffer with guard
 * bytes around it and checked: the bytes arrive and nothing outside is
 * written, so neither side can have been optimised away or be cheating.
 *
 * Timings are of cached memory on the machine that runs this, not MMIO:
 * they show what the copies cost the CPU (ratios to the loops are the
 * point), not bus behaviour, and under an emulator (qemu-user, TCG) not
 * even that. The second table, the bus writes of each copy against the
 * minimum (UC: stores against the fewest aligned pieces; WC: 64-byte
 * lines written against the lines the range touches, with the stores
 * issued beside the plain loop's), is what holds on hardware.
 *
 * Exit status 0; 1 when some copy exceeds its minimum or a WC store
 * leaves the range (which test/unit/test_wc_mmio_counts.c also asserts).
 */
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wc_mmio.h"
#include "wc_mmio_internal.h"
#include "wc_mmio_tally.h"

#define BUF_MAX		65536
#define NB_SAMPLES	15	/* samples per measurement: best and median */
#define SAMPLE_BYTES	(1u << 20)	/* bytes copied per sample, about */
#define MIN_REPS	16

static const size_t sizes[] = { 8, 16, 32, 64, 128, 256, 1024, 4096, 65536 };
static const size_t offsets[] = { 0, 1, 3, 8, 17, 63 };
static const unsigned int widths[] = { 8, 16, 32, 64 };
#define NB_SIZES	(sizeof(sizes) / sizeof(sizes[0]))
#define NB_OFFSETS	(sizeof(offsets) / sizeof(offsets[0]))
#define NB_WIDTHS	(sizeof(widths) / sizeof(widths[0]))

static uint8_t dst_buf[BUF_MAX + 128] __attribute__((aligned(64)));
static uint8_t src_buf[BUF_MAX + 128] __attribute__((aligned(64)));

/*
 * A copy under test, run reps times in a loop of its own (reps 1 to
 * check it), all loops of one shape. Ours is called through
 * wc_mmio_copy_to() inlined at the call site, as a driver calls it: a
 * load of the slot and one indirect call (UC: a direct call); a plain
 * loop through a function pointer loaded for every copy, the same call.
 * The loop itself is reached through this pointer once per sample, not
 * once per copy.
 */
typedef void (*copy_fn)(uint8_t *dst, const uint8_t *src, size_t len,
		size_t reps);

/* Keeps the compiler from dropping or merging copies between calls. */
#define BARRIER() __asm__ volatile("" : : : "memory")

#define TIMED(name, call) \
static void \
name(uint8_t *dst, const uint8_t *src, size_t len, size_t reps) \
{ \
	size_t r_; \
	for (r_ = 0; r_ < reps; r_++) { \
		call; \
		BARRIER(); \
	} \
}

/* ---- ours ------------------------------------------------------------- */

TIMED(ours_uc, wc_mmio_copy_to(dst, src, len, WC_MMIO_UC, 0))
TIMED(ours_wc8, wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, 8))
TIMED(ours_wc16, wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, 16))
TIMED(ours_wc32, wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, 32))
TIMED(ours_wc64, wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, 64))
TIMED(ours_wc_default, wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, 0))

static const copy_fn ours_wc[NB_WIDTHS] = {
	ours_wc8, ours_wc16, ours_wc32, ours_wc64,
};

/* ---- baselines -------------------------------------------------------- */

/*
 * The plain copies are functions of their own, like a driver's helper
 * in another file: noipa keeps the compiler from inlining, cloning or
 * specialising them for their caller.
 */
#define PLAIN __attribute__((noipa))

/* The aligned pieces the UC copy issues, found one by one: largest first. */
static PLAIN void
plain_pieces(uint8_t *dst, const uint8_t *src, size_t len)
{
	uintptr_t d = (uintptr_t)dst;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	while (len != 0) {
		if ((d & 7) == 0 && len >= 8) {
			memcpy(&v64, src, 8);
			*(volatile uint64_t *)d = v64;
			d += 8, src += 8, len -= 8;
		} else if ((d & 3) == 0 && len >= 4) {
			memcpy(&v32, src, 4);
			*(volatile uint32_t *)d = v32;
			d += 4, src += 4, len -= 4;
		} else if ((d & 1) == 0 && len >= 2) {
			memcpy(&v16, src, 2);
			*(volatile uint16_t *)d = v16;
			d += 2, src += 2, len -= 2;
		} else {
			*(volatile uint8_t *)d = *src;
			d++, src++, len--;
		}
	}
}

/* Byte tail of the plain loops. */
static inline void
tail_bytes(uint8_t *dst, const uint8_t *src, size_t len)
{
	volatile uint8_t *d = dst;

	while (len-- != 0)
		*d++ = *src++;
}

/*
 * Plain loops of W-byte stores at whatever alignment dst has, then bytes:
 * what a driver writes without our copy. Volatile vector types of
 * alignment 1, so each store is exactly one unaligned W-byte store.
 */
typedef uint64_t u64_u __attribute__((aligned(1)));
typedef long long v16_u __attribute__((vector_size(16), aligned(1)));
typedef long long v32_u __attribute__((vector_size(32), aligned(1)));
typedef long long v64_u __attribute__((vector_size(64), aligned(1)));

#define PLAIN_LOOP(w, type, attr) \
attr static PLAIN void \
plain_w##w(uint8_t *dst, const uint8_t *src, size_t len) \
{ \
	type v; \
	for (; len >= (w); len -= (w), dst += (w), src += (w)) { \
		memcpy(&v, src, (w)); \
		*(volatile type *)dst = v; \
	} \
	tail_bytes(dst, src, len); \
}

PLAIN_LOOP(8, u64_u, )
#if defined(__x86_64__)
PLAIN_LOOP(16, v16_u, )
PLAIN_LOOP(32, v32_u, __attribute__((target("avx"))))
PLAIN_LOOP(64, v64_u, __attribute__((target("avx512f"))))
#else
PLAIN_LOOP(16, v16_u, )
#endif

#if defined(__x86_64__)
/*
 * MOVDIR64B takes only a 64-byte aligned destination (#GP otherwise), so
 * its plainest loop has to get there first: bytes up to the first line,
 * one MOVDIR64B per whole line, bytes after. At offset 0 and whole lines
 * it is nothing but the MOVDIR64B loop.
 */
__attribute__((target("movdir64b")))
static PLAIN void
plain_movdir64b(uint8_t *dst, const uint8_t *src, size_t len)
{
	size_t head = (64 - ((uintptr_t)dst & 63)) & 63;

	if (head > len)
		head = len;
	tail_bytes(dst, src, head);
	dst += head, src += head, len -= head;
	for (; len >= 64; len -= 64, dst += 64, src += 64)
		_movdir64b(dst, src);
	tail_bytes(dst, src, len);
}

/*
 * The AVX-512 body is what wc_mmio_copy_to(WC, 64) uses on a CPU with
 * AVX-512 but no MOVDIR64B; here, with both, it is reached through the
 * library's own table of bodies, so it is measured too.
 */
static const struct wc_mmio_wc_body *avx512_body;
/*
 * Its copy, kept like a slot of wc_mmio_wc_copy_slot[]: one load and one
 * indirect call per copy, what wc_mmio_copy_to() costs on a CPU that
 * picks it (through avx512_body it would be two dependent loads).
 */
static void (*avx512_copy_to)(volatile void *dst, const void *src, size_t len);

TIMED(ours_wc64_avx512,
	__atomic_load_n(&avx512_copy_to, __ATOMIC_RELAXED)(dst, src, len))
#endif

/*
 * The baselines, timed: each called through a pointer loaded for every
 * copy, as ours is through its slot, so both sides pay the same call.
 */
#define TIMED_PLAIN(name, plain) \
static void (*const volatile name##_call)(uint8_t *, const uint8_t *, \
		size_t) = (plain); \
TIMED(name, name##_call(dst, src, len))

TIMED_PLAIN(base_pieces, plain_pieces)
TIMED_PLAIN(base_w8, plain_w8)
TIMED_PLAIN(base_w16, plain_w16)
#if defined(__x86_64__)
TIMED_PLAIN(base_w32, plain_w32)
TIMED_PLAIN(base_w64, plain_w64)
TIMED_PLAIN(base_movdir64b, plain_movdir64b)
#endif

/* memcpy's own function, through a pointer like the rest. */
static PLAIN void
plain_memcpy(uint8_t *dst, const uint8_t *src, size_t len)
{
	memcpy(dst, src, len);
}
TIMED_PLAIN(copy_memcpy, plain_memcpy)

/*
 * The plain loop of the store our copy uses at width w (its kind: a
 * MOVDIR64B copy is compared with a MOVDIR64B loop, not with AVX-512
 * stores), or NULL when this CPU cannot run one.
 */
static copy_fn
plain_loop(unsigned int w, const char *kind)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();

	switch (w) {
	case 8:
		return base_w8;
	case 16:
		return base_w16;
#if defined(__x86_64__)
	case 32:
		return cpu->avx ? base_w32 : NULL;
	case 64:
		if (strcmp(kind, "movdir64b") == 0)
			return base_movdir64b;
		return cpu->avx512f ? base_w64 : NULL;
#endif
	}
	(void)cpu;
	(void)kind;
	return NULL;
}

/* ---- timing ----------------------------------------------------------- */

struct timing {
	double med;	/* ns per copy, median of the samples */
	double min;	/* ns per copy, fastest sample (best of N) */
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define GUARD_BYTE 0xa5

/*
 * Run fn once into a cleared destination with guard bytes on both sides
 * and check the copy: every byte arrived and nothing around it changed.
 * A copy the compiler dropped, or one that cheats, fails here.
 */
static void
check_copy(copy_fn fn, const char *name, size_t len, size_t off)
{
	size_t i;

	memset(dst_buf, GUARD_BYTE, sizeof(dst_buf));
	memset(dst_buf + off, 0, len);
	fn(dst_buf + off, src_buf, len, 1);
	BARRIER();
	for (i = 0; i < sizeof(dst_buf); i++) {
		uint8_t want = i >= off && i < off + len ? src_buf[i - off] :
			GUARD_BYTE;

		if (dst_buf[i] != want) {
			printf("wc_mmio_bench: %s copied %zu B at offset %zu wrong (byte %zu)\n",
				name, len, off, i);
			exit(2);
		}
	}
}

/* One sample: reps copies, ns per copy. */
static double
sample(copy_fn fn, size_t len, size_t off, size_t reps)
{
	double t0 = now_ns();

	fn(dst_buf + off, src_buf, len, reps);
	return (now_ns() - t0) / reps;
}

/*
 * Time n copies (1 or 2) side by side: one warm-up sample each, then
 * NB_SAMPLES rounds of one sample of each in turn.
 */
static void
measure(copy_fn const *fn, struct timing *t, unsigned int n, size_t len,
		size_t off)
{
	double samples[2][NB_SAMPLES];
	size_t reps = SAMPLE_BYTES / (len + 64);
	unsigned int k;
	int s;

	if (reps < MIN_REPS)
		reps = MIN_REPS;
	for (s = -1; s < NB_SAMPLES; s++)
		for (k = 0; k < n; k++) {
			double ns = sample(fn[k], len, off, reps);

			if (s >= 0)
				samples[k][s] = ns;
		}
	for (k = 0; k < n; k++) {
		qsort(samples[k], NB_SAMPLES, sizeof(samples[k][0]), cmp_double);
		t[k].med = samples[k][NB_SAMPLES / 2];
		t[k].min = samples[k][0];
	}
}

/* ---- output ----------------------------------------------------------- */

/* Columns of the summary: UC, WC at each width, the AVX-512 body. */
#define COL_UC		0
#define COL_WC(wi)	(1 + (wi))
#define COL_AVX512	(1 + NB_WIDTHS)
#define NB_COLS		(2 + NB_WIDTHS)

static const char *col_name[NB_COLS];
/* Per size and column: log-sum and count of ours/base, and the worst. */
static double ratio_log[NB_SIZES][NB_COLS];
static double ratio_max[NB_SIZES][NB_COLS];
static size_t ratio_max_off[NB_SIZES][NB_COLS];
static double ratio_at0[NB_SIZES][NB_COLS];	/* destination at a line */
static int ratio_n[NB_SIZES][NB_COLS];

static void
row(size_t si, size_t off, int col, const char *ours_name,
		const char *kind, copy_fn ours, const char *base_name,
		copy_fn base, double memcpy_ns)
{
	copy_fn fn[2] = { ours, base };
	struct timing t[2];
	size_t len = sizes[si];
	double ratio;

	check_copy(ours, ours_name, len, off);
	check_copy(base, base_name, len, off);
	measure(fn, t, 2, len, off);
	ratio = t[0].min / t[1].min;
	printf("%6zu %3zu  %-6s %-9s %8.2f %8.2f %6.2f | %-8s %8.2f %8.2f %6.2f |"
		" %6.2f %7.2f\n",
		len, off, ours_name, kind, t[0].min, t[0].med, len / t[0].min,
		base_name, t[1].min, t[1].med, len / t[1].min, ratio,
		t[0].min / memcpy_ns);
	if (col_name[col] == NULL)
		col_name[col] = strdup(ours_name);
	ratio_log[si][col] += log(ratio);
	if (off == 0)
		ratio_at0[si][col] = ratio;
	if (ratio_n[si][col] == 0 || ratio > ratio_max[si][col]) {
		ratio_max[si][col] = ratio;
		ratio_max_off[si][col] = off;
	}
	ratio_n[si][col]++;
}

static double
memcpy_best(size_t len, size_t off)
{
	copy_fn fn[1] = { copy_memcpy };
	struct timing t;

	check_copy(copy_memcpy, "memcpy", len, off);
	measure(fn, &t, 1, len, off);
	return t.min;
}

static void
print_timings(void)
{
	const char *kind, *uc_kind;
	char name[8], base[16];
	size_t si, oi, off;
	unsigned int wi, got;
	copy_fn loop;
	double mc;

	wc_mmio_store_width(WC_MMIO_UC, 0, &uc_kind);
	printf("Timings (ordinary write-back memory of this machine, NOT MMIO:"
		" CPU cost only; compare ratios, not absolute times; not hardware"
		" bus numbers, and meaningless under an emulator)\n");
	printf("ns: per copy, best (best of %d samples) and median;"
		" B/ns = bytes / best ns\n", NB_SAMPLES);
	printf("o/base: our best over the baseline's best, the two sampled"
		" in turn; o/mc: over memcpy's best\n\n");
	printf("%6s %3s  %-6s %-9s %8s %8s %6s | %-8s %8s %8s %6s | %6s %7s\n",
		"size", "off", "ours", "store", "best ns", "med ns", "B/ns",
		"base", "best ns", "med ns", "B/ns", "o/base", "o/mc");
	for (si = 0; si < NB_SIZES; si++) {
		for (oi = 0; oi < NB_OFFSETS; oi++) {
			off = offsets[oi];
			mc = memcpy_best(sizes[si], off);
			row(si, off, COL_UC, "uc", uc_kind, ours_uc, "pieces",
				base_pieces, mc);
			for (wi = 0; wi < NB_WIDTHS; wi++) {
				got = wc_mmio_store_width(WC_MMIO_WC, widths[wi], &kind);
				loop = plain_loop(got, kind);
				if (got != widths[wi] || loop == NULL)
					continue;
				snprintf(name, sizeof(name), "wc%u", got);
				snprintf(base, sizeof(base), "%s%u",
					strcmp(kind, "movdir64b") == 0 ? "md" : "loop",
					got);
				row(si, off, COL_WC(wi), name, kind, ours_wc[wi],
					base, loop, mc);
			}
#if defined(__x86_64__)
			if (avx512_body != NULL)
				row(si, off, COL_AVX512, "wc64b", "avx512f",
					ours_wc64_avx512, "loop64", base_w64, mc);
#endif
			printf("%6zu %3zu  %-6s %-9s %8.2f\n", sizes[si], off,
				"memcpy", "", mc);
		}
	}
}

/*
 * The summary the acceptance of issue 13 reads: per size, ours over its
 * baseline as the geometric mean over the offsets and the worst offset.
 * Returns the worst geometric mean at sizes of 64 B and more, over the
 * WC columns (*uc_worst: the UC column's, at every size).
 */
static double
print_summary(double *uc_worst, double *wc_worst_off, double *uc_worst_off)
{
	size_t si, oi;
	int c;
	double g, worst = 0;

	*uc_worst = 0;
	*wc_worst_off = 0;
	*uc_worst_off = 0;
	printf("\nours/base by size: geometric mean over offsets");
	for (oi = 0; oi < NB_OFFSETS; oi++)
		printf("%s%zu", oi ? "," : " ", offsets[oi]);
	printf(" (worst: ratio@offset); below 1: ours is faster\n%6s", "size");
	for (c = 0; c < (int)NB_COLS; c++)
		if (ratio_n[0][c] != 0)
			printf("  %15s", col_name[c]);
	printf("\n");
	for (si = 0; si < NB_SIZES; si++) {
		printf("%6zu", sizes[si]);
		for (c = 0; c < (int)NB_COLS; c++) {
			if (ratio_n[si][c] == 0)
				continue;
			g = exp(ratio_log[si][c] / ratio_n[si][c]);
			printf("  %5.2f (%4.2f@%-2zu)", g, ratio_max[si][c],
				ratio_max_off[si][c]);
			if (c == COL_UC && g > *uc_worst)
				*uc_worst = g;
			if (c != COL_UC && sizes[si] >= 64 && g > worst)
				worst = g;
			/* The aims hold at every offset, not on average. */
			if (c == COL_UC && ratio_max[si][c] > *uc_worst_off)
				*uc_worst_off = ratio_max[si][c];
			if (c != COL_UC && sizes[si] >= 64 &&
			    ratio_max[si][c] > *wc_worst_off)
				*wc_worst_off = ratio_max[si][c];
		}
		printf("\n");
	}

	/* A destination at a line, where MOVDIR64B's loop needs no bytes. */
	printf("\nours/base at offset 0 (destination at a 64-byte line)\n%6s", "size");
	for (c = 0; c < (int)NB_COLS; c++)
		if (ratio_n[0][c] != 0)
			printf("  %7s", col_name[c]);
	printf("\n");
	for (si = 0; si < NB_SIZES; si++) {
		printf("%6zu", sizes[si]);
		for (c = 0; c < (int)NB_COLS; c++)
			if (ratio_n[si][c] != 0)
				printf("  %7.2f", ratio_at0[si][c]);
		printf("\n");
	}
	return worst;
}

/*
 * What an 8-byte copy costs beyond one plain 8-byte store: our copy of
 * each width (and the default, 0) against loop8 doing its single store,
 * at an aligned destination. Returns the largest difference in ns.
 */
static double
print_small(void)
{
	static const unsigned int caps[] = { 0, 8, 16, 32, 64 };
	static const copy_fn ours[] = {
		NULL, ours_wc8, ours_wc16, ours_wc32, ours_wc64,
	};
	copy_fn fn[2];
	struct timing t[2];
	const char *kind;
	unsigned int i;
	double d, worst = 0;

	printf("\n8-byte copy at offset 0 against one plain 8-byte store"
		" (loop8), best of %d, sampled in turn\n", NB_SAMPLES);
	printf("%-12s %-9s %8s %8s %8s\n", "copy", "store", "ours ns",
		"store ns", "extra ns");
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		fn[0] = ours[i] != NULL ? ours[i] : ours_wc_default;
		fn[1] = base_w8;
		wc_mmio_store_width(WC_MMIO_WC, caps[i], &kind);
		check_copy(fn[0], "ours", 8, 0);
		measure(fn, t, 2, 8, 0);
		d = t[0].min - t[1].min;
		printf("wc max %-5u %-9s %8.2f %8.2f %8.2f\n", caps[i], kind,
			t[0].min, t[1].min, d);
		if (d > worst)
			worst = d;
	}
	fn[0] = ours_uc;
	fn[1] = base_w8;
	measure(fn, t, 2, 8, 0);
	printf("%-12s %-9s %8.2f %8.2f %8.2f\n", "uc", "aligned", t[0].min,
		t[1].min, t[0].min - t[1].min);
	return worst;
}

/*
 * Bus writes per copy against the minimum (wc_mmio_tally.h). UC: stores,
 * against the fewest naturally aligned pieces. WC: the 64-byte lines
 * written against the lines the range touches (what reaches the bus),
 * and the stores issued beside the plain loop's, for comparison. Every
 * width is counted, whatever this CPU runs (the counts are the split's),
 * and MOVDIR64B's aligned split as md64. Returns the number of counts
 * above their minimum, and of copies breaking their rules.
 */
static unsigned int
print_counts(void)
{
	static const struct { unsigned int width; int aligned; const char *name; }
	wc[] = {
		{ 8, 0, "wc8" }, { 16, 0, "wc16" }, { 32, 0, "wc32" },
		{ 64, 0, "wc64" }, { 64, 1, "md64" },
	};
	struct wc_mmio_tally t;
	size_t si, oi, len, min_st, min_ln, plain;
	uintptr_t d;
	unsigned int wi, nb_over = 0;
	int over;

	printf("\nBus writes per copy (hold on hardware: one UC store is one"
		" write; a WC mapping sends the 64-byte lines its buffer merges)\n");
	printf("uc: stores/fewest aligned pieces. wc: stores issued/the plain"
		" loop's (comparison, not a minimum: WC stores may be unaligned"
		" and overlap inside the range), then lines written/lines the"
		" range touches (the minimum; a line's buffer counted as sent"
		" the moment it is full, and at the end); '!' marks a count"
		" above its"
		" minimum or a store outside the range\n\n");
	printf("%6s %3s %11s", "size", "off", "uc st");
	for (wi = 0; wi < sizeof(wc) / sizeof(wc[0]); wi++)
		printf("  %5s st/loop lines", wc[wi].name);
	printf("\n");
	for (si = 0; si < NB_SIZES; si++) {
		for (oi = 0; oi < NB_OFFSETS; oi++) {
			len = sizes[si];
			d = (uintptr_t)(dst_buf + offsets[oi]);
			wc_mmio_tally_uc(dst_buf + offsets[oi], src_buf, len, &t);
			min_st = wc_mmio_min_stores(d, len);
			over = t.stores != min_st || t.bad != 0 ||
			    t.stores != wc_mmio_store_count(d, len, WC_MMIO_UC, 0);
			nb_over += over;
			printf("%6zu %3zu %5zu/%-5zu%c", len, offsets[oi], t.stores,
				min_st, over ? '!' : ' ');
			min_ln = wc_mmio_min_lines(d, len);
			for (wi = 0; wi < sizeof(wc) / sizeof(wc[0]); wi++) {
				wc_mmio_tally_wc(dst_buf + offsets[oi], src_buf, len,
					wc[wi].width, wc[wi].aligned, &t);
				plain = wc_mmio_plain_stores(d, len, wc[wi].width,
					wc[wi].aligned);
				over = t.lines != min_ln || t.bad != 0;
				printf(" %5zu/%-5zu %4zu/%-4zu%c", t.stores, plain,
					t.lines, min_ln, over ? '!' : ' ');
				nb_over += over;
			}
			printf("\n");
		}
	}
	return nb_over;
}

#if defined(__x86_64__)
static void
find_avx512_body(void)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();
	const struct wc_mmio_wc_body *b;
	const char *kind;
	unsigned int i, nb;

	/* Only when wc_mmio_copy_to(WC, 64) is not already that body. */
	wc_mmio_store_width(WC_MMIO_WC, 64, &kind);
	if (!cpu->avx512f || strcmp(kind, "avx512f") == 0)
		return;
	b = wc_mmio_wc_arch_bodies(&nb);
	for (i = 0; i < nb; i++)
		if (strcmp(b[i].name, "avx512f") == 0) {
			avx512_body = &b[i];
			avx512_copy_to = b[i].copy_to;
		}
}
#endif

int
main(void)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();
	unsigned int nb_over;
	double wc_worst, uc_worst, small_worst, wc_worst_off, uc_worst_off;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(src_buf); i++)
		src_buf[i] = (uint8_t)(i * 37 + 11);
#if defined(__x86_64__)
	find_avx512_body();
#endif
	printf("wc_mmio_bench: cpu %s%s%s%s%s%s, widest WC store %u\n",
		cpu->arch, cpu->sse2 ? " sse2" : "", cpu->avx ? " avx" : "",
		cpu->avx512f ? " avx512f" : "", cpu->movdir64b ? " movdir64b" : "",
		cpu->neon ? " neon" : "", cpu->max_width);
	printf("buffers: ordinary write-back memory (this program maps no"
		" device); source 64-byte aligned, destination at each offset"
		" from a 64-byte line\n");
	printf("TIMINGS ARE OF THIS MACHINE'S CACHED MEMORY, NOT OF A DEVICE:"
		" they are not hardware MMIO numbers (and under qemu-user or TCG"
		" not even CPU numbers); the bus-write counts below hold on"
		" hardware\n\n");
	print_timings();
	wc_worst = print_summary(&uc_worst, &wc_worst_off, &uc_worst_off);
	small_worst = print_small();
	nb_over = print_counts();
	printf("\nwc_mmio_bench: measured here (not a pass/fail test):"
		" WC copy/plain loop at >= 64 B worst at any offset %.2f,"
		" worst size-mean %.2f (aim <= 1.10);"
		" UC copy/pieces loop worst at any size and offset %.2f,"
		" worst size-mean %.2f (aim <= 1.10);"
		" 8-byte copy extra over one store %.2f ns (aim <= 2)\n",
		wc_worst_off, wc_worst, uc_worst_off, uc_worst, small_worst);
	printf("wc_mmio_bench: counts %s\n", nb_over ?
		"ABOVE the minimum (see '!')" : "all at the minimum");
	return nb_over ? 1 : 0;
}
