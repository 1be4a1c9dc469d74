/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Summary statistics of repeated measurements. The median is what we
 * report (robust to the odd interrupted sample); p10/p90 and min/max show
 * how much the samples spread, so a reader can tell a stable number from
 * a noisy one.
 */
#ifndef TWC_STATS_H
#define TWC_STATS_H

#include <stddef.h>

struct twc_stats {
	unsigned int n;	/* samples; 0 means nothing measured */
	double median;
	double p10;
	double p90;
	double min;
	double max;
};

/*
 * Summarise n samples. The array is sorted in place. Percentiles
 * interpolate linearly between the closest ranks, so p50 is the median.
 */
void twc_stats_compute(double *samples, size_t n, struct twc_stats *out);

/* The q-th quantile (0..1) of n sorted samples; 0 when n is 0. */
double twc_quantile_sorted(const double *sorted, size_t n, double q);

#endif /* TWC_STATS_H */
