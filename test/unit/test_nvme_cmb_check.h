/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One ok/FAIL line per check for the nvme_cmb unit tests, and the closing
 * "N passed, N failed" line the test runners read.
 */
#ifndef TEST_NVME_CMB_CHECK_H
#define TEST_NVME_CMB_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int passed, failed;

static void __attribute__((format(printf, 3, 4)))
check(bool ok, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		passed++;
	else
		failed++;
	printf("%s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (line %d)", line);
	printf("\n");
}

#define CHECK(cond, ...) check((cond), __LINE__, __VA_ARGS__)

/* The exit status: non-zero when a check failed or none ran. */
static inline int
check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0 || passed == 0;
}

#endif /* TEST_NVME_CMB_CHECK_H */
