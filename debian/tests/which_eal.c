/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which librte_eal does a program built with dpdk-wc's private
 * libdpdk.pc load? For the private-libdpdk autopkgtest, on a system that
 * also has Debian's own DPDK:
 *
 *   PKG_CONFIG_PATH=/usr/lib/<triplet>/dpdk-wc/pkgconfig \
 *       cc -o which_eal which_eal.c $(pkg-config --cflags --libs libdpdk)
 *   ./which_eal --no-huge --no-pci -m 64 --no-shconf [--pci-wc=off]
 *
 * Every argument goes to rte_eal_init. Whether or not it succeeds, the
 * program then prints each line of /proc/self/maps that names
 * librte_eal, as "which_eal: map: LINE". Exit status 0 only if
 * rte_eal_init succeeded and some mapping of librte_eal was seen.
 */
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

/* Print the maps lines naming librte_eal; return how many. */
static int
print_eal_maps(void)
{
	char line[4096];
	FILE *f;
	int n = 0;

	f = fopen("/proc/self/maps", "r");
	if (f == NULL) {
		perror("which_eal: /proc/self/maps");
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "librte_eal") == NULL)
			continue;
		line[strcspn(line, "\n")] = '\0';
		printf("which_eal: map: %s\n", line);
		n++;
	}
	fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	int ret, maps;

	/* Lines in order with EAL's log on stderr when both go to a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		printf("which_eal: rte_eal_init failed: %s\n", rte_strerror(rte_errno));
	else
		printf("which_eal: rte_eal_init ok\n");
	/* Also after EAL loaded its PMD directory: no second EAL came in. */
	maps = print_eal_maps();
	if (maps == 0)
		printf("which_eal: no mapping of librte_eal in /proc/self/maps\n");
	if (ret >= 0)
		rte_eal_cleanup();
	return ret >= 0 && maps > 0 ? 0 : 1;
}
