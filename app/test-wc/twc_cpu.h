/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CPU as the MMIO copy routines see it, for the reports: its
 * architecture, its widest store and the features that decide it.
 */
#ifndef TWC_CPU_H
#define TWC_CPU_H

#include <stddef.h>

/* arch ("x86_64"), widest store in bytes, features ("sse2 avx" or "none"). */
void twc_cpu_describe(char *arch, size_t arch_len, unsigned int *max_width,
		char *features, size_t features_len);

#endif /* TWC_CPU_H */
