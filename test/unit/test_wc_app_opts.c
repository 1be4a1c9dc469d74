/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-test-wc option parsing: defaults, every option, every error, the
 * checks on EAL's part of the command line, and what --help shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twc_eal_args.h"
#include "twc_opts.h"
#include "twc_nvme_report.h"
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
	/* NVMe mode off; its settings ready for --nvme. */
	CHECK(!o.nvme && o.nvme_blocks == 1 && o.nvme_ops == 10000);
	CHECK(o.nnvme_depths == 2 && o.nvme_depths[0] == 1 &&
	      o.nvme_depths[1] == 32);
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
	/* --store by kind name; repeats count once; widths from the kind. */
	CHECK(PARSE("--store", "avx,gpr,avx") == 0 && o.nstores == 2 &&
	      strcmp(o.stores[0], "avx") == 0 && strcmp(o.stores[1], "gpr") == 0);
	CHECK(PARSE("--store=movdir64b") == 0 && o.nstores == 1);
	CHECK(twc_store_kind_width("movdir64b") == 64 &&
	      twc_store_kind_width("avx512f") == 64 &&
	      twc_store_kind_width("avx") == 32 &&
	      twc_store_kind_width("neon") == 16 &&
	      twc_store_kind_width("sse2") == 16 &&
	      twc_store_kind_width("gpr") == 8 &&
	      twc_store_kind_width("avx2") == 0);
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
test_nvme(void)
{
	struct twc_opts o;
	char err[256];

	CHECK(PARSE("--nvme") == 0);
	CHECK(o.nvme && o.nvme_blocks == 1 && o.nvme_ops == 10000);
	CHECK(o.phases == (TWC_PHASE_UC | TWC_PHASE_WC) && !o.require_wc);
	CHECK(PARSE("--nvme-blocks", "8", "--nvme-ops=64", "--nvme-depths",
		    "1,4,1023", "--phases", "wc", "--require-wc", "--csv",
		    "n.csv", "--json", "n.json", "--plot", "n.svg", "--label",
		    "l", "--nvme") == 0);
	CHECK(o.nvme && o.nvme_blocks == 8 && o.nvme_ops == 64);
	CHECK(o.nnvme_depths == 3 && o.nvme_depths[0] == 1 &&
	      o.nvme_depths[1] == 4 && o.nvme_depths[2] == 1023);
	CHECK(o.phases == TWC_PHASE_WC && o.require_wc);
	CHECK(strcmp(o.csv, "n.csv") == 0 && strcmp(o.plot, "n.svg") == 0);
	CHECK(PARSE("--nvme-blocks=65536", "--nvme") == 0 &&
	      o.nvme_blocks == 65536);
	/* --quick shortens the run; an explicit count still wins. */
	CHECK(PARSE("--nvme", "--quick") == 0 && o.nvme_ops == 200);
	CHECK(PARSE("--nvme-ops", "50", "--quick", "--nvme") == 0 &&
	      o.nvme_ops == 50);

	/* Bad values: one line naming the option and the value. */
	CHECK(PARSE("--nvme", "--nvme-blocks", "0") == -1 &&
	      strstr(err, "--nvme-blocks: bad value '0'"));
	CHECK(PARSE("--nvme", "--nvme-blocks", "65537") == -1 &&
	      strstr(err, "--nvme-blocks"));
	CHECK(PARSE("--nvme", "--nvme-blocks", "-1") == -1);
	CHECK(PARSE("--nvme", "--nvme-ops", "0") == -1 &&
	      strstr(err, "--nvme-ops: bad value '0'"));
	CHECK(PARSE("--nvme", "--nvme-ops", "1000001") == -1);
	CHECK(PARSE("--nvme", "--nvme-ops") == -1 &&
	      strstr(err, "--nvme-ops needs a value"));
	CHECK(PARSE("--nvme", "--nvme-depths", "0") == -1 &&
	      strstr(err, "--nvme-depths: '0'"));
	CHECK(PARSE("--nvme", "--nvme-depths", "1024") == -1 &&
	      strstr(err, "1..1023"));
	CHECK(PARSE("--nvme", "--nvme-depths", "1,2,4,8,16") == -1 &&
	      strstr(err, "up to 4"));
	CHECK(PARSE("--nvme", "--nvme-depths", "1,x") == -1);
	CHECK(PARSE("--nvme", "--nvme-depths", ",") == -1);
	CHECK(strchr(err, '\n') == NULL);
	CHECK(PARSE("--nvme=1") == -1 && strstr(err, "--nvme takes no value"));
	/* An option of the other mode is refused, wherever --nvme stands. */
	CHECK(PARSE("--nvme-ops", "5") == -1 &&
	      strstr(err, "'--nvme-ops' needs --nvme"));
	CHECK(PARSE("--nvme-depths=1") == -1 &&
	      strstr(err, "'--nvme-depths' needs --nvme"));
	CHECK(PARSE("--nvme", "--sizes", "64") == -1 &&
	      strstr(err, "'--sizes' is a raw-BAR option"));
	CHECK(PARSE("--bar=2", "--nvme") == -1 &&
	      strstr(err, "'--bar' is a raw-BAR option"));
	CHECK(PARSE("--nvme", "--no-reads") == -1 && strstr(err, "--no-reads"));
	CHECK(PARSE("--nvme", "--parallel") == -1);
	CHECK(strchr(err, '\n') == NULL);
	/* --help still wins. */
	CHECK(PARSE("--nvme", "--sizes", "64", "--help") == 1);
}

/* --nvme-blocks and the depths against what the controller reports. */
static void
test_nvme_plan(void)
{
	struct twc_nvme_plan p;
	struct twc_nvme_cmb_caps all = { true, true, true };
	struct twc_nvme_cmb_caps none = { false, false, false };
	struct twc_nvme_cmb_caps nosq = { true, false, true };
	char err[256];

	/* 512 B blocks, a 16 MiB namespace, 32K per command. */
	CHECK(twc_nvme_plan(512, 32768, 32768, 1, 128, 32, &p, err,
			    sizeof(err)) == 0);
	CHECK(p.op_bytes == 512 && p.slots == 128 && p.region_blocks == 128);
	/* Many commands: the region stops at 4 MiB. */
	CHECK(twc_nvme_plan(512, 32768, 32768, 1, 10000, 32, &p, err,
			    sizeof(err)) == 0);
	CHECK(p.slots == 8192 && p.region_blocks == 8192);
	CHECK(twc_nvme_plan(512, 32768, 32768, 64, 10000, 32, &p, err,
			    sizeof(err)) == 0);
	CHECK(p.op_bytes == 32768 && p.slots == 128 &&
	      p.region_blocks == 8192);
	/* A queue depth of commands may need more than 4 MiB. */
	CHECK(twc_nvme_plan(512, 1 << 20, 32768, 64, 10000, 1023, &p, err,
			    sizeof(err)) == 0);
	CHECK(p.slots == 1023);
	/* Fewer commands than the depth: each its own slot. */
	CHECK(twc_nvme_plan(512, 32768, 32768, 1, 5, 32, &p, err,
			    sizeof(err)) == 0 && p.slots == 5);
	/* Commands larger than the controller moves. */
	CHECK(twc_nvme_plan(512, 32768, 32768, 65, 128, 32, &p, err,
			    sizeof(err)) == -1);
	CHECK(strstr(err, "--nvme-blocks 65: 33280 bytes per command") &&
	      strstr(err, "at most 32768 (64 blocks of 512 bytes)"));
	CHECK(twc_nvme_plan(4096, 32768, 2048, 1, 128, 32, &p, err,
			    sizeof(err)) == -1 && strstr(err, "(0 blocks"));
	/* A namespace too small for the commands in flight. */
	CHECK(twc_nvme_plan(512, 16, 32768, 1, 100, 32, &p, err,
			    sizeof(err)) == -1);
	CHECK(strstr(err, "too small for 32 commands of 1 blocks in flight"));
	CHECK(twc_nvme_plan(512, 16, 32768, 1, 100, 8, &p, err,
			    sizeof(err)) == 0 && p.slots == 16);
	CHECK(strchr(err, '\n') == NULL);

	/* Slots in turn; a wrap starts again at LBA 0. */
	CHECK(twc_nvme_plan(512, 32768, 32768, 2, 128, 32, &p, err,
			    sizeof(err)) == 0);
	CHECK(twc_nvme_op_lba(&p, 2, 0) == 0 && twc_nvme_op_lba(&p, 2, 3) == 6);
	CHECK(twc_nvme_op_lba(&p, 2, 130) == 4);

	/* PRP lists: none up to two pages, then one entry per page past the first. */
	CHECK(twc_nvme_prp_list_bytes(512, 4096) == 0);
	CHECK(twc_nvme_prp_list_bytes(8192, 4096) == 0);
	CHECK(twc_nvme_prp_list_bytes(8193, 4096) == 16);
	CHECK(twc_nvme_prp_list_bytes(32768, 4096) == 56);

	/* Placements against the CMB's abilities. */
	CHECK(twc_nvme_placement_unfit(&twc_nvme_placements[0], &none) == NULL);
	CHECK(strstr(twc_nvme_placement_unfit(&twc_nvme_placements[1], &none),
		     "no CMB"));
	CHECK(strstr(twc_nvme_placement_unfit(&twc_nvme_placements[4], &nosq),
		     "SQS=0"));
	CHECK(twc_nvme_placement_unfit(&twc_nvme_placements[5], &nosq) == NULL);
	CHECK(twc_nvme_placement_unfit(&twc_nvme_placements[6], &all) == NULL);
	/* Host first, the UC ones, then the WC ones. */
	CHECK(twc_nvme_placements[3].sq == TWC_NVME_CMB_UC &&
	      twc_nvme_placements[3].data == TWC_NVME_CMB_UC);
	CHECK(twc_nvme_placements[6].sq == TWC_NVME_CMB_WC &&
	      twc_nvme_placements[6].data == TWC_NVME_CMB_WC);
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
	CHECK(PARSE("--store", "avx2") == -1 && strstr(err, "--store: 'avx2'"));
	CHECK(PARSE("--store", "avx,") == 0);
	CHECK(PARSE("--store", ",") == -1);
	CHECK(PARSE("--store", "av") == -1);
	CHECK(PARSE("--dst-offsets", "64") == -1);
	CHECK(PARSE("--dst-offsets", "0,1,2,3,4,5,6,7,8") == -1);
	CHECK(PARSE("--ua-lens", "257") == -1);
	CHECK(PARSE("--ua-offsets", "0") == -1);
	CHECK(PARSE("--parallel=1") == -1 && strstr(err, "takes no value"));
	CHECK(PARSE("--max-size", "4") == -1 && strstr(err, "--max-size"));
	CHECK(PARSE("--window", "0") == -1);
	CHECK(strchr(err, '\n') == NULL);
}


/* Traps a user falls into (issue 12): each works or fails with a reason. */
static void
test_traps(void)
{
	struct twc_opts o;
	uint64_t v;
	char err[256];

	/* A leading zero is decimal, not octal; 0x stays hexadecimal. */
	CHECK(twc_parse_size("010", &v) == 0 && v == 10);
	CHECK(twc_parse_size("08", &v) == 0 && v == 8);
	CHECK(twc_parse_size("010K", &v) == 0 && v == 10240);
	CHECK(twc_parse_size("0x10", &v) == 0 && v == 16);
	CHECK(twc_parse_size("0X10", &v) == 0 && v == 16);
	CHECK(twc_parse_size("0x", &v) != 0);
	CHECK(PARSE("--sizes", "010") == 0 && o.nsizes == 1 &&
	      o.sizes[0] == 10);
	CHECK(PARSE("--sizes", "010-040") == 0 && o.nsizes == 3 &&
	      o.sizes[0] == 10 && o.sizes[1] == 16 && o.sizes[2] == 32);
	CHECK(PARSE("--offset", "0100") == 0 && o.offset == 100);

	/* Phases in any order, repeated or not; the UC phase runs first. */
	CHECK(PARSE("--phases", "wc,uc") == 0 &&
	      o.phases == (TWC_PHASE_UC | TWC_PHASE_WC));
	CHECK(PARSE("--phases=uc,uc") == 0 && o.phases == TWC_PHASE_UC);
	CHECK(PARSE("--phases", "wc,all") == 0 &&
	      o.phases == (TWC_PHASE_UC | TWC_PHASE_WC));
	CHECK(PARSE("--phases", "wc,xx") == -1 && strstr(err, "'xx'") &&
	      strstr(err, "uc, wc or all"));
	CHECK(PARSE("--phases", "uc,") == -1 && strstr(err, "--phases"));
	CHECK(PARSE("--phases", ",") == -1 && strstr(err, "--phases"));
	CHECK(strchr(err, '\n') == NULL);
}

/* Run twc_eal_args() on a NULL-terminated list; program name added. */
static int
eal(char **out, int *n, char *err, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"dpdk-test-wc";
	while (*args != NULL && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	memset(out, 0, 32 * sizeof(*out));
	err[0] = '\0';
	return twc_eal_args(argc, argv, out, n, err, 256);
}

#define EAL(...) eal(out, &n, err, (const char *const[]){ __VA_ARGS__, NULL })

static void
test_eal_args(void)
{
	char *out[32], err[256];
	int n;

	/* As given when nothing needs tidying. */
	CHECK(EAL("-l", "0", "-a", "00:04.0", "--pci-wc=all") == 0 && n == 6);
	CHECK(strcmp(out[0], "dpdk-test-wc") == 0 &&
	      strcmp(out[3], "-a") == 0 && strcmp(out[5], "--pci-wc=all") == 0);
	CHECK(out[6] == NULL);
	/* "--pci-wc all": EAL would drop "all" and read driver. */
	CHECK(EAL("--pci-wc", "all", "-a", "00:04.0") == 0 && n == 4);
	CHECK(strcmp(out[1], "--pci-wc=all") == 0 &&
	      strcmp(out[2], "-a") == 0 && strcmp(out[3], "00:04.0") == 0);
	CHECK(out[4] == NULL);
	CHECK(EAL("-a", "00:04.0", "--pci-wc", "off") == 0 && n == 4 &&
	      strcmp(out[3], "--pci-wc=off") == 0);
	CHECK(EAL("-a", "00:04.0", "--pci-wc", "driver") == 0 && n == 4 &&
	      strcmp(out[3], "--pci-wc=driver") == 0);
	/* The bare option stays bare (driver), also before another one. */
	CHECK(EAL("--pci-wc", "-a", "00:04.0") == 0 && n == 4 &&
	      strcmp(out[1], "--pci-wc") == 0);
	CHECK(EAL("-a", "00:04.0", "--pci-wc") == 0 && n == 4);
	/* A word after it that is no value: refused, one line. */
	CHECK(EAL("--pci-wc", "bogus", "-a", "00:04.0") == -1);
	CHECK(strstr(err, "--pci-wc") && strstr(err, "'bogus'") &&
	      strstr(err, "off, driver, all"));
	CHECK(strchr(err, '\n') == NULL);
	/* EAL's other options with an optional value: only after '='. */
	CHECK(EAL("-a", "00:04.0", "--huge-unlink", "never") == -1 &&
	      strstr(err, "--huge-unlink=never"));
	CHECK(EAL("-a", "00:04.0", "--huge-unlink=never") == 0);

	/* The device must be named: every form of -a counts. */
	CHECK(EAL("-l", "0", "--in-memory") == -1 &&
	      strstr(err, "no device named") && strstr(err, "-a"));
	CHECK(strchr(err, '\n') == NULL);
	CHECK(EAL("-b", "00:03.0", "-l", "0") == -1 &&
	      strstr(err, "no device named"));
	CHECK(EAL("-a0000:00:04.0") == 0 && n == 2);
	CHECK(EAL("--allow", "00:04.0") == 0);
	CHECK(EAL("--allow=00:04.0") == 0);
	CHECK(EAL("-va", "00:04.0") == 0);
	/* "a" inside another short option's value is not -a. */
	CHECK(EAL("-da", "-l", "0") == -1 && strstr(err, "no device named"));
	CHECK(EAL("--file-prefix=a", "-l", "0") == -1);
	/* Nothing after the program name: no device either. */
	CHECK(EAL("--no-huge") == -1 && strstr(err, "no device named"));
}

/* --help shows the EAL options a run needs, and how to see all of them. */
static void
test_usage(void)
{
	static const char *const want[] = {
		"-a, --allow", "-l CORELIST", "--pci-wc", "--no-huge", "-m MB",
		"-d LIB.so|DIR", "--in-memory", "--file-prefix", "--log-level",
		"--eal-help", "--ua-lens", "--nvme-depths", NULL,
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned int i;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	twc_opts_usage("dpdk-test-wc", f);
	fclose(f);
	for (i = 0; want[i] != NULL; i++) {
		if (strstr(text, want[i]) == NULL)
			fprintf(stderr, "--help does not show '%s'\n", want[i]);
		CHECK(strstr(text, want[i]) != NULL);
	}
	free(text);
}

int
main(void)
{
	test_sizes();
	test_defaults();
	test_values();
	test_quick();
	test_nvme();
	test_nvme_plan();
	test_errors();
	test_traps();
	test_eal_args();
	test_usage();
	CHECK_DONE();
}
