/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The x86 kernel's record of memory types (debugfs
 * x86/pat_memtype_list): the independent witness that a mapping the bus
 * calls WC really is write-combining, and one called UC is uncached.
 */
#ifndef TWC_PAT_H
#define TWC_PAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TWC_PAT_LIST "/sys/kernel/debug/x86/pat_memtype_list"

/*
 * Read a memtype list from f and write into type the memory types of the
 * entries overlapping [start, end), distinct, comma-separated in order of
 * appearance ("write-combining", "uncached-minus,write-combining").
 * Returns the number of distinct types found (0: none; type is "").
 */
int twc_pat_lookup(FILE *f, uint64_t start, uint64_t end, char *type,
		size_t len);

/*
 * The same from the kernel's list. Returns -1 when the list cannot be
 * read (not x86, no debugfs, not root); type is then "".
 */
int twc_pat_lookup_system(uint64_t start, uint64_t end, char *type,
		size_t len);

#endif /* TWC_PAT_H */
