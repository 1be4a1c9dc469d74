/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the NVMe CMB driver's device arguments
 * (drivers/raw/nvme_cmb/nvme_cmb_args.c, compiled in with rte_kvargs):
 * defaults, every key, every class of bad value, unknown and repeated
 * keys, the error text, and the configuration left after an error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nvme_cmb_args.h"
#include "test_nvme_cmb_check.h"


static bool
conf_is(const struct rte_pmd_nvme_cmb_conf *c,
		enum rte_pmd_nvme_cmb_place sq, enum rte_pmd_nvme_cmb_place data,
		unsigned int qdepth, unsigned int timeout_ms)
{
	return c->sq == sq && c->data == data && c->qdepth == qdepth &&
		c->timeout_ms == timeout_ms &&
		c->max_xfer == NVME_CMB_MAX_XFER_DEFAULT;
}

static bool
conf_default(const struct rte_pmd_nvme_cmb_conf *c)
{
	return conf_is(c, RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST,
		NVME_CMB_QDEPTH_DEFAULT, NVME_CMB_TIMEOUT_DEFAULT);
}

/* Something no parse leaves behind, to see that conf was written. */
static void
scribble(struct rte_pmd_nvme_cmb_conf *c)
{
	c->sq = RTE_PMD_NVME_CMB_CMB;
	c->data = RTE_PMD_NVME_CMB_CMB;
	c->qdepth = 999;
	c->timeout_ms = 12345;
	c->max_xfer = 1;
}

/* max_xfer alone: the other fields stay the defaults. */
static void
test_max_xfer(void)
{
	static const uint32_t ok[] = { 4096, 8192, 524288, 8388608 };
	struct rte_pmd_nvme_cmb_conf c;
	char in[64], err[160];
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(in, sizeof(in), "max_xfer=%u", ok[i]);
		scribble(&c);
		ret = nvme_cmb_args_parse(in, &c, NULL, err, sizeof(err));
		CHECK(ret == 0 && c.max_xfer == ok[i] && c.qdepth == 32 &&
			c.timeout_ms == 5000, "\"%s\" -> max_xfer=%u (%d)", in,
			c.max_xfer, ret);
	}
	CHECK(nvme_cmb_args_given("qdepth=8,max_xfer=4096", "max_xfer") &&
		nvme_cmb_args_given("qdepth=8", "qdepth") &&
		!nvme_cmb_args_given("qdepth=8", "max_xfer") &&
		!nvme_cmb_args_given(NULL, "qdepth") &&
		!nvme_cmb_args_given("", "qdepth"),
		"nvme_cmb_args_given() tells which keys were given");
}

static void
test_defaults(void)
{
	struct rte_pmd_nvme_cmb_conf c;
	char err[160];
	int ret;

	scribble(&c);
	nvme_cmb_args_default(&c);
	CHECK(conf_default(&c) && c.qdepth == 32 && c.timeout_ms == 5000 &&
		c.sq == RTE_PMD_NVME_CMB_HOST && c.data == RTE_PMD_NVME_CMB_HOST,
		"defaults: sq=host data=host qdepth=32 timeout_ms=5000");

	scribble(&c);
	strcpy(err, "stale");
	ret = nvme_cmb_args_parse(NULL, &c, NULL, err, sizeof(err));
	CHECK(ret == 0 && conf_default(&c) && err[0] == '\0',
		"NULL args: defaults (%d, \"%s\")", ret, err);

	scribble(&c);
	strcpy(err, "stale");
	ret = nvme_cmb_args_parse("", &c, NULL, err, sizeof(err));
	CHECK(ret == 0 && conf_default(&c) && err[0] == '\0',
		"\"\" args: defaults (%d, \"%s\")", ret, err);

	scribble(&c);
	ret = nvme_cmb_args_parse(",", &c, NULL, err, sizeof(err));
	CHECK(ret == 0 && conf_default(&c), "\",\": no pairs, defaults (%d)",
		ret);

	CHECK(strcmp(nvme_cmb_place_name(RTE_PMD_NVME_CMB_HOST), "host") == 0 &&
		strcmp(nvme_cmb_place_name(RTE_PMD_NVME_CMB_CMB), "cmb") == 0,
		"place names host, cmb");
	CHECK(strcmp(nvme_cmb_place_name((enum rte_pmd_nvme_cmb_place)7),
		"host") != 0 &&
		strcmp(nvme_cmb_place_name((enum rte_pmd_nvme_cmb_place)7),
		"cmb") != 0, "a value that is no place is not named one (\"%s\")",
		nvme_cmb_place_name((enum rte_pmd_nvme_cmb_place)7));
}

static void
test_valid(void)
{
	static const struct {
		const char *in;
		enum rte_pmd_nvme_cmb_place sq, data;
		unsigned int qdepth, timeout_ms;
	} cases[] = {
		{ "sq=cmb", RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_HOST, 32, 5000 },
		{ "sq=host", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST, 32, 5000 },
		{ "data=cmb", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_CMB, 32, 5000 },
		{ "data=host", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST, 32, 5000 },
		{ "qdepth=2", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST, 2, 5000 },
		{ "qdepth=8", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST, 8, 5000 },
		{ "qdepth=1024", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST,
			1024, 5000 },
		{ "qdepth=0064", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST,
			64, 5000 },	/* leading zeros: still decimal */
		{ "timeout_ms=1", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST,
			32, 1 },
		{ "timeout_ms=60000", RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST,
			32, 60000 },
		{ "sq=cmb,data=cmb,qdepth=8,timeout_ms=250", RTE_PMD_NVME_CMB_CMB,
			RTE_PMD_NVME_CMB_CMB, 8, 250 },
		{ "timeout_ms=100,qdepth=1000,data=cmb,sq=host",
			RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_CMB, 1000, 100 },
		{ "sq=cmb,", RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_HOST, 32, 5000 },
	};
	struct rte_pmd_nvme_cmb_conf c;
	char err[160];
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		scribble(&c);
		strcpy(err, "stale");
		ret = nvme_cmb_args_parse(cases[i].in, &c, NULL, err, sizeof(err));
		CHECK(ret == 0 && err[0] == '\0' &&
			conf_is(&c, cases[i].sq, cases[i].data, cases[i].qdepth,
				cases[i].timeout_ms),
			"\"%s\" -> sq=%s data=%s qdepth=%u timeout_ms=%u (%d%s%s)",
			cases[i].in, nvme_cmb_place_name(c.sq),
			nvme_cmb_place_name(c.data), c.qdepth, c.timeout_ms, ret,
			err[0] ? ", " : "", err);
	}

	/* err may be absent when the caller only wants the verdict. */
	ret = nvme_cmb_args_parse("qdepth=4", &c, NULL, NULL, 0);
	CHECK(ret == 0 && c.qdepth == 4, "no err buffer, valid: %d", ret);
	ret = nvme_cmb_args_parse("qdepth=1", &c, NULL, NULL, 0);
	CHECK(ret == -EINVAL && conf_default(&c), "no err buffer, bad: %d",
		ret);
}

/*
 * Bad input: -EINVAL, conf back to the defaults (it was scribbled on and
 * a good key came first where the case has one), and exactly the text
 * expected, which names the key and what it accepts.
 */
static void
test_bad(void)
{
	static const struct {
		const char *in;
		const char *msg;
	} cases[] = {
		/* Places. */
		{ "sq=bogus", "nvme_cmb: sq=bogus: expected host or cmb" },
		{ "sq=", "nvme_cmb: sq=: expected host or cmb" },
		{ "sq", "nvme_cmb: sq=: expected host or cmb" },
		{ "sq=HOST", "nvme_cmb: sq=HOST: expected host or cmb" },
		{ "sq=cmbx", "nvme_cmb: sq=cmbx: expected host or cmb" },
		{ "sq=hostx", "nvme_cmb: sq=hostx: expected host or cmb" },
		{ "data=CMB", "nvme_cmb: data=CMB: expected host or cmb" },
		{ "data=Host", "nvme_cmb: data=Host: expected host or cmb" },
		{ "data=", "nvme_cmb: data=: expected host or cmb" },
		{ "sq=cm", "nvme_cmb: sq=cm: expected host or cmb" },
		{ "sq= cmb", "nvme_cmb: sq= cmb: expected host or cmb" },
		{ "qdepth=8,data=disk",
			"nvme_cmb: data=disk: expected host or cmb" },
		/* Numbers: range. */
		{ "qdepth=1", "nvme_cmb: qdepth=1: expected an integer 2..1024" },
		{ "qdepth=0", "nvme_cmb: qdepth=0: expected an integer 2..1024" },
		{ "qdepth=1025",
			"nvme_cmb: qdepth=1025: expected an integer 2..1024" },
		{ "timeout_ms=0",
			"nvme_cmb: timeout_ms=0: expected an integer 1..60000" },
		{ "timeout_ms=60001",
			"nvme_cmb: timeout_ms=60001: expected an integer 1..60000" },
		/* Numbers: form. */
		{ "qdepth=", "nvme_cmb: qdepth=: expected an integer 2..1024" },
		{ "qdepth", "nvme_cmb: qdepth=: expected an integer 2..1024" },
		{ "qdepth=+8", "nvme_cmb: qdepth=+8: expected an integer 2..1024" },
		{ "qdepth=-8", "nvme_cmb: qdepth=-8: expected an integer 2..1024" },
		{ "qdepth= 8", "nvme_cmb: qdepth= 8: expected an integer 2..1024" },
		{ "qdepth=8 ", "nvme_cmb: qdepth=8 : expected an integer 2..1024" },
		{ "qdepth=8k", "nvme_cmb: qdepth=8k: expected an integer 2..1024" },
		{ "qdepth=0x10",
			"nvme_cmb: qdepth=0x10: expected an integer 2..1024" },
		{ "qdepth=8.0",
			"nvme_cmb: qdepth=8.0: expected an integer 2..1024" },
		{ "qdepth=1e3",
			"nvme_cmb: qdepth=1e3: expected an integer 2..1024" },
		/* 2^32 + 8 and 2^64 + 8 would pass as 8 if they wrapped. */
		{ "qdepth=4294967304",
			"nvme_cmb: qdepth=4294967304: expected an integer 2..1024" },
		{ "timeout_ms=18446744073709551624", "nvme_cmb: "
			"timeout_ms=18446744073709551624: expected an integer "
			"1..60000" },
		{ "timeout_ms=99999999999999999999999999999999999", "nvme_cmb: "
			"timeout_ms=99999999999999999999999999999999999: expected an "
			"integer 1..60000" },
		/* max_xfer: bytes, whole 4 KiB units, 4 KiB to 8 MiB. */
		{ "max_xfer=0", "nvme_cmb: max_xfer=0: expected a multiple of "
			"4096 in 4096..8388608 (bytes)" },
		{ "max_xfer=4095", "nvme_cmb: max_xfer=4095: expected a multiple "
			"of 4096 in 4096..8388608 (bytes)" },
		{ "max_xfer=5000", "nvme_cmb: max_xfer=5000: expected a multiple "
			"of 4096 in 4096..8388608 (bytes)" },
		{ "max_xfer=8392704", "nvme_cmb: max_xfer=8392704: expected a "
			"multiple of 4096 in 4096..8388608 (bytes)" },
		{ "max_xfer=512k", "nvme_cmb: max_xfer=512k: expected a multiple "
			"of 4096 in 4096..8388608 (bytes)" },
		/* Keys. */
		{ "foo=1", "nvme_cmb: unknown device argument \"foo\" (accepted: "
			"sq, data, qdepth, timeout_ms, max_xfer, self_test)" },
		{ "sq=cmb,foo", "nvme_cmb: unknown device argument \"foo\" "
			"(accepted: sq, data, qdepth, timeout_ms, max_xfer, self_test)" },
		{ "SQ=cmb", "nvme_cmb: unknown device argument \"SQ\" (accepted: "
			"sq, data, qdepth, timeout_ms, max_xfer, self_test)" },
		{ "timeout=5", "nvme_cmb: unknown device argument \"timeout\" "
			"(accepted: sq, data, qdepth, timeout_ms, max_xfer, self_test)" },
		{ "=5", "nvme_cmb: unknown device argument \"\" (accepted: sq, "
			"data, qdepth, timeout_ms, max_xfer, self_test)" },
		{ "qdepth=2,qdepth=8",
			"nvme_cmb: qdepth given 2 times: give it once" },
		{ "qdepth=8,qdepth=8",
			"nvme_cmb: qdepth given 2 times: give it once" },
		{ "sq=cmb,data=cmb,sq=cmb,sq=host",
			"nvme_cmb: sq given 3 times: give it once" },
		{ "timeout_ms=9,sq=host,timeout_ms=9",
			"nvme_cmb: timeout_ms given 2 times: give it once" },
		/* self_test. */
		{ "self_test=2", "nvme_cmb: self_test=2: expected 0 or 1" },
		{ "self_test=yes", "nvme_cmb: self_test=yes: expected 0 or 1" },
		{ "self_test", "nvme_cmb: self_test=: expected 0 or 1" },
		{ "self_test=1,self_test=1",
			"nvme_cmb: self_test given 2 times: give it once" },
		/* The first problem in the string is the one reported. */
		{ "sq=cmb,qdepth=1,foo=2",
			"nvme_cmb: qdepth=1: expected an integer 2..1024" },
		{ "sq=cmb,foo=2,qdepth=1", "nvme_cmb: unknown device argument "
			"\"foo\" (accepted: sq, data, qdepth, timeout_ms, max_xfer, self_test)" },
	};
	struct rte_pmd_nvme_cmb_conf c;
	char err[256];
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		scribble(&c);
		memset(err, 'X', sizeof(err));
		ret = nvme_cmb_args_parse(cases[i].in, &c, NULL, err, sizeof(err));
		CHECK(ret == -EINVAL && conf_default(&c) &&
			strcmp(err, cases[i].msg) == 0,
			"\"%s\" -> %d, defaults %d, \"%s\"", cases[i].in, ret,
			conf_default(&c), err);
	}

	/* More pairs than rte_kvargs takes: still a message, not a crash. */
	{
		char many[40 * 8 + 1] = "";
		unsigned int n;

		for (n = 0; n < 40; n++)
			strcat(many, n ? ",sq=cmb" : "sq=cmb");
		scribble(&c);
		ret = nvme_cmb_args_parse(many, &c, NULL, err, sizeof(err));
		CHECK(ret == -EINVAL && conf_default(&c) &&
			strncmp(err, "nvme_cmb: ", 10) == 0 &&
			strstr(err, "sq, data, qdepth, timeout_ms") != NULL,
			"40 pairs -> %d \"%s\"", ret, err);
	}

	ret = nvme_cmb_args_parse("sq=cmb", NULL, NULL, err, sizeof(err));
	CHECK(ret == -EINVAL && strncmp(err, "nvme_cmb: ", 10) == 0,
		"no conf -> %d \"%s\"", ret, err);
}

/* A short err buffer: the message cut, terminated, nothing past it. */
static void
test_truncation(void)
{
	struct rte_pmd_nvme_cmb_conf c;
	char buf[32];
	size_t n;
	int ret;
	bool ok = true;

	for (n = 1; n <= 24; n++) {
		memset(buf, 'X', sizeof(buf));
		scribble(&c);
		ret = nvme_cmb_args_parse("qdepth=1", &c, NULL, buf, n);
		ok = ok && ret == -EINVAL && conf_default(&c) &&
			buf[n - 1] == '\0' && strlen(buf) == n - 1 &&
			strncmp(buf, "nvme_cmb: qdepth=1: expected", n - 1) == 0 &&
			buf[n] == 'X';
		if (!ok) {
			CHECK(false, "errlen %zu: \"%.*s\"", n, (int)n, buf);
			return;
		}
	}
	CHECK(ok, "errlen 1..24: cut to errlen - 1, NUL-terminated, "
		"nothing written past");

	memset(buf, 'X', sizeof(buf));
	ret = nvme_cmb_args_parse("qdepth=1", &c, NULL, buf, 0);
	CHECK(ret == -EINVAL && buf[0] == 'X', "errlen 0: buffer untouched");

	memset(buf, 'X', sizeof(buf));
	ret = nvme_cmb_args_parse("foo=1", &c, NULL, buf, 8);
	CHECK(ret == -EINVAL && strcmp(buf, "nvme_cm") == 0 && buf[8] == 'X',
		"unknown key, errlen 8: \"%s\"", buf);
}

/* self_test=0|1: reported apart from the configuration, false otherwise. */
static void
test_self_test(void)
{
	static const struct {
		const char *in;
		int ret;
		bool self_test;
	} cases[] = {
		{ NULL, 0, false },
		{ "sq=cmb", 0, false },
		{ "self_test=1", 0, true },
		{ "self_test=0", 0, false },
		{ "sq=cmb,self_test=1,qdepth=8", 0, true },
		{ "self_test=1,qdepth=1", -EINVAL, false },
		{ "self_test=1,foo=1", -EINVAL, false },
	};
	struct rte_pmd_nvme_cmb_conf c;
	char err[256];
	unsigned int i;
	bool st;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st = !cases[i].self_test;	/* the opposite: must be written */
		ret = nvme_cmb_args_parse(cases[i].in, &c, &st, err, sizeof(err));
		CHECK(ret == cases[i].ret && st == cases[i].self_test,
			"\"%s\" -> %d, self_test %d (want %d, %d)",
			cases[i].in != NULL ? cases[i].in : "(null)", ret, st,
			cases[i].ret, cases[i].self_test);
	}
	ret = nvme_cmb_args_parse("self_test=1,sq=cmb", &c, NULL, err, sizeof(err));
	CHECK(ret == 0 && c.sq == RTE_PMD_NVME_CMB_CMB,
		"self_test without a place to report it: accepted, conf filled (%d)",
		ret);
}

int
main(void)
{
	test_defaults();
	test_max_xfer();
	test_valid();
	test_bad();
	test_truncation();
	test_self_test();
	return check_summary();
}
