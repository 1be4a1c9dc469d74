/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How a throughput sample is taken: one copy of `size` bytes is one
 * message a driver would send, so each write copy is followed by its
 * flush (sfence / dmb oshst on WC, a compiler barrier on UC), and a write
 * sample ends with one 4-byte read of the target: PCIe orders a read
 * behind the posted writes before it, so when it returns the writes have
 * reached the device, and only then does the clock stop (the drain).
 * The data checked is what the timed loop wrote: every slot the last
 * sample writes is cleared first, the source differs per row, and after
 * the sample each slot is read back and compared; reads check what the
 * last timed read brought back. A sample repeats the copy until at
 * least opts->batch bytes moved, walking through the window so that no
 * two consecutive copies hit the same lines (write-combining buffers
 * would otherwise merge them and flatter WC). Warm-up samples run first
 * and are discarded.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "wc_mmio.h"
#include "twc_clock.h"
#include "twc_pattern.h"
#include "twc_throughput.h"

#define TWC_LINE 64

/* What one lcore does in one sample. */
struct twc_job {
	volatile uint8_t *slice;	/* this lcore's part of the window */
	size_t stride;			/* distance between copies */
	size_t nslots;			/* copies before wrapping around */
	size_t size;
	unsigned int dst_offset;
	unsigned int width;
	enum wc_mmio_attr attr;
	enum twc_dir dir;
	size_t iters;
	const uint8_t *src;		/* write source */
	uint8_t *buf;			/* read destination */
	uint64_t t_end;
	uint32_t drain_sink;		/* keeps the drain read */
};

/* Start line for the lcores of one sample. */
static volatile int twc_go;
static volatile unsigned int twc_ready;

static void
twc_job_run(struct twc_job *j)
{
	volatile uint8_t *p;
	size_t i, slot = 0;

	for (i = 0; i < j->iters; i++) {
		p = j->slice + slot * j->stride + j->dst_offset;
		if (j->dir == TWC_DIR_WRITE) {
			wc_mmio_copy_to(p, j->src, j->size, j->attr, j->width);
			wc_mmio_flush(j->attr);
		} else {
			wc_mmio_copy_from(j->buf, p, j->size);
		}
		if (++slot == j->nslots)
			slot = 0;
	}
	if (j->dir == TWC_DIR_WRITE) {
		uint32_t v;

		/* The drain: a read returns only behind the posted writes. */
		wc_mmio_copy_from(&v, j->slice, sizeof(v));
		j->drain_sink += v;
	}
	j->t_end = twc_now_ns();
}

static int
twc_worker(void *arg)
{
	struct twc_job *j = arg;

	__atomic_fetch_add(&twc_ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&twc_go, __ATOMIC_ACQUIRE))
		rte_pause();
	twc_job_run(j);
	return 0;
}

/*
 * One sample over n jobs (jobs[0] on this lcore, the others on workers
 * in lcore order). Returns MB/s over all bytes moved.
 */
static double
twc_sample(struct twc_job *jobs, unsigned int n, const unsigned int *lcores)
{
	uint64_t t0, t_end;
	unsigned int i;

	if (n == 1) {
		t0 = twc_now_ns();
		twc_job_run(&jobs[0]);
		t_end = jobs[0].t_end;
	} else {
		/* Workers wait at the line: launch latency stays out. */
		twc_ready = 0;
		twc_go = 0;
		for (i = 1; i < n; i++)
			rte_eal_remote_launch(twc_worker, &jobs[i], lcores[i]);
		while (__atomic_load_n(&twc_ready, __ATOMIC_ACQUIRE) != n - 1)
			rte_pause();
		t0 = twc_now_ns();
		__atomic_store_n(&twc_go, 1, __ATOMIC_RELEASE);
		twc_job_run(&jobs[0]);
		t_end = jobs[0].t_end;
		for (i = 1; i < n; i++) {
			rte_eal_wait_lcore(lcores[i]);
			t_end = RTE_MAX(t_end, jobs[i].t_end);
		}
	}
	if (t_end <= t0)
		t_end = t0 + 1;
	/* bytes per ns * 1000 = 10^6 bytes per second. */
	return (double)jobs[0].iters * jobs[0].size * n * 1e3 /
		(double)(t_end - t0);
}

/* Slots one sample of job j touches: each written (or read) at least once. */
static size_t
twc_slots_used(const struct twc_job *j)
{
	return RTE_MIN(j->iters, j->nslots);
}

/*
 * Before the last timed sample: clear every slot it will write (so what
 * is found there afterwards was written by it), or, for reads, put the
 * row's pattern there and clear the read buffer.
 */
static void
twc_prepare_last(struct twc_job *jobs, unsigned int n, const uint8_t *zero)
{
	unsigned int i;
	size_t k;

	for (i = 0; i < n; i++) {
		struct twc_job *j = &jobs[i];

		for (k = 0; k < twc_slots_used(j); k++)
			wc_mmio_copy_to(j->slice + k * j->stride + j->dst_offset,
				j->dir == TWC_DIR_WRITE ? zero : j->src,
				j->size, j->attr, 0);
		wc_mmio_flush(j->attr);
		if (j->dir == TWC_DIR_READ)
			memset(j->buf, 0, j->size);
	}
}

/* After it: the timed loop's own data, slot by slot. */
static bool
twc_verify_last(const struct twc_job *jobs, unsigned int n)
{
	unsigned int i;
	size_t k;

	for (i = 0; i < n; i++) {
		const struct twc_job *j = &jobs[i];

		if (j->dir == TWC_DIR_READ) {
			if (memcmp(j->buf, j->src, j->size) != 0)
				return false;
			continue;
		}
		for (k = 0; k < twc_slots_used(j); k++)
			if (wc_mmio_verify(j->slice + k * j->stride +
					j->dst_offset, j->src, j->size) != j->size)
				return false;
	}
	return true;
}

static int
twc_measure(const struct twc_opts *opts, struct twc_job *jobs,
		unsigned int n, const unsigned int *lcores, double *samples,
		uint8_t *src, const uint8_t *zero, struct twc_tp_row *row)
{
	unsigned int i, s;
	size_t iters;
	enum wc_mmio_attr attr = jobs[0].attr;

	/* A source of its own per row: stale data of another row fails. */
	twc_pattern_fill(src, row->size,
			(row->size << 16) ^ (row->dst_offset << 8) ^
			(row->width << 2) ^ ((unsigned int)row->map << 1) ^
			row->dir);
	iters = RTE_MAX((size_t)1, opts->batch / row->size);
	for (i = 0; i < n; i++) {
		jobs[i].size = row->size;
		jobs[i].dst_offset = row->dst_offset;
		jobs[i].width = row->width;
		jobs[i].dir = row->dir;
		jobs[i].stride = RTE_ALIGN_CEIL(row->size + row->dst_offset,
						TWC_LINE);
		jobs[i].iters = iters;
	}
	if (row->dir == TWC_DIR_READ) {
		snprintf(row->store, sizeof(row->store), "load");
		row->store_width = wc_mmio_store_width(WC_MMIO_UC, 0, NULL);
		/* Reads need data in place from the start. */
		twc_prepare_last(jobs, n, zero);
	} else {
		const char *kind;

		row->store_width = wc_mmio_store_width(attr, row->width, &kind);
		snprintf(row->store, sizeof(row->store), "%s", kind);
		row->drained = true;
	}
	for (s = 0; s < opts->warmup; s++)
		twc_sample(jobs, n, lcores);
	for (s = 0; s < opts->reps; s++) {
		if (s + 1 == opts->reps)
			twc_prepare_last(jobs, n, zero);
		samples[s] = twc_sample(jobs, n, lcores);
	}
	twc_stats_compute(samples, opts->reps, &row->mbps);
	row->verified = twc_verify_last(jobs, n);
	return 0;
}

/* UC single-read latency: one 4-byte load per timed sample. */
#define TWC_LAT_SAMPLES 1001

void
twc_run_read_latency(const struct twc_target *target, struct twc_latency *l)
{
	static double samples[TWC_LAT_SAMPLES];
	static volatile uint32_t sink;
	volatile uint8_t *p = target->base;
	/* Over up to 64 lines of the window, never the same twice running. */
	size_t lines = RTE_MAX((size_t)1,
			RTE_MIN((size_t)64, target->window / TWC_LINE));
	uint64_t t0;
	uint32_t v;
	unsigned int s;

	for (s = 0; s < 16; s++) {	/* warm-up: TLB, first touch */
		wc_mmio_copy_from(&v, p, sizeof(v));
		sink += v;
	}
	for (s = 0; s < TWC_LAT_SAMPLES; s++) {
		t0 = twc_now_ns();
		wc_mmio_copy_from(&v, p + (s % lines) * TWC_LINE, sizeof(v));
		samples[s] = (double)(twc_now_ns() - t0);
		sink += v;
	}
	twc_stats_compute(samples, TWC_LAT_SAMPLES, &l->ns);
	l->size = sizeof(v);
	l->done = true;
}

int
twc_run_throughput(const struct twc_opts *opts,
		const struct twc_target *target, const unsigned int *widths,
		unsigned int nwidths, struct twc_report *r)
{
	static const unsigned int no_width = 0;
	unsigned int lcores[RTE_MAX_LCORE], n = 0, i, s, o, w, d, nw;
	const unsigned int *wl;
	struct twc_job *jobs = NULL;
	struct twc_tp_row row;
	double *samples = NULL;
	uint8_t *src = NULL, *zero = NULL;
	size_t slice, max_size = opts->sizes[opts->nsizes - 1];
	unsigned int lc;
	int ret = -1;

	lcores[n++] = rte_lcore_id();
	if (opts->parallel)
		RTE_LCORE_FOREACH_WORKER(lc)
			lcores[n++] = lc;
	slice = RTE_ALIGN_FLOOR(target->window / n, TWC_LINE);

	jobs = calloc(n, sizeof(*jobs));
	samples = calloc(opts->reps, sizeof(*samples));
	src = aligned_alloc(TWC_LINE, RTE_ALIGN_CEIL(max_size, TWC_LINE));
	zero = calloc(1, RTE_ALIGN_CEIL(max_size, TWC_LINE));
	if (jobs == NULL || samples == NULL || src == NULL || zero == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		jobs[i].slice = target->base + i * slice;
		/* Write-back memory takes the WC copy: the same stores. */
		jobs[i].attr = target->map == TWC_MAP_UC ? WC_MMIO_UC :
			WC_MMIO_WC;
		jobs[i].src = src;
		jobs[i].buf = aligned_alloc(TWC_LINE,
				RTE_ALIGN_CEIL(max_size, TWC_LINE));
		if (jobs[i].buf == NULL)
			goto out;
	}
	r->lcores = n;

	for (d = 0; d < 2; d++) {
		if (d == TWC_DIR_READ && !opts->reads)
			break;
		for (s = 0; s < opts->nsizes; s++) {
			for (o = 0; o < opts->ndst_offsets; o++) {
				size_t need = RTE_ALIGN_CEIL(opts->sizes[s] +
						opts->dst_offsets[o], TWC_LINE);

				if (need > slice)
					continue;
				for (i = 0; i < n; i++)
					jobs[i].nslots = slice / need;
				/* UC and reads have no store width to vary. */
				wl = widths;
				nw = nwidths;
				if (target->map == TWC_MAP_UC ||
				    d == TWC_DIR_READ) {
					wl = &no_width;
					nw = 1;
				}
				for (w = 0; w < nw; w++) {
					memset(&row, 0, sizeof(row));
					row.map = target->map;
					row.dir = d;
					row.size = opts->sizes[s];
					row.dst_offset = opts->dst_offsets[o];
					row.width = wl[w];
					row.lcores = n;
					twc_measure(opts, jobs, n, lcores,
						    samples, src, zero, &row);
					if (twc_report_add_row(r, &row) != 0)
						goto out;
				}
			}
		}
	}
	ret = 0;
out:
	if (jobs != NULL)
		for (i = 0; i < n; i++)
			free(jobs[i].buf);
	free(jobs);
	free(samples);
	free(src);
	free(zero);
	return ret;
}
