/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host side of a measurement: the CPU frequency governor of the CPU
 * the main lcore runs on (a powersave governor or turbo swings move every
 * number) and the pinning the lcores had. From sysfs and the affinity
 * masks; nothing here needs DPDK, so tests can feed their own tree.
 */
#ifndef TWC_HOST_H
#define TWC_HOST_H

#include "twc_report.h"

/*
 * Fill h: governor of CPU cpu under sysfs_root ("/sys"), and pinning, a
 * line the caller has written ("lcore 0 -> CPU 1; lcore 1 -> CPU 2").
 */
void twc_host_read(const char *sysfs_root, unsigned int cpu,
		const char *pinning, struct twc_host *h);

#endif /* TWC_HOST_H */
