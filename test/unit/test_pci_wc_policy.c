/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the PCI bus's WC policy (drivers/bus/pci_wc/pci_wc_policy.c,
 * compiled in here on its own): --pci-wc values, the "pci_wc=" device
 * argument and the per-BAR decision table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci_wc_policy.h"

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

static void
test_mode_parse(void)
{
	static const struct {
		const char *in;
		int ret;
		enum pci_wc_mode mode;
	} cases[] = {
		{ NULL, 0, PCI_WC_MODE_DRIVER },	/* bare --pci-wc */
		{ "", 0, PCI_WC_MODE_DRIVER },
		{ "off", 0, PCI_WC_MODE_OFF },
		{ "driver", 0, PCI_WC_MODE_DRIVER },
		{ "all", 0, PCI_WC_MODE_ALL },
		{ "bogus", -1, 0 },
		{ "unset", -1, 0 },	/* internal state, not a value */
		{ "ALL", -1, 0 },
		{ "all ", -1, 0 },
		{ "al", -1, 0 },
		{ "alll", -1, 0 },
		{ "1", -1, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum pci_wc_mode m = PCI_WC_MODE_UNSET;
		int ret = pci_wc_mode_parse(cases[i].in, &m);

		CHECK(ret == cases[i].ret, "parse '%s' returned %d",
			cases[i].in ? cases[i].in : "(null)", ret);
		if (ret == 0)
			CHECK(m == cases[i].mode, "parse '%s' gave %s",
				cases[i].in ? cases[i].in : "(null)",
				pci_wc_mode_name(m));
		else
			CHECK(m == PCI_WC_MODE_UNSET,
				"failed parse changed the mode");
	}
	CHECK(strcmp(pci_wc_mode_name(PCI_WC_MODE_ALL), "all") == 0, "name");
}

static void
test_devargs(void)
{
	static const struct {
		const char *in;
		int ret;
		const char *left;
		enum pci_wc_mode mode;
	} cases[] = {
		{ "", 0, "", 0 },
		{ "pci_wc=all", 1, "", PCI_WC_MODE_ALL },
		{ "pci_wc=off,rxq=2", 1, "rxq=2", PCI_WC_MODE_OFF },
		{ "rxq=2,pci_wc=driver", 1, "rxq=2", PCI_WC_MODE_DRIVER },
		{ "a=1,pci_wc=all,b=2", 1, "a=1,b=2", PCI_WC_MODE_ALL },
		{ "pci_wcx=all", 0, "pci_wcx=all", 0 },
		{ "xpci_wc=all", 0, "xpci_wc=all", 0 },
		{ "pci_wc", 0, "pci_wc", 0 },	/* no '=': not ours */
		{ "pci_wc=", -1, "pci_wc=", 0 },
		{ "pci_wc=bogus,a=1", -1, "pci_wc=bogus,a=1", 0 },
		{ "a=1,pci_wc=averyveryverylongvalue", -1,
			"a=1,pci_wc=averyveryverylongvalue", 0 },
		/* every occurrence is the bus's: none may reach the driver */
		{ "pci_wc=all,a=1,pci_wc=all", 1, "a=1", PCI_WC_MODE_ALL },
		{ "pci_wc=off,pci_wc=off", 1, "", PCI_WC_MODE_OFF },
		{ "a=1,pci_wc=all,b=2,pci_wc=all,c=3", 1, "a=1,b=2,c=3",
			PCI_WC_MODE_ALL },
		/* two different answers: refused, nothing removed */
		{ "pci_wc=all,a=1,pci_wc=off", -1, "pci_wc=all,a=1,pci_wc=off", 0 },
		/* a bad later occurrence spoils a good first one */
		{ "pci_wc=all,pci_wc=bogus", -1, "pci_wc=all,pci_wc=bogus", 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum pci_wc_mode m = PCI_WC_MODE_UNSET;
		char buf[64];
		int ret;

		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		ret = pci_wc_devargs_extract(buf, &m);
		CHECK(ret == cases[i].ret, "devargs '%s' returned %d",
			cases[i].in, ret);
		CHECK(strcmp(buf, cases[i].left) == 0,
			"devargs '%s' left '%s' (expected '%s')", cases[i].in,
			buf, cases[i].left);
		if (ret == 1)
			CHECK(m == cases[i].mode, "devargs '%s' gave %s",
				cases[i].in, pci_wc_mode_name(m));
	}
	CHECK(pci_wc_devargs_extract(NULL, NULL) == 0, "NULL args");
}

/* The mode across the bus's attempts of several drivers on one device. */
static void
test_devarg_take(void)
{
	struct pci_wc_devarg st;
	char first[64] = "pci_wc=all,a=1";
	char second[64] = "a=1";
	char bad[64] = "pci_wc=nope";
	char none[64] = "";

	memset(&st, 0, sizeof(st));
	CHECK(pci_wc_devarg_take(&st, first) == 1 && st.set &&
		st.mode == PCI_WC_MODE_ALL, "first attempt takes the key");
	CHECK(strcmp(first, "a=1") == 0, "key cut out (left '%s')", first);
	/* the next driver's attempt sees the same, already cut string */
	CHECK(pci_wc_devarg_take(&st, first) == 1 && st.set &&
		st.mode == PCI_WC_MODE_ALL, "second attempt keeps the mode");
	/* the device probed again with new arguments without the key */
	CHECK(pci_wc_devarg_take(&st, second) == 0 && !st.set &&
		st.mode == PCI_WC_MODE_UNSET,
		"new arguments without the key clear the mode");
	CHECK(pci_wc_devarg_take(&st, NULL) == 0 && !st.set, "no arguments");
	CHECK(pci_wc_devarg_take(&st, none) == 0 && !st.set, "empty arguments");
	/* the same buffer changed by its owner is not the string seen before */
	pci_wc_devarg_take(&st, first);
	snprintf(first, sizeof(first), "b=2");
	CHECK(pci_wc_devarg_take(&st, first) == 0 && !st.set,
		"same buffer, other contents: read afresh");
	/* a bad value changes nothing */
	snprintf(first, sizeof(first), "pci_wc=off");
	pci_wc_devarg_take(&st, first);
	CHECK(pci_wc_devarg_take(&st, bad) == -1 && st.set &&
		st.mode == PCI_WC_MODE_OFF && strcmp(bad, "pci_wc=nope") == 0,
		"bad value: refused, state and string unchanged");
}

/* No reason the bus writes may be cut: the longest of each kind fits. */
static void
test_reason_lengths(void)
{
	static const enum pci_wc_mode modes[] = {
		PCI_WC_MODE_UNSET, PCI_WC_MODE_OFF, PCI_WC_MODE_DRIVER,
		PCI_WC_MODE_ALL,
	};
	char longdrv[128], why[PCI_WC_REASON_LEN], what[PCI_WC_REASON_LEN];
	char out[PCI_WC_REASON_LEN];
	int longest = 0, err, kind;
	unsigned int m, bits;

	/* longer than any DPDK driver name: decide() cuts it */
	memset(longdrv, 'd', sizeof(longdrv) - 1);
	longdrv[sizeof(longdrv) - 1] = '\0';
	for (m = 0; m < 4; m++) {
		for (bits = 0; bits < 32; bits++) {
			struct pci_wc_bar_facts f = {
				.mode = modes[m],
				.mode_from_devarg = bits & 1,
				.access = (bits & 2) ? PCI_WC_ACCESS_UIO :
					PCI_WC_ACCESS_VFIO,
				.memory = (bits & 4) != 0,
				.prefetchable = (bits & 8) != 0,
				.driver_asks = (bits & 16) != 0,
				.driver = longdrv,
			};

			pci_wc_decide(&f, why, sizeof(why));
			CHECK(strlen(why) < sizeof(why) - 1,
				"decision reason fills the buffer: %s", why);
			for (kind = PCI_WC_WHAT_REFUSED;
					kind <= PCI_WC_WHAT_UIO_WC_MMAP; kind++) {
				for (err = 0; err < 134; err++) {
					int n;

					pci_wc_what(what, sizeof(what), kind,
						kind == PCI_WC_WHAT_ALIAS_UNMAPPABLE ?
						err * 16777216 : err);
					n = pci_wc_reason_refused(out, sizeof(out),
						why, what);
					if (n > longest)
						longest = n;
					if (n >= (int)sizeof(out)) {
						CHECK(0, "reason cut at %zu of %d: %s",
							sizeof(out), n, out);
						return;
					}
				}
			}
		}
	}
	printf("longest reason: %d characters (room for %d)\n", longest,
		PCI_WC_REASON_LEN - 1);
	CHECK(longest > 128, "the enumeration reaches the long reasons (%d)",
		longest);
}

/* A sysfs tree of our own: which drivers count as VFIO drivers. */
static void
test_kdrv(void)
{
	char root[] = "/tmp/pci_wc_kdrv.XXXXXX";
	char path[512];
	static const char *const dirs[] = {
		"bus", "bus/pci", "bus/pci/drivers",
		"bus/pci/drivers/vfio-pci-wc", "bus/pci/drivers/mlx5_vfio_pci",
		"bus/pci/drivers/nvme", "bus/pci/drivers/vfio-pci-builtin",
		"module", "module/vfio_pci_wc", "module/mlx5_vfio_pci",
		"module/nvme", "module/vfio_pci_core",
		"module/vfio_pci_core/holders",
	};
	static const char *const links[][2] = {
		{ "bus/pci/drivers/vfio-pci-wc/module", "../../../../module/vfio_pci_wc" },
		{ "bus/pci/drivers/mlx5_vfio_pci/module", "../../../../module/mlx5_vfio_pci" },
		{ "bus/pci/drivers/nvme/module", "../../../../module/nvme" },
		{ "module/vfio_pci_core/holders/vfio_pci_wc", "../../vfio_pci_wc" },
		{ "module/vfio_pci_core/holders/mlx5_vfio_pci", "../../mlx5_vfio_pci" },
	};
	unsigned int i;

	if (mkdtemp(root) == NULL) {
		CHECK(0, "mkdtemp");
		return;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		mkdir(path, 0755);
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, links[i][0]);
		CHECK(symlink(links[i][1], path) == 0, "symlink %s", path);
	}
	CHECK(pci_wc_kdrv_is_vfio_at(root, "vfio-pci"), "vfio-pci (no module link)");
	CHECK(pci_wc_kdrv_is_vfio_at(root, "vfio-pci-wc"), "vfio-pci-wc is a vfio_pci_core user");
	CHECK(pci_wc_kdrv_is_vfio_at(root, "mlx5_vfio_pci"), "any variant driver counts");
	CHECK(!pci_wc_kdrv_is_vfio_at(root, "nvme"), "nvme is not VFIO");
	CHECK(!pci_wc_kdrv_is_vfio_at(root, "vfio-pci-builtin"),
		"a driver without a module link is not assumed VFIO");
	CHECK(!pci_wc_kdrv_is_vfio_at(root, "unknown"), "no such driver");
	CHECK(!pci_wc_kdrv_is_vfio_at(root, "../../module/nvme"), "no path in a name");
	CHECK(!pci_wc_kdrv_is_vfio_at(root, ""), "empty name");
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	if (system(path) != 0)
		printf("could not remove %s\n", root);
}

static void
test_decide(void)
{
	static const struct {
		enum pci_wc_mode mode;
		enum pci_wc_access access;
		int memory, prefetchable, driver_asks;
		int want;
		const char *reason_has;
	} cases[] = {
		/* nothing changes for those who do not ask */
		{ PCI_WC_MODE_UNSET, PCI_WC_ACCESS_VFIO, 1, 1, 1, 0, "not requested" },
		{ PCI_WC_MODE_UNSET, PCI_WC_ACCESS_VFIO, 1, 1, 0, 0, "not requested" },
		/* DPDK's old UIO behaviour: the driver flag alone */
		{ PCI_WC_MODE_UNSET, PCI_WC_ACCESS_UIO, 1, 1, 1, 1, "UIO default" },
		{ PCI_WC_MODE_UNSET, PCI_WC_ACCESS_UIO, 1, 1, 0, 0, "not requested" },
		{ PCI_WC_MODE_OFF, PCI_WC_ACCESS_UIO, 1, 1, 1, 0, "=off" },
		{ PCI_WC_MODE_OFF, PCI_WC_ACCESS_VFIO, 1, 1, 1, 0, "=off" },
		{ PCI_WC_MODE_DRIVER, PCI_WC_ACCESS_VFIO, 1, 1, 1, 1, "asks for WC" },
		{ PCI_WC_MODE_DRIVER, PCI_WC_ACCESS_VFIO, 1, 1, 0, 0, "does not ask" },
		{ PCI_WC_MODE_DRIVER, PCI_WC_ACCESS_UIO, 1, 1, 0, 0, "does not ask" },
		{ PCI_WC_MODE_ALL, PCI_WC_ACCESS_VFIO, 1, 1, 0, 1, "=all" },
		{ PCI_WC_MODE_ALL, PCI_WC_ACCESS_UIO, 1, 1, 0, 1, "=all" },
		/* never WC on registers, whatever was asked */
		{ PCI_WC_MODE_ALL, PCI_WC_ACCESS_VFIO, 1, 0, 1, 0, "not prefetchable" },
		{ PCI_WC_MODE_UNSET, PCI_WC_ACCESS_UIO, 1, 0, 1, 0, "not prefetchable" },
		{ PCI_WC_MODE_ALL, PCI_WC_ACCESS_VFIO, 0, 1, 1, 0, "not a memory BAR" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pci_wc_bar_facts f = {
			.mode = cases[i].mode,
			.access = cases[i].access,
			.memory = cases[i].memory,
			.prefetchable = cases[i].prefetchable,
			.driver_asks = cases[i].driver_asks,
			.driver = "net_test",
		};
		char reason[128] = "";
		bool want = pci_wc_decide(&f, reason, sizeof(reason));

		CHECK(want == (bool)cases[i].want,
			"case %u (%s, %s): want %d, got %d (%s)", i,
			pci_wc_mode_name(cases[i].mode),
			cases[i].access == PCI_WC_ACCESS_UIO ? "uio" : "vfio",
			cases[i].want, want, reason);
		CHECK(strstr(reason, cases[i].reason_has) != NULL,
			"case %u: reason '%s' lacks '%s'", i, reason,
			cases[i].reason_has);
	}

	/* the device argument is named as the source of the decision */
	{
		struct pci_wc_bar_facts f = {
			.mode = PCI_WC_MODE_ALL, .mode_from_devarg = true,
			.memory = true, .prefetchable = true,
		};
		char reason[128];

		pci_wc_decide(&f, reason, sizeof(reason));
		CHECK(strstr(reason, "device argument pci_wc=all") != NULL,
			"devarg reason '%s'", reason);
	}
	/* a short buffer is truncated, never overrun */
	{
		struct pci_wc_bar_facts f = {
			.mode = PCI_WC_MODE_DRIVER, .memory = true,
			.prefetchable = true, .driver = "net_test",
		};
		char reason[8 + 1] = { [8] = 'X' };

		pci_wc_decide(&f, reason, 8);
		CHECK(reason[8] == 'X' && strlen(reason) == 7, "truncation");
	}
}

int
main(void)
{
	test_mode_parse();
	test_devargs();
	test_devarg_take();
	test_kdrv();
	test_reason_lengths();
	test_decide();
	printf("pci_wc_policy: %d passed, %d failed\n", passed, failed);
	return failed != 0 || passed == 0;
}
