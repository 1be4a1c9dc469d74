/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Starts EAL with no devices and checks our PMD is really there: its log
 * type is registered by the PMD's own constructor, so it appears only when
 * the driver was linked in (static program) or loaded (shared, "-d <so>").
 * Extra arguments are passed to EAL.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_bus.h>
#include <rte_errno.h>

#include "wc_dpdk_check.h"

#define MAX_ARGS 32

static int failures;

static void
check(int cond, const char *what)
{
	printf("%s: %s\n", cond ? "ok" : "FAIL", what);
	if (!cond)
		failures++;
}

int
main(int argc, char **argv)
{
	char *eal_argv[MAX_ARGS] = {
		argv[0], "--no-shconf", "--no-huge", "-m", "32", "--no-pci",
		"--no-telemetry", "-l", "0", "--log-level=lib.eal:error",
	};
	int eal_argc = 10;
	char *types = NULL;
	size_t types_len = 0;
	FILE *f;
	int i;

	for (i = 1; i < argc && eal_argc < MAX_ARGS; i++)
		eal_argv[eal_argc++] = argv[i];

	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		printf("FAIL: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}

	f = open_memstream(&types, &types_len);
	if (f == NULL) {
		perror("open_memstream");
		return 1;
	}
	rte_log_list_types(f, "pmd.raw.");
	fclose(f);

	check(RTE_DPDK_WC_HOOKS >= WC_DPDK_HOOKS_REQUIRED,
	      "DPDK carries the dpdk-wc patch series");
	check(rte_bus_find_by_name("pci") != NULL, "PCI bus registered");
	check(types != NULL && strstr(types, "pmd.raw.nvme_cmb") != NULL,
	      "nvme_cmb PMD registered its log type");

	free(types);
	rte_eal_cleanup();
	printf("%d passed, %d failed\n", 3 - failures, failures);
	return failures ? 1 : 0;
}
