/* SPDX-License-Identifier: BSD-3-Clause */
/* dpdk-test-wc statistics: median and spread of samples. */
#include "twc_stats.h"
#include "test_wc_app_check.h"

int
main(void)
{
	double odd[] = { 5, 1, 4, 2, 3 };
	double even[] = { 10, 40, 20, 30 };
	double one[] = { 7 };
	double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double s[] = { 1, 2 };
	struct twc_stats st;

	twc_stats_compute(odd, 5, &st);
	CHECK(st.n == 5);
	CHECK_NEAR(st.median, 3, 1e-9);
	CHECK_NEAR(st.min, 1, 1e-9);
	CHECK_NEAR(st.max, 5, 1e-9);
	/* Rank 0.1 * 4 = 0.4: 1 + 0.4 * (2 - 1). */
	CHECK_NEAR(st.p10, 1.4, 1e-9);
	CHECK_NEAR(st.p90, 4.6, 1e-9);
	/* Sorted in place. */
	CHECK(odd[0] == 1 && odd[4] == 5);

	twc_stats_compute(even, 4, &st);
	CHECK_NEAR(st.median, 25, 1e-9);

	twc_stats_compute(one, 1, &st);
	CHECK(st.n == 1);
	CHECK_NEAR(st.median, 7, 1e-9);
	CHECK_NEAR(st.p10, 7, 1e-9);
	CHECK_NEAR(st.p90, 7, 1e-9);

	twc_stats_compute(ten, 10, &st);
	CHECK_NEAR(st.median, 5.5, 1e-9);
	CHECK_NEAR(st.p10, 1.9, 1e-9);
	CHECK_NEAR(st.p90, 9.1, 1e-9);

	twc_stats_compute(s, 0, &st);
	CHECK(st.n == 0 && st.median == 0);

	CHECK_NEAR(twc_quantile_sorted(s, 2, 0), 1, 1e-9);
	CHECK_NEAR(twc_quantile_sorted(s, 2, 1), 2, 1e-9);
	CHECK_NEAR(twc_quantile_sorted(s, 2, 0.5), 1.5, 1e-9);
	CHECK_NEAR(twc_quantile_sorted(s, 0, 0.5), 0, 1e-9);
	CHECK_DONE();
}
