/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL's part of dpdk-test-wc's command line (before "--"), checked
 * before rte_eal_init() for the mistakes EAL itself lets pass: it scans
 * and probes the PCI bus inside rte_eal_init(), so by the time the app
 * could object, EAL has already offered devices to its drivers. Pure (no
 * DPDK) so the unit tests can drive it.
 */
#ifndef TWC_EAL_ARGS_H
#define TWC_EAL_ARGS_H

#include <stddef.h>

/*
 * Check argv[0..argc) (argv[0] the program name) and write the arguments
 * to give EAL into out (room for argc + 1 pointers; NULL-terminated) and
 * their count into *out_argc:
 * - "--pci-wc off|driver|all" becomes "--pci-wc=<value>". EAL takes the
 *   value of an option with an optional value only after '='; the word
 *   after it would be dropped without a word and the bare option read as
 *   "driver". Any other word after --pci-wc, or any word after EAL's
 *   other optional-value options (--huge-unlink, --huge-worker-stack), is
 *   refused.
 * - A device must be named with -a/--allow: without it EAL probes every
 *   device on the bus with every driver linked in (the app's binary
 *   carries several), not only the one meant.
 * Returns 0, or -1 with err set to one line (no newline).
 */
int twc_eal_args(int argc, char *const argv[], char **out, int *out_argc,
		char *err, size_t errlen);

#endif /* TWC_EAL_ARGS_H */
