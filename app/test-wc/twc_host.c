/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "twc_host.h"

void
twc_host_read(const char *root, unsigned int cpu, const char *pinning,
		struct twc_host *h)
{
	char path[256];
	FILE *f;
	char *nl;

	memset(h, 0, sizeof(*h));
	h->main_cpu = cpu;
	snprintf(h->pinning, sizeof(h->pinning), "%s", pinning);
	snprintf(path, sizeof(path),
		 "%s/devices/system/cpu/cpu%u/cpufreq/scaling_governor", root, cpu);
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(h->governor_reason, sizeof(h->governor_reason),
			 "no cpufreq for CPU %u in sysfs (no frequency driver: usual in a VM)",
			 cpu);
		return;
	}
	if (fgets(h->governor, sizeof(h->governor), f) == NULL)
		h->governor[0] = '\0';
	fclose(f);
	nl = strchr(h->governor, '\n');
	if (nl != NULL)
		*nl = '\0';
	if (h->governor[0] == '\0')
		snprintf(h->governor_reason, sizeof(h->governor_reason),
			 "scaling_governor of CPU %u is empty", cpu);
}
