/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Throughput of writes (wc_mmio_copy_to + wc_mmio_flush) and reads
 * (wc_mmio_copy_from) through one mapping of the BAR, every configuration
 * of the options, each followed by a read-back check.
 */
#ifndef TWC_THROUGHPUT_H
#define TWC_THROUGHPUT_H

#include <stdint.h>

#include "twc_opts.h"
#include "twc_report.h"

struct twc_target {
	volatile uint8_t *base;	/* start of the window in the mapping */
	size_t window;		/* bytes usable from base */
	enum twc_map map;
};

/*
 * Measure on target, adding rows to r. widths lists the WC store widths
 * (ignored on UC, which stores at most 8 bytes, aligned). With
 * opts->parallel every EAL lcore takes an equal slice of the window.
 * Returns 0, or -1 when memory ran out.
 */
int twc_run_throughput(const struct twc_opts *opts,
		const struct twc_target *target, const unsigned int *widths,
		unsigned int nwidths, struct twc_report *r);

/*
 * UC single-read latency on target: TWC_LAT_SAMPLES single 4-byte loads,
 * each timed alone (the clock's own cost included: see the guide).
 */
void twc_run_read_latency(const struct twc_target *target,
		struct twc_latency *l);

#endif /* TWC_THROUGHPUT_H */
