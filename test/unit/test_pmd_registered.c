/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Starts EAL with no devices and checks our PMD is really there: its log
 * type is registered by the PMD's own constructor, so it appears only when
 * the driver was linked in (static program) or loaded (shared, "-d <so>").
 * Extra arguments are passed to EAL.
 *
 * EAL refuses to load a plugin below a world-writable directory (a build
 * tree cloned under /tmp, say), so a "-d" path there is first copied into
 * a private directory under a safe root, the way an installed PMD would be.
 */

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_bus.h>
#include <rte_common.h>
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

/* True when no directory above @path is writable by others. */
static int
path_is_private(const char *path)
{
	char buf[PATH_MAX], *dir;
	struct stat st;

	if (realpath(path, buf) == NULL)
		return 0;
	for (dir = dirname(buf); ; dir = dirname(dir)) {
		if (stat(dir, &st) < 0 || (st.st_mode & S_IWOTH))
			return 0;
		if (strcmp(dir, "/") == 0)
			return 1;
	}
}

/* Copy @so into a fresh 0700 directory under a root EAL accepts. */
static char *
private_copy(const char *so)
{
	static const char *roots[] = { "/run", "/var/lib", "/root" };
	char dir[PATH_MAX], *dst = NULL, cmd[3 * PATH_MAX];
	unsigned int i;

	for (i = 0; i < RTE_DIM(roots) && dst == NULL; i++) {
		snprintf(dir, sizeof(dir), "%s/dpdk-wc-test-XXXXXX", roots[i]);
		if (!path_is_private(roots[i]) || mkdtemp(dir) == NULL)
			continue;
		if (asprintf(&dst, "%s/%s", dir, strrchr(so, '/') ?
			     strrchr(so, '/') + 1 : so) < 0)
			return NULL;
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", so, dst);
		if (system(cmd) != 0) {
			free(dst);
			dst = NULL;
		}
	}
	if (dst != NULL)
		printf("copied %s to %s (EAL loads plugins only from private paths)\n",
		       so, dst);
	return dst;
}

int
main(int argc, char **argv)
{
	char *eal_argv[MAX_ARGS] = {
		argv[0], "--no-shconf", "--no-huge", "-m", "32", "--no-pci",
		"--no-telemetry", "-l", "0", "--log-level=lib.eal:error",
	};
	int eal_argc = 10;
	char *types = NULL, *copy = NULL;
	size_t types_len = 0;
	FILE *f;
	int i;

	for (i = 1; i < argc && eal_argc < MAX_ARGS; i++) {
		eal_argv[eal_argc++] = argv[i];
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc &&
		    !path_is_private(argv[i + 1])) {
			copy = private_copy(argv[++i]);
			if (copy == NULL) {
				printf("FAIL: no private place to load %s from\n",
				       argv[i]);
				return 1;
			}
			eal_argv[eal_argc++] = copy;
		}
	}

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
	if (copy != NULL) {
		unlink(copy);
		rmdir(dirname(copy));
		free(copy);
	}
	printf("%d passed, %d failed\n", 3 - failures, failures);
	return failures ? 1 : 0;
}
