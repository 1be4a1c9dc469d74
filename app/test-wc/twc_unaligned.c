/* SPDX-License-Identifier: BSD-3-Clause */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wc_mmio.h"
#include "twc_fault.h"
#include "twc_pattern.h"
#include "twc_unaligned.h"

/* Where attempts start in the region: a guard line before them. */
#define TWC_UA_GUARD 64

#define TWC_MIN(a, b) ((a) < (b) ? (a) : (b))

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

/*
 * The sweep's own accesses around the attempts: putting the background
 * back and reading the result. They go through the library too, and it
 * must never fault there either; guarded all the same, so that if it
 * does the sweep goes on and the run reports it instead of dying
 * half-way without a table.
 */
struct twc_own_access {
	volatile uint8_t *mmio;
	uint8_t *buf;		/* restore: the source; verify: expected */
	size_t len;
	enum wc_mmio_attr attr;
	size_t good;		/* verify: bytes that matched */
};

static void
twc_restore_run(void *arg)
{
	struct twc_own_access *o = arg;

	wc_mmio_copy_to(o->mmio, o->buf, o->len, o->attr, 0);
	wc_mmio_flush(o->attr);
}

static void
twc_verify_run(void *arg)
{
	struct twc_own_access *o = arg;

	o->good = wc_mmio_verify(o->mmio, o->buf, o->len);
}

/* Count a fault of the library outside an attempt. */
static void
twc_own_fault(struct twc_ua_result *u, int sig)
{
	u->own_faults++;
	u->own_sigbus += sig == SIGBUS;
	u->own_sigsegv += sig == SIGSEGV;
}

/* Put back background bytes [lo, hi) of the region, 8-byte aligned. */
static void
twc_restore(volatile uint8_t *base, const uint8_t *bg, size_t lo, size_t hi,
		enum wc_mmio_attr attr, struct twc_ua_result *u)
{
	struct twc_own_access o;
	int sig;

	lo &= ~(size_t)7;
	hi = (hi + 7) & ~(size_t)7;
	o.mmio = base + lo;
	o.buf = (uint8_t *)(uintptr_t)(bg + lo);
	o.len = hi - lo;
	o.attr = attr;
	sig = twc_fault_guarded(twc_restore_run, &o);
	if (sig != 0)
		twc_own_fault(u, sig);
}

/* Does [lo, hi) of the mapping read back as expect? */
static bool
twc_readback_ok(volatile uint8_t *base, uint8_t *expect, size_t lo,
		size_t hi, struct twc_ua_result *u)
{
	struct twc_own_access o;
	int sig;

	o.mmio = base + lo;
	o.buf = expect + lo;
	o.len = hi - lo;
	o.good = 0;
	sig = twc_fault_guarded(twc_verify_run, &o);
	if (sig != 0) {
		twc_own_fault(u, sig);
		return false;
	}
	return o.good == o.len;
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
			twc_restore(base, bg, prev_lo, prev_hi, attr, u);
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
			hi = TWC_MIN(at + len + TWC_UA_GUARD,
				     (size_t)TWC_UA_REGION);
			if (twc_readback_ok(base, expect, lo, hi, u)) {
				u->verified++;
			} else {
				u->mismatches++;
				twc_mark(u->bad_map[off], len);
			}
			memcpy(expect + at, bg + at, len);
		}
	}
	twc_restore(base, bg, prev_lo, prev_hi, attr, u);
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
