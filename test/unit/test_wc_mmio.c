/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit test of the MMIO copy primitives (lib/wc_mmio*.c) on ordinary
 * memory. Device behaviour (arm64 faults, PAT types) is the guest rig's
 * job; here we prove what the primitives themselves promise:
 *
 *  - every copy, for every length 0..256 x source offset 0..63 x
 *    destination offset 0..63, writes exactly the source bytes and not one
 *    byte outside the destination (guard areas around it hold a pattern),
 *    for UC and for WC at each store width this CPU runs;
 *  - copy_from and verify, over the same matrix;
 *  - the UC copies issue only naturally aligned 1/2/4/8-byte accesses
 *    (a second, traced build of lib/wc_mmio_uc.c records each access);
 *  - the WC splits store only inside the destination, the source's own
 *    bytes (overlapping stores rewrite the same values), and MOVDIR64B's
 *    aligned split stores each whole block at a block-aligned address,
 *    even on a CPU without MOVDIR64B;
 *  - no copy reads outside its source (sources next to PROT_NONE pages).
 *
 * Exit status 0: all passed; 1: something failed (first failures printed).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "wc_mmio.h"
#include "wc_mmio_internal.h"

#define MAX_LEN		256	/* lengths 0..MAX_LEN */
#define NB_OFF		64	/* offsets 0..NB_OFF-1, one cache line */
#define GUARD		64	/* pattern bytes before and after */
#define AREA		(GUARD + NB_OFF + MAX_LEN + GUARD)
#define MAX_SHOWN	20	/* failures printed in full */

/* Destination side (with guards) and source side of every case. */
static uint8_t area[AREA] __attribute__((aligned(64)));
static uint8_t pattern[AREA];
static uint8_t data[NB_OFF + MAX_LEN] __attribute__((aligned(64)));
static uint8_t expect[NB_OFF + MAX_LEN] __attribute__((aligned(64)));

static unsigned long nb_cases;
static unsigned long nb_failed;
static const char *volatile current_test = "init";

static void
fail(const char *what, size_t len, size_t soff, size_t doff)
{
	if (nb_failed < MAX_SHOWN)
		printf("FAIL %s: %s (len %zu, src offset %zu, dst offset %zu)\n",
			current_test, what, len, soff, doff);
	nb_failed++;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A fault is a failure too: say in which test, with async-signal-safe calls. */
static void
say_raw(const char *msg)
{
	(void)!write(STDOUT_FILENO, msg, strlen(msg));
}

static void
on_fault(int sig)
{
	(void)sig;
	say_raw("FAIL ");
	say_raw(current_test);
	say_raw(": fault (an access outside the buffers?)\n");
	_exit(1);
}

/*
 * Check the destination area after a copy of len bytes to
 * area + GUARD + doff from src, then put the pattern back.
 */
static void
check_area(const uint8_t *src, size_t len, size_t soff, size_t doff)
{
	size_t start = GUARD + doff;

	nb_cases++;
	if (memcmp(area, pattern, start) != 0)
		fail("wrote before the destination", len, soff, doff);
	else if (memcmp(area + start + len, pattern + start + len,
			AREA - start - len) != 0)
		fail("wrote after the destination", len, soff, doff);
	else if (memcmp(area + start, src, len) != 0)
		fail("destination differs from the source", len, soff, doff);
	else {
		memcpy(area + start, pattern + start, len);
		return;
	}
	memcpy(area, pattern, AREA);
}

typedef void (*copy_fn)(const void *ctx, uint8_t *dst, const uint8_t *src,
		size_t len);

/* The length x source offset x destination offset matrix of one copy. */
static void
run_matrix(copy_fn copy, const void *ctx)
{
	size_t len, soff, doff;

	for (len = 0; len <= MAX_LEN; len++)
		for (soff = 0; soff < NB_OFF; soff++)
			for (doff = 0; doff < NB_OFF; doff++) {
				copy(ctx, area + GUARD + doff, data + soff, len);
				check_area(data + soff, len, soff, doff);
			}
}

static void
copy_uc(const void *ctx, uint8_t *dst, const uint8_t *src, size_t len)
{
	(void)ctx;
	wc_mmio_copy_to(dst, src, len, WC_MMIO_UC, 0);
}

static void
copy_wc_api(const void *ctx, uint8_t *dst, const uint8_t *src, size_t len)
{
	wc_mmio_copy_to(dst, src, len, WC_MMIO_WC, *(const unsigned int *)ctx);
}

/* A body's own whole copy, the one wc_mmio_copy_to() calls once resolved. */
static void
copy_wc_copy_to(const void *ctx, uint8_t *dst, const uint8_t *src, size_t len)
{
	((const struct wc_mmio_wc_body *)ctx)->copy_to(dst, src, len);
}

static void
copy_from(const void *ctx, uint8_t *dst, const uint8_t *src, size_t len)
{
	(void)ctx;
	wc_mmio_copy_from(dst, src, len);
}

/* ---- tests ------------------------------------------------------------ */

static char cpu_line[128];

static void
test_cpu(void)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();

	if (cpu != wc_mmio_cpu() || cpu->arch == NULL)
		fail("wc_mmio_cpu() not cached or no arch", 0, 0, 0);
	if (cpu->max_width != wc_mmio_wc_pick(0)->width)
		fail("max_width differs from the best WC store", 0, 0, 0);
#if defined(__x86_64__)
	/* Cross-check with the compiler's own detection (it reads XCR0 too). */
	__builtin_cpu_init();
	if (!cpu->sse2)
		fail("x86_64 without SSE2", 0, 0, 0);
	if (cpu->avx != !!__builtin_cpu_supports("avx"))
		fail("AVX detection disagrees with __builtin_cpu_supports", 0, 0, 0);
	if (cpu->avx512f != !!__builtin_cpu_supports("avx512f"))
		fail("AVX-512F detection disagrees with __builtin_cpu_supports", 0, 0, 0);
#endif
	snprintf(cpu_line, sizeof(cpu_line), "%s%s%s%s%s%s (max store %u)",
		cpu->arch, cpu->sse2 ? " sse2" : "", cpu->avx ? " avx" : "",
		cpu->avx512f ? " avx512f" : "",
		cpu->movdir64b ? " movdir64b" : "", cpu->neon ? " neon" : "",
		cpu->max_width);
}

static void
test_attr_name(void)
{
	if (strcmp(wc_mmio_attr_name(WC_MMIO_UC), "uc") != 0 ||
	    strcmp(wc_mmio_attr_name(WC_MMIO_WC), "wc") != 0 ||
	    strcmp(wc_mmio_attr_name((enum wc_mmio_attr)7), "unknown") != 0)
		fail("attribute names", 0, 0, 0);
}

/* max_width caps the store: the widest width <= the cap the CPU has. */
static void
test_width_choice(void)
{
	static const unsigned int caps[] = {
		0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65,
		128, 4096, ~0U,
	};
	unsigned int i, cap, want, got, cpu_max = wc_mmio_cpu()->max_width;
	const char *kind = NULL;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		cap = caps[i];
		if (cap == 0 || cap >= cpu_max)
			want = cpu_max;
		else if (cap >= 32)
			want = 32;
		else if (cap >= 16)
			want = 16;
		else
			want = 8;
		got = wc_mmio_store_width(WC_MMIO_WC, cap, &kind);
		if (got != want || kind == NULL ||
		    got != wc_mmio_wc_pick(cap)->width)
			fail("store width for a max_width", cap, 0, 0);
	}
	got = wc_mmio_store_width(WC_MMIO_UC, 64, &kind);
	if (got != 8 || strcmp(kind, "aligned") != 0)
		fail("UC store width", 0, 0, 0);
}

static void
test_uc_copy_to(void)
{
	run_matrix(copy_uc, NULL);
}

/*
 * Every WC body this CPU runs. A body the public API picks for its width
 * goes through wc_mmio_copy_to(..., max_width = width); one it never
 * picks (AVX-512F where MOVDIR64B wins) through the internal split.
 */
static char widths_line[160];

static void
test_wc_copy_to(void)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();
	const struct wc_mmio_wc_body *bodies, *b;
	unsigned int i, nb, width;
	int n = 0;

	bodies = wc_mmio_wc_arch_bodies(&nb);
	for (i = 0; i <= nb; i++) {
		b = i < nb ? &bodies[i] : &wc_mmio_wc_gpr;
		if (!b->usable(cpu)) {
			printf("  wc %-9s %2u B: not on this CPU\n", b->name, b->width);
			continue;
		}
		current_test = b->name;
		width = b->width;
		if (wc_mmio_wc_pick(width) == b) {
			run_matrix(copy_wc_api, &width);
		} else {
			run_matrix(copy_wc_copy_to, b);
		}
		n += snprintf(widths_line + n, sizeof(widths_line) - n,
			"%s%s %u", n ? ", " : "", b->name, width);
	}
	current_test = "wc_copy_to";
	/* And the default (best) choice once more through the API. */
	width = 0;
	run_matrix(copy_wc_api, &width);
}

/*
 * The splits themselves, with a stand-in store that checks each store it
 * is given: inside the destination, carrying the source's bytes for its
 * addresses (so an overlapping store rewrites what is there), and, in the
 * aligned split (MOVDIR64B's), every block of the width at a multiple of
 * it, with every whole aligned block of the range stored that way. This
 * is the guarantee MOVDIR64B relies on, checked even where the CPU has
 * no MOVDIR64B. Every width 8..64, both splits.
 */
static uintptr_t fake_d0;
static const uint8_t *fake_s0;
static size_t fake_len, fake_width, fake_blocks;
static int fake_aligned;

static void
fake_store(uintptr_t addr, const uint8_t *src, size_t size)
{
	if (addr < fake_d0 || size > fake_len || addr - fake_d0 > fake_len - size) {
		fail("store outside the destination", fake_len, 0, addr - fake_d0);
		return;
	}
	if ((uintptr_t)(src - fake_s0) != addr - fake_d0)
		fail("store of the wrong source bytes", fake_len, 0, addr - fake_d0);
	if (fake_aligned && size == fake_width) {
		if (addr % fake_width != 0)
			fail("aligned split: block not aligned", fake_len, 0,
				addr % fake_width);
		fake_blocks++;
	}
	memcpy((void *)addr, src, size);
}

static void
fake_split(uint8_t *dst, const uint8_t *src, size_t len)
{
	wc_mmio_wc_split_at(dst, src, len, fake_width, fake_aligned, fake_store);
}

static void
test_wc_split(void)
{
	size_t len, soff, doff, head, want;
	uint8_t *dst;

	for (fake_aligned = 0; fake_aligned < 2; fake_aligned++)
		for (fake_width = 8; fake_width <= 64; fake_width *= 2)
			for (len = 0; len <= MAX_LEN; len++)
				for (soff = 0; soff < NB_OFF; soff++)
					for (doff = 0; doff < NB_OFF; doff++) {
						dst = area + GUARD + doff;
						fake_d0 = (uintptr_t)dst;
						fake_s0 = data + soff;
						fake_len = len;
						fake_blocks = 0;
						fake_split(dst, data + soff, len);
						check_area(data + soff, len, soff, doff);
						if (!fake_aligned)
							continue;
						head = (fake_width - (GUARD + doff) % fake_width) % fake_width;
						want = len >= fake_width && len > head ?
							(len - head) / fake_width : 0;
						if (fake_blocks != want)
							fail("aligned split: not every whole block stored whole",
								len, soff, doff);
					}
}

static void
test_copy_from(void)
{
	run_matrix(copy_from, NULL);
}

/* Equal: returns len. One byte changed at k: returns k. */
static void
test_verify(void)
{
	size_t len, moff, eoff, k, got;

	for (len = 0; len <= MAX_LEN; len++)
		for (moff = 0; moff < NB_OFF; moff++)
			for (eoff = 0; eoff < NB_OFF; eoff++) {
				nb_cases++;
				memcpy(expect + eoff, data + moff, len);
				got = wc_mmio_verify(data + moff, expect + eoff, len);
				if (got != len)
					fail("verify of equal bytes", len, moff, eoff);
				if (len == 0)
					continue;
				/* Move the difference around the whole range. */
				k = (moff * 7 + eoff * 13 + len) % len;
				expect[eoff + k] ^= 0x80;
				got = wc_mmio_verify(data + moff, expect + eoff, len);
				expect[eoff + k] ^= 0x80;
				if (got != k)
					fail("verify missed the differing byte", len, moff, eoff);
			}
}

/* ---- UC access trace -------------------------------------------------- */

struct access {
	uintptr_t addr;
	size_t size;
	int store;
};

#define MAX_TRACE (MAX_LEN + 16)
static struct access trace[MAX_TRACE];
static size_t nb_trace;

/* The traced build of lib/wc_mmio_uc.c (see test/unit/meson.build). */
void wc_mmio_test_uc_access(uintptr_t addr, size_t size, int store);
void wc_mmio_uc_copy_to_traced(volatile void *dst, const void *src, size_t len);
void wc_mmio_uc_copy_from_traced(void *dst, const volatile void *src, size_t len);

void
wc_mmio_test_uc_access(uintptr_t addr, size_t size, int store)
{
	if (nb_trace < MAX_TRACE) {
		trace[nb_trace].addr = addr;
		trace[nb_trace].size = size;
		trace[nb_trace].store = store;
	}
	nb_trace++;
}

/*
 * The accesses must be 1, 2, 4 or 8 bytes, naturally aligned, of the
 * right direction, and tile [start, start + len) in order, once. And not
 * byte by byte: at most 3 pieces to reach 8-byte alignment, 3 after.
 */
static void
check_trace(uintptr_t start, size_t len, int store, size_t soff, size_t doff)
{
	uintptr_t next = start;
	size_t i;

	if (nb_trace > len / 8 + 6) {
		fail("more accesses than an aligned split needs", len, soff, doff);
		return;
	}
	for (i = 0; i < nb_trace; i++) {
		const struct access *a = &trace[i];

		if (a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8)
			fail("access size not 1/2/4/8", len, soff, doff);
		else if (a->addr % a->size != 0)
			fail("access not naturally aligned", len, soff, doff);
		else if (a->store != store)
			fail("access in the wrong direction", len, soff, doff);
		else if (a->addr != next)
			fail("accesses do not tile the range in order", len, soff, doff);
		else {
			next += a->size;
			continue;
		}
		return;
	}
	if (next != start + len)
		fail("accesses do not cover the range", len, soff, doff);
}

static void
test_uc_trace(void)
{
	size_t len, soff, doff;

	for (len = 0; len <= MAX_LEN; len++)
		for (soff = 0; soff < NB_OFF; soff++)
			for (doff = 0; doff < NB_OFF; doff++) {
				nb_trace = 0;
				wc_mmio_uc_copy_to_traced(area + GUARD + doff,
					data + soff, len);
				check_area(data + soff, len, soff, doff);
				check_trace((uintptr_t)(area + GUARD + doff), len, 1,
					soff, doff);
				/* What drivers report as bus writes. */
				if (wc_mmio_store_count((uintptr_t)(area + GUARD + doff),
						len, WC_MMIO_UC, 0) != nb_trace)
					fail("wc_mmio_store_count(UC) differs from the stores made",
						len, soff, doff);

				/* From: the mapping is the source side. */
				nb_trace = 0;
				wc_mmio_uc_copy_from_traced(area + GUARD + doff,
					data + soff, len);
				check_area(data + soff, len, soff, doff);
				check_trace((uintptr_t)(data + soff), len, 0, soff, doff);
			}
}

/* ---- source bounds ---------------------------------------------------- */

/*
 * Sources that start right after, or end right before, a PROT_NONE page:
 * a copy reading one byte too many (a wide load past the end, a
 * MOVDIR64B fed a partial block) dies with SIGSEGV, caught as a failure.
 */
static void
test_source_bounds(void)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();
	const struct wc_mmio_wc_body *bodies;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len, doff, side;
	unsigned int i, nb;
	uint8_t *map, *mid, *src;

	map = mmap(NULL, 3 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		fail("mmap of the guard pages", 0, 0, 0);
		return;
	}
	mid = map + page;
	if (mprotect(mid, page, PROT_READ | PROT_WRITE) != 0) {
		fail("mprotect of the middle page", 0, 0, 0);
		munmap(map, 3 * page);
		return;
	}
	for (len = 0; len < page; len++)
		mid[len] = (uint8_t)(len * 131 + 7);

	bodies = wc_mmio_wc_arch_bodies(&nb);
	for (len = 0; len <= MAX_LEN; len++)
		for (side = 0; side < 2; side++)
			for (doff = 0; doff < NB_OFF; doff++) {
				src = side == 0 ? mid : mid + page - len;
				current_test = "bounds uc";
				copy_uc(NULL, area + GUARD + doff, src, len);
				check_area(src, len, 0, doff);
				for (i = 0; i <= nb; i++) {
					const struct wc_mmio_wc_body *b =
						i < nb ? &bodies[i] : &wc_mmio_wc_gpr;

					if (!b->usable(cpu))
						continue;
					current_test = b->name;
					b->copy_to(area + GUARD + doff, src, len);
					check_area(src, len, 0, doff);
				}
				current_test = "bounds copy_from";
				wc_mmio_copy_from(area + GUARD + doff, src, len);
				check_area(src, len, 0, doff);
				current_test = "bounds verify";
				nb_cases++;
				memcpy(expect + doff, src, len);
				if (wc_mmio_verify(src, expect + doff, len) != len)
					fail("verify at a page edge", len, 0, doff);
			}
	munmap(map, 3 * page);
}

/* Only that the barriers are legal instructions here (they cannot be seen). */
static void
test_flush(void)
{
	wc_mmio_flush(WC_MMIO_WC);
	wc_mmio_flush(WC_MMIO_UC);
}

/* ---- main ------------------------------------------------------------- */

struct test {
	const char *name;
	void (*run)(void);
};

static const struct test tests[] = {
	{ "cpu", test_cpu },
	{ "attr_name", test_attr_name },
	{ "width_choice", test_width_choice },
	{ "uc_copy_to", test_uc_copy_to },
	{ "wc_copy_to", test_wc_copy_to },
	{ "wc_split", test_wc_split },
	{ "copy_from", test_copy_from },
	{ "verify", test_verify },
	{ "uc_trace", test_uc_trace },
	{ "source_bounds", test_source_bounds },
	{ "flush", test_flush },
};

int
main(void)
{
	unsigned long failed_before, cases_before;
	double t0, t;
	size_t i;

	signal(SIGSEGV, on_fault);
	signal(SIGBUS, on_fault);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Source bytes and guard pattern differ everywhere, 0 included. */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 37 + 11);
	for (i = 0; i < AREA; i++)
		pattern[i] = (uint8_t)(0xa5 ^ (i * 7));
	memcpy(area, pattern, AREA);

	t0 = now();
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		failed_before = nb_failed;
		cases_before = nb_cases;
		current_test = tests[i].name;
		t = now();
		tests[i].run();
		printf("%s %s: %lu cases, %.2f s\n",
			nb_failed == failed_before ? "ok" : "FAILED",
			tests[i].name, nb_cases - cases_before, now() - t);
	}
	printf("test_wc_mmio: %s, %lu cases (%lu failed) in %.1f s; uc 1/2/4/8 aligned;"
		" wc widths: %s; cpu: %s\n",
		nb_failed ? "FAIL" : "PASS", nb_cases, nb_failed, now() - t0,
		widths_line, cpu_line);
	return nb_failed ? 1 : 0;
}
