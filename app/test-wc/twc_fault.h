/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run one access attempt so that a SIGBUS or SIGSEGV it raises is caught
 * and reported instead of killing the program: the unaligned sweep wants
 * to know which stores fault (arm64 Device memory faults on unaligned
 * accesses), not to die at the first one.
 */
#ifndef TWC_FAULT_H
#define TWC_FAULT_H

/* Install the handlers (once). Returns 0 or -1 with errno. */
int twc_fault_guard_install(void);

/* Put back the handlers found at install time. */
void twc_fault_guard_remove(void);

/*
 * Call fn(arg). Returns 0 when it returned, or the number of the signal
 * (SIGBUS, SIGSEGV) that interrupted it. Only the calling thread is
 * guarded; a fault elsewhere, or outside an attempt, keeps its default
 * action.
 */
int twc_fault_guarded(void (*fn)(void *arg), void *arg);

#endif /* TWC_FAULT_H */
