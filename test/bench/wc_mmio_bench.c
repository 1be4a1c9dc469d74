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
 * Timings are of cached memory, not MMIO: they show what the copies cost
 * the CPU (ratios to the loops are the point), not bus behaviour. The
 * second table, the stores each copy issues against the fewest possible
 * and the 64-byte lines written, is what holds on hardware.
 *
 * Exit status 0; 1 when some copy issues more stores or lines than the
 * minimum (which test/unit/test_wc_mmio_counts.c also asserts).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wc_mmio.h"
#include "wc_mmio_tally.h"

#define BUF_MAX		65536
#define NB_SAMPLES	7	/* samples per measurement, median reported */
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

typedef void (*copy_fn)(uint8_t *dst, const uint8_t *src, size_t len);

/* Keeps the compiler from dropping or merging copies between calls. */
#define BARRIER() __asm__ volatile("" : : : "memory")

/* ---- ours ------------------------------------------------------------- */

static __attribute__((noinline)) void
ours_uc(uint8_t *dst, const uint8_t *src, size_t len)
{
	wc_mmio_copy_to(dst, src, len, WC_MMIO_UC, 0);
}

#define OURS_WC(w) \
static __attribute__((noinline)) void \
ours_wc##w(uint8_t *dst, const uint8_t *src, size_t len) \
{ \
	wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, w); \
}
OURS_WC(8)
OURS_WC(16)
OURS_WC(32)
OURS_WC(64)

static const copy_fn ours_wc[NB_WIDTHS] = {
	ours_wc8, ours_wc16, ours_wc32, ours_wc64,
};

/* ---- baselines -------------------------------------------------------- */

/* The aligned pieces the UC copy issues, found one by one: largest first. */
static __attribute__((noinline)) void
loop_pieces(uint8_t *dst, const uint8_t *src, size_t len)
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
attr static __attribute__((noinline)) void \
loop_w##w(uint8_t *dst, const uint8_t *src, size_t len) \
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

static __attribute__((noinline)) void
copy_memcpy(uint8_t *dst, const uint8_t *src, size_t len)
{
	memcpy(dst, src, len);
}

/* The plain loop of width w, or NULL when this CPU cannot run it. */
static copy_fn
plain_loop(unsigned int w)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();

	switch (w) {
	case 8:
		return loop_w8;
	case 16:
		return loop_w16;
#if defined(__x86_64__)
	case 32:
		return cpu->avx ? loop_w32 : NULL;
	case 64:
		/* MOVDIR64B alone has no plain 64-byte store to loop with. */
		return cpu->avx512f ? loop_w64 : NULL;
#endif
	}
	(void)cpu;
	return NULL;
}

/* ---- timing ----------------------------------------------------------- */

struct timing {
	double med;	/* ns per copy, median of the samples */
	double min;	/* ns per copy, fastest sample */
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

/* One warm-up sample, then NB_SAMPLES of reps copies each. */
static struct timing
measure(copy_fn fn, size_t len, size_t off)
{
	double samples[NB_SAMPLES], t0;
	size_t reps = SAMPLE_BYTES / (len + 64), r;
	struct timing t;
	int s;

	if (reps < MIN_REPS)
		reps = MIN_REPS;
	for (s = -1; s < NB_SAMPLES; s++) {
		t0 = now_ns();
		for (r = 0; r < reps; r++) {
			fn(dst_buf + off, src_buf, len);
			BARRIER();
		}
		if (s >= 0)
			samples[s] = (now_ns() - t0) / reps;
	}
	qsort(samples, NB_SAMPLES, sizeof(samples[0]), cmp_double);
	t.med = samples[NB_SAMPLES / 2];
	t.min = samples[0];
	return t;
}

/* ---- output ----------------------------------------------------------- */

/* Geometric mean of ours/loop over the offsets, per size and copy. */
static double ratio_log[NB_SIZES][NB_WIDTHS + 1];
static int ratio_n[NB_SIZES][NB_WIDTHS + 1];

static void
row(size_t si, size_t off, int col, const char *ours_name,
		const char *kind, copy_fn ours, const char *base_name,
		copy_fn base, double memcpy_ns)
{
	size_t len = sizes[si];
	struct timing o = measure(ours, len, off);
	struct timing b = measure(base, len, off);

	printf("%6zu %3zu  %-5s %-9s %8.2f %8.2f %6.2f | %-7s %8.2f %8.2f %6.2f |"
		" %6.2f %7.2f\n",
		len, off, ours_name, kind, o.med, o.min, len / o.med,
		base_name, b.med, b.min, len / b.med, o.med / b.med,
		o.med / memcpy_ns);
	ratio_log[si][col] += log(o.med / b.med);
	ratio_n[si][col]++;
}

static void
print_timings(void)
{
	const char *kind, *uc_kind;
	char name[8], base[8];
	size_t si, oi, off;
	unsigned int wi, got;
	double mc;

	wc_mmio_store_width(WC_MMIO_UC, 0, &uc_kind);
	printf("Timings (ordinary write-back memory, NOT MMIO: CPU cost only;"
		" compare ratios, not absolute times)\n");
	printf("ns: per copy, median of %d samples (min: fastest);"
		" B/ns = bytes / median ns\n", NB_SAMPLES);
	printf("ours/base: our median over the baseline's;"
		" ours/mc: over memcpy's median\n\n");
	printf("%6s %3s  %-5s %-9s %8s %8s %6s | %-7s %8s %8s %6s | %6s %7s\n",
		"size", "off", "ours", "store", "med ns", "min ns", "B/ns",
		"base", "med ns", "min ns", "B/ns", "o/base", "o/mc");
	for (si = 0; si < NB_SIZES; si++) {
		for (oi = 0; oi < NB_OFFSETS; oi++) {
			off = offsets[oi];
			mc = measure(copy_memcpy, sizes[si], off).med;
			row(si, off, 0, "uc", uc_kind, ours_uc, "pieces",
				loop_pieces, mc);
			for (wi = 0; wi < NB_WIDTHS; wi++) {
				got = wc_mmio_store_width(WC_MMIO_WC, widths[wi], &kind);
				if (got != widths[wi] || plain_loop(got) == NULL)
					continue;
				snprintf(name, sizeof(name), "wc%u", got);
				snprintf(base, sizeof(base), "loop%u", got);
				row(si, off, wi + 1, name, kind, ours_wc[wi], base,
					plain_loop(got), mc);
			}
			printf("%6zu %3zu  %-5s %-9s %8.2f\n", sizes[si], off,
				"memcpy", "", mc);
		}
	}

	printf("\nours/loop by size (geometric mean over offsets");
	for (oi = 0; oi < NB_OFFSETS; oi++)
		printf("%s%zu", oi ? "," : " ", offsets[oi]);
	printf("; below 1: ours is faster)\n%6s %10s", "size", "uc/pieces");
	for (wi = 0; wi < NB_WIDTHS; wi++)
		if (ratio_n[0][wi + 1] != 0)
			printf("  wc%u/loop%u", widths[wi], widths[wi]);
	printf("\n");
	for (si = 0; si < NB_SIZES; si++) {
		printf("%6zu %10.2f", sizes[si],
			exp(ratio_log[si][0] / ratio_n[si][0]));
		for (wi = 0; wi < NB_WIDTHS; wi++)
			if (ratio_n[si][wi + 1] != 0)
				printf("  %*.2f", widths[wi] < 10 ? 9 : 11,
					exp(ratio_log[si][wi + 1] / ratio_n[si][wi + 1]));
		printf("\n");
	}
}

/*
 * Stores and lines per copy against the minimum (wc_mmio_tally.h). Every
 * width is counted, whatever this CPU runs: the counts are the split's.
 * Returns the number of counts above their minimum.
 */
static unsigned int
print_counts(void)
{
	struct wc_mmio_tally t;
	size_t si, oi, len, min_st, min_ln;
	uintptr_t d;
	unsigned int wi, nb_over = 0;

	printf("\nBus writes per copy (hold on hardware: one UC store is one"
		" write; WC stores merge only within a 64-byte line)\n");
	printf("stores/minimum stores; WC also lines written/lines the range"
		" touches; '!' marks a count above its minimum\n\n");
	printf("%6s %3s %11s", "size", "off", "uc st");
	for (wi = 0; wi < NB_WIDTHS; wi++)
		printf("   wc%-2u st    lines", widths[wi]);
	printf("\n");
	for (si = 0; si < NB_SIZES; si++) {
		for (oi = 0; oi < NB_OFFSETS; oi++) {
			len = sizes[si];
			d = (uintptr_t)(dst_buf + offsets[oi]);
			wc_mmio_tally_uc(dst_buf + offsets[oi], src_buf, len, &t);
			min_st = wc_mmio_min_stores(d, len, 0);
			if (t.stores != min_st ||
			    t.stores != wc_mmio_store_count(d, len, WC_MMIO_UC, 0))
				nb_over++;
			printf("%6zu %3zu %5zu/%-5zu", len, offsets[oi], t.stores,
				min_st);
			min_ln = wc_mmio_min_lines(d, len);
			for (wi = 0; wi < NB_WIDTHS; wi++) {
				wc_mmio_tally_wc(dst_buf + offsets[oi], src_buf, len,
					widths[wi], &t);
				min_st = wc_mmio_min_stores(d, len, widths[wi]);
				printf(" %5zu/%-5zu%c %4zu/%-4zu%c", t.stores, min_st,
					t.stores != min_st ? '!' : ' ', t.lines, min_ln,
					t.lines != min_ln ? '!' : ' ');
				nb_over += (t.stores != min_st) + (t.lines != min_ln);
			}
			printf("\n");
		}
	}
	return nb_over;
}

int
main(void)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();
	unsigned int nb_over;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(src_buf); i++)
		src_buf[i] = (uint8_t)(i * 37 + 11);
	printf("wc_mmio_bench: cpu %s%s%s%s%s%s, widest WC store %u\n",
		cpu->arch, cpu->sse2 ? " sse2" : "", cpu->avx ? " avx" : "",
		cpu->avx512f ? " avx512f" : "", cpu->movdir64b ? " movdir64b" : "",
		cpu->neon ? " neon" : "", cpu->max_width);
	printf("buffers: ordinary write-back memory (this program maps no"
		" device); source 64-byte aligned, destination at each offset"
		" from a 64-byte line\n\n");
	print_timings();
	nb_over = print_counts();
	printf("\nwc_mmio_bench: counts %s\n", nb_over ?
		"ABOVE the minimum (see '!')" : "all at the minimum");
	return nb_over ? 1 : 0;
}
