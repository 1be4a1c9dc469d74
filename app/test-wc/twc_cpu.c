/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "wc_mmio.h"
#include "twc_cpu.h"

void
twc_cpu_describe(char *arch, size_t arch_len, unsigned int *max_width,
		char *features, size_t features_len)
{
	const struct wc_mmio_cpu *cpu = wc_mmio_cpu();

	snprintf(arch, arch_len, "%s", cpu->arch);
	*max_width = cpu->max_width;
	snprintf(features, features_len, "%s%s%s%s%s",
		 cpu->sse2 ? "sse2 " : "", cpu->avx ? "avx " : "",
		 cpu->avx512f ? "avx512f " : "",
		 cpu->movdir64b ? "movdir64b " : "", cpu->neon ? "neon " : "");
	if (features[0] == '\0')
		snprintf(features, features_len, "none");
	else
		features[strlen(features) - 1] = '\0';
}
