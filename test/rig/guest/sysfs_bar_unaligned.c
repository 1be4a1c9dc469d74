/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * arm64: unaligned stores into a BAR mapped through sysfs. resourceN is
 * Device-nGnRnE (uncached): unaligned accesses must fault. resourceN_wc is
 * Normal-NC: they must succeed and read back.
 *
 *   sysfs_bar_unaligned <bdf> <bar> <uc|wc> <fault|ok>
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rig_guest.h"

#define MAP_LEN 4096u

struct store {
	const char *name;
	size_t off;	/* byte offset into the mapping */
	size_t len;	/* bytes stored */
	int aligned;	/* control case: must never fault */
	volatile uint8_t *base;
};

static const uint8_t pattern[16] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf1, 0xf2,
};

/* Called through a volatile pointer so the compiler cannot inline it into
 * byte stores: we want the C library's real memcpy.
 */
static void *(*volatile lib_memcpy)(void *, const void *, size_t) = memcpy;

static void
do_store(void *arg)
{
	struct store *s = arg;
	void *dst = (void *)(uintptr_t)(s->base + s->off);
	uint64_t v64;
	uint32_t v32;

	switch (s->len) {
	case 8:
		memcpy(&v64, pattern, 8);
		*(volatile uint64_t *)dst = v64;
		break;
	case 4:
		memcpy(&v32, pattern, 4);
		*(volatile uint32_t *)dst = v32;
		break;
	default:
		lib_memcpy(dst, pattern, s->len);
	}
}

/* Byte reads are always aligned: safe on either mapping. */
static int
reads_back(const struct store *s)
{
	size_t i;

	for (i = 0; i < s->len; i++)
		if (s->base[s->off + i] != pattern[i])
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	struct store stores[] = {
		{ "aligned 8-byte store", 64, 8, 1, NULL },
		{ "unaligned 8-byte store", 128 + 3, 8, 0, NULL },
		{ "unaligned 4-byte store", 256 + 5, 4, 0, NULL },
		{ "13-byte memcpy at an odd offset", 512 + 1, 13, 0, NULL },
	};
	char path[256];
	volatile uint8_t *p;
	int expect_fault;
	unsigned int i;

	if (argc != 5 || (strcmp(argv[3], "uc") && strcmp(argv[3], "wc")) ||
	    (strcmp(argv[4], "fault") && strcmp(argv[4], "ok"))) {
		fprintf(stderr, "usage: %s <bdf> <bar> <uc|wc> <fault|ok>\n",
			argv[0]);
		return 2;
	}
	expect_fault = strcmp(argv[4], "fault") == 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d%s",
		 argv[1], atoi(argv[2]), strcmp(argv[3], "wc") ? "" : "_wc");
	p = rig_map_resource(path, MAP_LEN);
	rig_check(p != NULL, "mmap %s", path);
	if (p == NULL)
		return rig_summary();

	for (i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		struct store *s = &stores[i];
		int sig;

		s->base = p;
		sig = rig_try(do_store, s);
		if (s->aligned || !expect_fault) {
			rig_check(sig == 0, "%s: %s completes%s", path, s->name,
				  sig ? " (got a signal)" : "");
			if (sig == 0)
				rig_check(reads_back(s), "%s: %s reads back",
					  path, s->name);
		} else {
			rig_check(sig == SIGBUS,
				  "%s: %s raises SIGBUS (got %s)", path,
				  s->name, sig ? strsignal(sig) : "no signal");
		}
	}
	return rig_summary();
}
