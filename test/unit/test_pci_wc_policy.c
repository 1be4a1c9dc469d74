/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the PCI bus's WC policy (drivers/bus/pci_wc/pci_wc_policy.c,
 * compiled in here on its own): --pci-wc values, the "pci_wc=" device
 * argument and the per-BAR decision table.
 */
#include <stdio.h>
#include <string.h>

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
	test_decide();
	printf("pci_wc_policy: %d passed, %d failed\n", passed, failed);
	return failed != 0 || passed == 0;
}
