/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The clock throughput samples are timed with: CLOCK_MONOTONIC, read
 * through the vDSO on Linux, comparable across lcores (unlike a raw cycle
 * counter on some CPUs) and never stepped by NTP.
 */
#ifndef TWC_CLOCK_H
#define TWC_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
twc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif /* TWC_CLOCK_H */
