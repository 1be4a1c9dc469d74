/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SIGBUS and SIGSEGV while dpdk-test-wc touches a mapping.
 *
 * Inside an attempt (twc_fault_guarded()) a fault is caught and reported
 * instead of killing the program: the unaligned sweep wants to know which
 * stores fault (arm64 Device memory faults on unaligned accesses), not to
 * die at the first one.
 *
 * Anywhere else while the guard is installed (a throughput copy, NVMe
 * mode, the sweep's own restores) a fault is a copy routine breaking its
 * promise: the guard writes one line naming the signal and the process
 * then dies of it, so the exit status is never 0.
 */
#ifndef TWC_FAULT_H
#define TWC_FAULT_H

/*
 * Install the handlers. Calls nest: each install needs its remove, and
 * the handlers found at the first install come back at the last remove.
 * Returns 0 or -1 with errno.
 */
int twc_fault_guard_install(void);

/* Undo one twc_fault_guard_install(). */
void twc_fault_guard_remove(void);

/*
 * Call fn(arg). Returns 0 when it returned, or the number of the signal
 * (SIGBUS, SIGSEGV) that interrupted it. Only the calling thread is
 * guarded; a fault elsewhere, or outside an attempt, is fatal as above.
 */
int twc_fault_guarded(void (*fn)(void *arg), void *arg);

#endif /* TWC_FAULT_H */
