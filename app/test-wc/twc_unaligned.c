/* SPDX-License-Identifier: BSD-3-Clause */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "wc_mmio.h"
#include "twc_fault.h"
#include "twc_pattern.h"
#include "twc_unaligned.h"

/* Where attempts start in the region: a guard line before them. */
#define TWC_UA_GUARD 64

/*
 * libc's memcpy called through a pointer the compiler cannot see
 * through: otherwise it may inline its own stores, and the sweep would
 * no longer show what the library routine does.
 */
static void *(*volatile twc_plain_memcpy)(void *, const void *, size_t) =
	memcpy;

struct twc_attempt {
	volatile uint8_t *dst;
	const uint8_t *src;
	size_t len;
	enum twc_method method;
	enum wc_mmio_attr attr;
};

static void
twc_attempt_run(void *arg)
{
	struct twc_attempt *a = arg;

	if (a->method == TWC_METHOD_MEMCPY)
		twc_plain_memcpy((void *)(uintptr_t)a->dst, a->src, a->len);
	else
		wc_mmio_copy_to(a->dst, a->src, a->len, a->attr, 0);
	wc_mmio_flush(a->attr);
}

static void
twc_mark(uint64_t map[TWC_UA_WORDS], unsigned int len)
{
	map[(len - 1) / 64] |= 1ull << ((len - 1) % 64);
}

/* Put back background bytes [lo, hi) of the region, 8-byte aligned. */
static void
twc_restore(volatile uint8_t *base, const uint8_t *bg, size_t lo, size_t hi,
		enum wc_mmio_attr attr)
{
	lo = RTE_ALIGN_FLOOR(lo, 8);
	hi = RTE_ALIGN_CEIL(hi, 8);
	wc_mmio_copy_to(base + lo, bg + lo, hi - lo, attr, 0);
	wc_mmio_flush(attr);
}

static void
twc_sweep(const struct twc_opts *opts, volatile uint8_t *base,
		enum wc_mmio_attr attr, enum twc_method method,
		struct twc_ua_result *u)
{
	uint8_t bg[TWC_UA_REGION], expect[TWC_UA_REGION];
	uint8_t src[TWC_UA_MAX_LENS];
	struct twc_attempt a;
	size_t at, lo, hi, prev_lo = 0, prev_hi = TWC_UA_REGION;
	unsigned int off, len, i;
	int sig;

	memset(u, 0, sizeof(*u));
	u->offsets = opts->ua_offsets;
	u->lens = opts->ua_lens;
	twc_pattern_fill(bg, sizeof(bg), 0x5eed + method);
	memcpy(expect, bg, sizeof(bg));
	a.attr = attr;
	a.method = method;
	a.src = src;
	for (off = 0; off < u->offsets; off++) {
		for (len = 1; len <= u->lens; len++) {
			/* Background back where the last attempt wrote. */
			twc_restore(base, bg, prev_lo, prev_hi, attr);
			at = TWC_UA_GUARD + off;
			/* Every byte differs from the background under it. */
			for (i = 0; i < len; i++)
				src[i] = bg[at + i] ^
					(0x80 | ((off + len + i) & 0x7f));
			a.dst = base + at;
			a.len = len;
			u->attempts++;
			sig = twc_fault_guarded(twc_attempt_run, &a);
			prev_lo = at;
			prev_hi = at + len;
			if (sig != 0) {
				u->faults++;
				u->sigbus += sig == SIGBUS;
				u->sigsegv += sig == SIGSEGV;
				twc_mark(u->fault_map[off], len);
				continue;
			}
			/* The copy and one untouched line on each side. */
			memcpy(expect + at, src, len);
			lo = at - TWC_UA_GUARD;
			hi = RTE_MIN(at + len + TWC_UA_GUARD,
				     (size_t)TWC_UA_REGION);
			if (wc_mmio_verify(base + lo, expect + lo, hi - lo) ==
			    hi - lo) {
				u->verified++;
			} else {
				u->mismatches++;
				twc_mark(u->bad_map[off], len);
			}
			memcpy(expect + at, bg + at, len);
		}
	}
	twc_restore(base, bg, prev_lo, prev_hi, attr);
	u->done = true;
}

int
twc_run_unaligned(const struct twc_opts *opts, volatile uint8_t *base,
		size_t window, enum twc_map map, struct twc_report *r)
{
	enum wc_mmio_attr attr = map == TWC_MAP_WC ? WC_MMIO_WC : WC_MMIO_UC;
	int k;

	if (window < TWC_UA_REGION) {
		fprintf(stderr, "dpdk-test-wc: window of %zu bytes too small for the unaligned sweep (%d needed)\n",
			window, TWC_UA_REGION);
		return -1;
	}
	if (twc_fault_guard_install() != 0) {
		perror("dpdk-test-wc: installing SIGBUS/SIGSEGV handlers");
		return -1;
	}
	/* Each sweep's first restore writes the whole region. */
	for (k = 0; k < TWC_NMETHODS; k++)
		twc_sweep(opts, base, attr, k, &r->ua[map][k]);
	twc_fault_guard_remove();
	return 0;
}
