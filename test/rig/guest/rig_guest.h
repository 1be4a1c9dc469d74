/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RIG_GUEST_H
#define RIG_GUEST_H

/*
 * Small helpers for the programs the guest rig runs inside its VMs. Every
 * check prints one "ok: ..." or "FAIL: ..." line; the scenario's verdict is
 * the program's exit status.
 */

#include <stddef.h>
#include <stdint.h>

/* Print an ok/FAIL line and count failures. */
void rig_check(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "N passed, N failed" and return the exit status. */
int rig_summary(void);

/* Physical start and size of BAR @bar of PCI device @bdf, from sysfs. */
int rig_bar_phys(const char *bdf, int bar, uint64_t *start, uint64_t *len);

/* mmap @len bytes at offset 0 of the sysfs resource file; NULL on error. */
volatile uint8_t *rig_map_resource(const char *path, size_t len);

/*
 * The memory type x86 PAT recorded for the physical range starting at
 * @phys, from /sys/kernel/debug/x86/pat_memtype_list ("write-combining",
 * "uncached-minus", ...). Returns 0 and fills @type, or -1 if no entry
 * covers @phys.
 */
int rig_pat_type(uint64_t phys, char *type, size_t type_len);

/*
 * Run @fn(@arg) and report whether it completed (0) or was stopped by
 * SIGBUS/SIGSEGV (the signal number).
 */
int rig_try(void (*fn)(void *arg), void *arg);

#endif /* RIG_GUEST_H */
