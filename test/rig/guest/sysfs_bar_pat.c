/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * x86: map a BAR through sysfs (resourceN = uncached, resourceN_wc =
 * write-combining) and check the memory type PAT recorded for it.
 *
 *   sysfs_bar_pat <bdf> <bar> <uc|wc> <expected pat type>
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rig_guest.h"

#define MAP_LEN (1u << 20)

int
main(int argc, char **argv)
{
	char path[256], type[64] = "";
	volatile uint8_t *p;
	uint64_t start, len;
	size_t map_len;
	int bar;

	if (argc != 5 || (strcmp(argv[3], "uc") && strcmp(argv[3], "wc"))) {
		fprintf(stderr, "usage: %s <bdf> <bar> <uc|wc> <expected pat type>\n",
			argv[0]);
		return 2;
	}
	bar = atoi(argv[2]);
	if (rig_bar_phys(argv[1], bar, &start, &len) < 0) {
		rig_check(0, "%s BAR%d present", argv[1], bar);
		return rig_summary();
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d%s",
		 argv[1], bar, strcmp(argv[3], "wc") ? "" : "_wc");
	map_len = len < MAP_LEN ? len : MAP_LEN;
	p = rig_map_resource(path, map_len);
	rig_check(p != NULL, "mmap %s (%zu bytes at 0x%" PRIx64 ")",
		  path, map_len, start);
	if (p == NULL)
		return rig_summary();

	p[0] = 0x5a;
	rig_check(p[0] == 0x5a, "byte written through the mapping reads back");
	rig_check(rig_pat_type(start, type, sizeof(type)) == 0,
		  "PAT has an entry covering 0x%" PRIx64, start);
	rig_check(strcmp(type, argv[4]) == 0,
		  "PAT memory type of %s is '%s' (expected '%s')",
		  path, type, argv[4]);
	return rig_summary();
}
