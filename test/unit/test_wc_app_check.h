/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal check macros for the dpdk-test-wc unit tests. */
#ifndef TEST_WC_APP_CHECK_H
#define TEST_WC_APP_CHECK_H

#include <stdio.h>

static int twc_test_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			__LINE__, #cond); \
		twc_test_failures++; \
	} \
} while (0)

#define CHECK_NEAR(a, b, eps) CHECK((a) - (b) < (eps) && (b) - (a) < (eps))

#define CHECK_DONE() do { \
	if (twc_test_failures != 0) { \
		fprintf(stderr, "%d check(s) failed\n", twc_test_failures); \
		return 1; \
	} \
	printf("all checks passed\n"); \
	return 0; \
} while (0)

#endif /* TEST_WC_APP_CHECK_H */
