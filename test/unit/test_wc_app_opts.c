/* SPDX-License-Identifier: BSD-3-Clause */
/* dpdk-test-wc option parsing: defaults, every option, every error. */
#include <string.h>

#include "test_wc_opts.h"
#include "test_wc_app_check.h"

static int
parse(struct twc_opts *o, char *err, const char *const *args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = (char *)"--";
	while (*args != NULL && argc < 63)
		argv[argc++] = (char *)*args++;
	return twc_opts_parse(o, argc, argv, err, 256);
}

#define PARSE(...) parse(&o, err, (const char *const[]){ __VA_ARGS__, NULL })

static void
test_sizes(void)
{
	uint64_t v;

	CHECK(twc_parse_size("64", &v) == 0 && v == 64);
	CHECK(twc_parse_size("4K", &v) == 0 && v == 4096);
	CHECK(twc_parse_size("4KiB", &v) == 0 && v == 4096);
	CHECK(twc_parse_size("1M", &v) == 0 && v == 1 << 20);
	CHECK(twc_parse_size("2g", &v) == 0 && v == 2ull << 30);
	CHECK(twc_parse_size("0x40", &v) == 0 && v == 64);
	CHECK(twc_parse_size("", &v) != 0);
	CHECK(twc_parse_size("-1", &v) != 0);
	CHECK(twc_parse_size("4X", &v) != 0);
	CHECK(twc_parse_size("K", &v) != 0);
	CHECK(twc_parse_size("99999999999999999999", &v) != 0);
	CHECK(twc_parse_size("17179869184G", &v) != 0);
}

static void
test_defaults(void)
{
	struct twc_opts o;
	char err[256];

	CHECK(PARSE("--label", "x") == 0);
	CHECK(o.bar == -1);
	CHECK(o.modes == (TWC_MODE_THROUGHPUT | TWC_MODE_UNALIGNED));
	CHECK(o.phases == (TWC_PHASE_UC | TWC_PHASE_WC));
	/* 8 B .. 1 MiB, powers of two. */
	CHECK(o.nsizes == 18);
	CHECK(o.sizes[0] == 8 && o.sizes[17] == 1 << 20);
	CHECK(o.ndst_offsets == 2 && o.dst_offsets[0] == 0 &&
	      o.dst_offsets[1] == 1);
	CHECK(o.reps == 11 && o.warmup == 2);
	CHECK(o.reads && !o.parallel && !o.quick);
	CHECK(o.ua_offsets == 64 && o.ua_lens == 256);
	CHECK(o.widths == TWC_WIDTHS_ALL);
	CHECK(strcmp(o.label, "x") == 0);
	CHECK(o.csv == NULL && o.json == NULL && o.plot == NULL);
}

static void
test_values(void)
{
	struct twc_opts o;
	char err[256];

	CHECK(PARSE("--sizes", "64,4K,1M", "--bar=2", "--mode", "unaligned",
		    "--phases", "wc", "--reps", "5", "--warmup=0",
		    "--widths", "8,64", "--dst-offsets", "0,3,63",
		    "--batch", "64K", "--no-reads", "--parallel",
		    "--offset", "4K", "--window", "1M", "--ua-offsets", "8",
		    "--ua-lens", "16", "--force", "--require-wc",
		    "--csv", "a.csv", "--json", "a.json", "--plot",
		    "a.svg") == 0);
	CHECK(o.nsizes == 3 && o.sizes[0] == 64 && o.sizes[1] == 4096 &&
	      o.sizes[2] == 1 << 20);
	CHECK(o.bar == 2 && o.modes == TWC_MODE_UNALIGNED);
	CHECK(o.phases == TWC_PHASE_WC);
	CHECK(o.reps == 5 && o.warmup == 0);
	CHECK(o.widths == (TWC_WIDTH_BIT(8) | TWC_WIDTH_BIT(64)));
	CHECK(o.ndst_offsets == 3 && o.dst_offsets[2] == 63);
	CHECK(o.batch == 65536 && !o.reads && o.parallel);
	CHECK(o.offset == 4096 && o.window == 1 << 20);
	CHECK(o.ua_offsets == 8 && o.ua_lens == 16);
	CHECK(o.force && o.require_wc);
	CHECK(strcmp(o.csv, "a.csv") == 0 && strcmp(o.json, "a.json") == 0 &&
	      strcmp(o.plot, "a.svg") == 0);

	/* Ranges: powers of two, merged, sorted, deduplicated. */
	CHECK(PARSE("--sizes", "1K-4K,8,1K") == 0);
	CHECK(o.nsizes == 4 && o.sizes[0] == 8 && o.sizes[1] == 1024 &&
	      o.sizes[3] == 4096);
	CHECK(PARSE("--sizes", "24-100") == 0);
	CHECK(o.nsizes == 3 && o.sizes[0] == 24 && o.sizes[1] == 32 &&
	      o.sizes[2] == 64);
	/* --max-size trims the list. */
	CHECK(PARSE("--max-size", "4K") == 0);
	CHECK(o.nsizes == 10 && o.sizes[9] == 4096);
	CHECK(PARSE("--widths", "widest") == 0 &&
	      o.widths == TWC_WIDTHS_WIDEST);
	CHECK(PARSE("--phases", "uc,wc", "--mode", "all") == 0);
	CHECK(o.phases == 3 && o.modes == 3);
}

static void
test_quick(void)
{
	struct twc_opts o;
	char err[256];

	CHECK(PARSE("--quick") == 0);
	CHECK(o.quick && o.reps == 3 && o.nsizes == 3 && o.ua_lens == 64);
	CHECK(o.widths == TWC_WIDTHS_WIDEST);
	/* Explicit options win, before or after --quick. */
	CHECK(PARSE("--reps", "7", "--quick", "--ua-lens", "256") == 0);
	CHECK(o.reps == 7 && o.ua_lens == 256 && o.nsizes == 3);
}

static void
test_errors(void)
{
	struct twc_opts o;
	char err[256];

	CHECK(PARSE("--help") == 1);
	CHECK(PARSE("--bogus", "--help") == 1);
	CHECK(PARSE("--bogus") == -1 && strstr(err, "unknown option '--bogus'"));
	CHECK(PARSE("stray") == -1 && strstr(err, "unexpected argument"));
	CHECK(PARSE("--bar") == -1 && strstr(err, "--bar needs a value"));
	CHECK(PARSE("--bar", "6") == -1 && strstr(err, "--bar: bad value '6'"));
	CHECK(PARSE("--reps", "0") == -1);
	CHECK(PARSE("--reps", "3x") == -1);
	CHECK(PARSE("--mode", "fast") == -1 && strstr(err, "--mode"));
	CHECK(PARSE("--phases", "xx") == -1);
	CHECK(PARSE("--sizes", "0") == -1 && strstr(err, "--sizes"));
	CHECK(PARSE("--sizes", "4K-1K") == -1);
	CHECK(PARSE("--sizes", "128M") == -1);
	CHECK(PARSE("--sizes", "abc") == -1 && strstr(err, "'abc'"));
	CHECK(PARSE("--sizes", "1-2G") == -1);
	CHECK(PARSE("--widths", "12") == -1 && strstr(err, "--widths"));
	CHECK(PARSE("--dst-offsets", "64") == -1);
	CHECK(PARSE("--dst-offsets", "0,1,2,3,4,5,6,7,8") == -1);
	CHECK(PARSE("--ua-lens", "257") == -1);
	CHECK(PARSE("--ua-offsets", "0") == -1);
	CHECK(PARSE("--parallel=1") == -1 && strstr(err, "takes no value"));
	CHECK(PARSE("--max-size", "4") == -1 && strstr(err, "--max-size"));
	CHECK(PARSE("--window", "0") == -1);
	CHECK(strchr(err, '\n') == NULL);
}

int
main(void)
{
	test_sizes();
	test_defaults();
	test_values();
	test_quick();
	test_errors();
	CHECK_DONE();
}
