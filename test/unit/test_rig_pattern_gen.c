/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest's side of the rig's NVMe pattern, for test_rig_pattern.py:
 * what test/rig/guest/rig_pattern.h makes nvme_cmb_check write, laid out
 * the way it lands on a zeroed disk.
 *
 *   test_rig_pattern_gen SEED MAX_BLOCKS IMAGE
 *
 * prints the header's constants and one line per op that runs, and
 * writes the first RIG_PATTERN_REGION_BLOCKS blocks of the disk to IMAGE.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rig_pattern.h"

int
main(int argc, char **argv)
{
	size_t size = (size_t)RIG_PATTERN_REGION_BLOCKS * RIG_PATTERN_LBA_SIZE;
	struct rig_pattern_op op;
	uint32_t seed, max_blocks;
	unsigned int i, n;
	uint8_t *img;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: %s SEED MAX_BLOCKS IMAGE\n", argv[0]);
		return 2;
	}
	seed = (uint32_t)strtoul(argv[1], NULL, 0);
	max_blocks = (uint32_t)strtoul(argv[2], NULL, 0);
	img = calloc(1, size);
	if (img == NULL)
		return 1;
	n = rig_pattern_nb_ops(max_blocks);
	printf("const lba_size %u region_blocks %u default_max_blocks %u min_max_blocks %u ops_all %u loop_lba %u loop_blocks %u\n",
	       RIG_PATTERN_LBA_SIZE, RIG_PATTERN_REGION_BLOCKS, RIG_PATTERN_DEFAULT_MAX_BLOCKS,
	       RIG_PATTERN_MIN_MAX_BLOCKS, RIG_PATTERN_OPS_ALL, RIG_PATTERN_LOOP_LBA,
	       RIG_PATTERN_LOOP_BLOCKS);
	printf("ops %u max_bytes %" PRIu32 "\n", n, rig_pattern_max_bytes(max_blocks));
	for (i = 0; i < n; i++) {
		rig_pattern_op(seed, i, &op);
		printf("op %u %" PRIu64 " %u %u %u\n", i, op.lba, op.nb_lbas, op.len,
		       op.page_offset);
		/* The caller checks the layout; an op out of the region is its finding. */
		if ((op.lba + op.nb_lbas) * RIG_PATTERN_LBA_SIZE <= size)
			rig_pattern_fill(seed, i, img + op.lba * RIG_PATTERN_LBA_SIZE, op.len);
	}
	f = fopen(argv[3], "wb");
	if (f == NULL || fwrite(img, 1, size, f) != size || fclose(f) != 0) {
		perror(argv[3]);
		return 1;
	}
	free(img);
	return 0;
}
