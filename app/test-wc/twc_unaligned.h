/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The unaligned-write sweep: every destination offset 0..N-1 and length
 * 1..M, copied into the mapping once with plain memcpy (what a driver
 * written for x86 does) and once with wc_mmio_copy_to. An attempt that
 * faults is recorded, not fatal; every other one is read back, along with
 * a guard line on each side that must stay untouched.
 */
#ifndef TWC_UNALIGNED_H
#define TWC_UNALIGNED_H

#include <stdint.h>

#include "twc_opts.h"
#include "twc_report.h"

/* Bytes of the window the sweep uses at most. */
#define TWC_UA_REGION (64 + TWC_UA_MAX_OFFSETS + TWC_UA_MAX_LENS + 64)

/*
 * Sweep the mapping at base (64-byte aligned, window bytes usable) for
 * map; results go to r->ua[map][*]. Returns 0, or -1 when the window is
 * too small or the fault handlers cannot be installed.
 */
int twc_run_unaligned(const struct twc_opts *opts, volatile uint8_t *base,
		size_t window, enum twc_map map, struct twc_report *r);

#endif /* TWC_UNALIGNED_H */
