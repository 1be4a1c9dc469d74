/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe mode (--nvme): commands through the nvme_cmb rawdev PMD, for every
 * placement of the submission queue and of the data the controller
 * allows, with the CMB BAR mapped uncached and then write-combining.
 * twc_nvme.c runs the phases and placements; twc_nvme_run.c
 * measures one placement at one queue depth.
 */
#ifndef TWC_NVME_H
#define TWC_NVME_H

#include <stdint.h>

#include "twc_nvme_report.h"
#include "twc_opts.h"

/* Everything after EAL is up; returns the exit status. */
int twc_nvme_main(const struct twc_opts *opts);

/* The started rawdev and the commands to send it. */
struct twc_nvme_target {
	uint16_t dev_id;
	uint32_t lba_size;
	uint32_t page_size;
	unsigned int blocks;		/* per command */
	unsigned int ops;		/* per direction */
	struct twc_nvme_plan plan;
};

/*
 * One cell: ops writes at queue depth depth, each filling its slot's
 * blocks with a pattern seeded by seed and the slot, then as many reads
 * of the same blocks, each compared with what was written. Fills *w and
 * *rd (placement, depth and op already set by the caller). Returns 0, or
 * -1 when the rawdev API itself failed (the rows say why).
 */
int twc_nvme_run_cell(const struct twc_nvme_target *t, unsigned int depth,
		uint64_t seed, struct twc_nvme_row *w, struct twc_nvme_row *rd);

#endif /* TWC_NVME_H */
