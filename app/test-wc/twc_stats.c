/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include "twc_stats.h"

static int
twc_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
twc_quantile_sorted(const double *sorted, size_t n, double q)
{
	double pos, frac;
	size_t lo;

	if (n == 0)
		return 0;
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	/* Rank q*(n-1) between two samples: weigh both. */
	pos = q * (double)(n - 1);
	lo = (size_t)pos;
	frac = pos - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

void
twc_stats_compute(double *samples, size_t n, struct twc_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	qsort(samples, n, sizeof(samples[0]), twc_cmp_double);
	out->n = n;
	out->min = samples[0];
	out->max = samples[n - 1];
	out->median = twc_quantile_sorted(samples, n, 0.5);
	out->p10 = twc_quantile_sorted(samples, n, 0.1);
	out->p90 = twc_quantile_sorted(samples, n, 0.9);
}
