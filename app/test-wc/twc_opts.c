/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Option parsing for dpdk-test-wc. Hand-written rather than getopt_long:
 * it keeps no global state, so tests can parse many command lines in one
 * process, and every error names the option and the value it disliked.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twc_opts.h"

/* Transfer sizes measured when --sizes is not given: 8 B .. 1 MiB. */
#define TWC_DEFAULT_MIN_SIZE 8
#define TWC_DEFAULT_MAX_SIZE (1u << 20)
/* NVMe mode: enough commands for a p99 that means something. */
#define TWC_NVME_DEFAULT_OPS 10000
#define TWC_NVME_QUICK_OPS 200

void
twc_opts_defaults(struct twc_opts *opts)
{
	size_t s;

	memset(opts, 0, sizeof(*opts));
	opts->bar = -1;
	opts->modes = TWC_MODE_THROUGHPUT | TWC_MODE_UNALIGNED;
	opts->phases = TWC_PHASE_UC | TWC_PHASE_WC;
	for (s = TWC_DEFAULT_MIN_SIZE; s <= TWC_DEFAULT_MAX_SIZE; s <<= 1)
		opts->sizes[opts->nsizes++] = s;
	opts->max_size = TWC_MAX_SIZE_LIMIT;
	opts->widths = TWC_WIDTHS_ALL;
	opts->dst_offsets[0] = 0;
	opts->dst_offsets[1] = 1;
	opts->ndst_offsets = 2;
	opts->reps = 11;
	opts->warmup = 2;
	opts->batch = 256 << 10;
	opts->reads = true;
	opts->ua_offsets = TWC_UA_MAX_OFFSETS;
	opts->ua_lens = TWC_UA_MAX_LENS;
	opts->nvme_blocks = 1;
	opts->nvme_ops = TWC_NVME_DEFAULT_OPS;
	/* One command at a time, and a queue kept full. */
	opts->nvme_depths[0] = 1;
	opts->nvme_depths[1] = 32;
	opts->nnvme_depths = 2;
}

/* A short preset for emulated runs; explicit options still win. */
static void
twc_opts_quick(struct twc_opts *opts)
{
	static const size_t quick_sizes[] = { 64, 1024, 16384 };
	unsigned int i;

	for (i = 0; i < sizeof(quick_sizes) / sizeof(quick_sizes[0]); i++)
		opts->sizes[i] = quick_sizes[i];
	opts->nsizes = i;
	opts->widths = TWC_WIDTHS_WIDEST;
	opts->reps = 3;
	opts->warmup = 1;
	opts->batch = 16 << 10;
	opts->ua_lens = 64;
	opts->nvme_ops = TWC_NVME_QUICK_OPS;
	opts->quick = true;
}

int
twc_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		return -1;
	/*
	 * Decimal, or hexadecimal after 0x. Not base 0: it reads a leading
	 * zero as octal, and nobody means 8 by "--sizes 010".
	 */
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return -1;
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -1;
	}
	if (shift != 0) {
		end++;
		/* "4KiB" and "4KB" read as 4K too. */
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
	} else if (*end == 'B') {
		end++;
	}
	if (*end != '\0')
		return -1;
	if (shift != 0 && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int
twc_parse_uint(const char *s, unsigned long min, unsigned long max,
		unsigned long *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void
twc_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
twc_cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Add size to the list unless present; -1 when the list is full. */
static int
twc_add_size(struct twc_opts *opts, size_t size)
{
	unsigned int i;

	for (i = 0; i < opts->nsizes; i++)
		if (opts->sizes[i] == size)
			return 0;
	if (opts->nsizes == TWC_MAX_SIZES)
		return -1;
	opts->sizes[opts->nsizes++] = size;
	return 0;
}

/*
 * "64,4K,1M" lists sizes; "8-1M" is every power of two from 8 to 1M
 * (both ends included, the low end taken as is).
 */
static int
twc_parse_sizes(struct twc_opts *opts, const char *arg, char *err,
		size_t errlen)
{
	char buf[256], *item, *save = NULL, *dash;
	uint64_t lo, hi, s;

	if (strlen(arg) >= sizeof(buf)) {
		twc_err(err, errlen, "--sizes: list too long");
		return -1;
	}
	strcpy(buf, arg);
	opts->nsizes = 0;
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		dash = strchr(item, '-');
		if (dash != NULL)
			*dash = '\0';
		if (twc_parse_size(item, &lo) != 0 ||
		    (dash != NULL && twc_parse_size(dash + 1, &hi) != 0)) {
			twc_err(err, errlen,
				"--sizes: '%s%s%s' is not a size or a range of sizes",
				item, dash ? "-" : "", dash ? dash + 1 : "");
			return -1;
		}
		if (dash == NULL)
			hi = lo;
		if (lo == 0 || hi < lo || hi > TWC_MAX_SIZE_LIMIT) {
			twc_err(err, errlen,
				"--sizes: sizes must be 1..%u bytes, ranges low-high",
				TWC_MAX_SIZE_LIMIT);
			return -1;
		}
		for (s = lo; s <= hi; ) {
			if (twc_add_size(opts, s) != 0) {
				twc_err(err, errlen,
					"--sizes: more than %d sizes",
					TWC_MAX_SIZES);
				return -1;
			}
			/* Next power of two above s. */
			while (s & (s - 1))
				s &= s - 1;
			s <<= 1;
		}
	}
	if (opts->nsizes == 0) {
		twc_err(err, errlen, "--sizes: empty list");
		return -1;
	}
	qsort(opts->sizes, opts->nsizes, sizeof(opts->sizes[0]), twc_cmp_size);
	return 0;
}

/*
 * "uc", "wc", "all" or a list of them in any order ("wc,uc"): which
 * mappings to measure. The order of the phases is not the user's to
 * choose (UC runs first, see main.c), so a list only says which.
 */
static int
twc_parse_phases(struct twc_opts *opts, const char *arg, char *err,
		size_t errlen)
{
	char buf[64], *item, *save = NULL;
	unsigned int phases = 0;

	if (strlen(arg) >= sizeof(buf) || arg[0] == '\0' ||
	    arg[0] == ',' || arg[strlen(arg) - 1] == ',' ||
	    strstr(arg, ",,") != NULL) {
		twc_err(err, errlen,
			"--phases: '%s' is not a list of uc, wc or all", arg);
		return -1;
	}
	strcpy(buf, arg);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		if (strcmp(item, "uc") == 0) {
			phases |= TWC_PHASE_UC;
		} else if (strcmp(item, "wc") == 0) {
			phases |= TWC_PHASE_WC;
		} else if (strcmp(item, "all") == 0) {
			phases |= TWC_PHASE_UC | TWC_PHASE_WC;
		} else {
			twc_err(err, errlen,
				"--phases: '%s' is not uc, wc or all (in any order; UC is always measured first)",
				item);
			return -1;
		}
	}
	opts->phases = phases;
	return 0;
}

static int
twc_parse_widths(struct twc_opts *opts, const char *arg, char *err,
		size_t errlen)
{
	char buf[64], *item, *save = NULL;
	unsigned long w;

	if (strcmp(arg, "all") == 0) {
		opts->widths = TWC_WIDTHS_ALL;
		return 0;
	}
	if (strcmp(arg, "widest") == 0) {
		opts->widths = TWC_WIDTHS_WIDEST;
		return 0;
	}
	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	opts->widths = 0;
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		if (twc_parse_uint(item, 8, 64, &w) != 0 ||
		    TWC_WIDTH_BIT(w) == 0)
			goto bad;
		opts->widths |= TWC_WIDTH_BIT(w);
	}
	if (opts->widths != 0)
		return 0;
bad:
	twc_err(err, errlen,
		"--widths: '%s' is not a list of 8, 16, 32, 64, or all, or widest",
		arg);
	return -1;
}

/*
 * A comma-separated list of up to max integers lo..hi into vals (*n of
 * them). Returns 0, or -1 on an empty, too long or bad list.
 */
static int
twc_parse_uint_list(const char *arg, unsigned long lo, unsigned long hi,
		unsigned int *vals, unsigned int max, unsigned int *n)
{
	char buf[64], *item, *save = NULL;
	unsigned long v;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	*n = 0;
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		if (twc_parse_uint(item, lo, hi, &v) != 0 || *n == max)
			return -1;
		vals[(*n)++] = v;
	}
	return *n != 0 ? 0 : -1;
}

static int
twc_parse_dst_offsets(struct twc_opts *opts, const char *arg, char *err,
		size_t errlen)
{
	if (twc_parse_uint_list(arg, 0, 63, opts->dst_offsets,
				TWC_MAX_DST_OFFSETS, &opts->ndst_offsets) == 0)
		return 0;
	twc_err(err, errlen,
		"--dst-offsets: '%s' is not a list of up to %d offsets 0..63",
		arg, TWC_MAX_DST_OFFSETS);
	return -1;
}

static int
twc_parse_nvme_depths(struct twc_opts *opts, const char *arg, char *err,
		size_t errlen)
{
	if (twc_parse_uint_list(arg, 1, TWC_NVME_MAX_DEPTH, opts->nvme_depths,
				TWC_NVME_MAX_DEPTHS, &opts->nnvme_depths) == 0)
		return 0;
	twc_err(err, errlen,
		"--nvme-depths: '%s' is not a list of up to %d queue depths 1..%d",
		arg, TWC_NVME_MAX_DEPTHS, TWC_NVME_MAX_DEPTH);
	return -1;
}

/* Kinds of store of the library, with their widths. */
static const struct {
	const char *name;
	unsigned int width;
} twc_store_kinds[] = {
	{ "gpr", 8 }, { "sse2", 16 }, { "neon", 16 }, { "avx", 32 },
	{ "avx512f", 64 }, { "movdir64b", 64 },
};
#define TWC_NB_STORE_KINDS (sizeof(twc_store_kinds) / sizeof(twc_store_kinds[0]))

unsigned int
twc_store_kind_width(const char *kind)
{
	size_t i;

	for (i = 0; i < TWC_NB_STORE_KINDS; i++)
		if (strcmp(kind, twc_store_kinds[i].name) == 0)
			return twc_store_kinds[i].width;
	return 0;
}

static int
twc_parse_stores(struct twc_opts *opts, const char *arg, char *err,
		size_t errlen)
{
	const char *p = arg, *comma;
	size_t n, i, k;

	opts->nstores = 0;
	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		for (k = 0; k < TWC_NB_STORE_KINDS; k++)
			if (strlen(twc_store_kinds[k].name) == n &&
			    strncmp(p, twc_store_kinds[k].name, n) == 0)
				break;
		if (k == TWC_NB_STORE_KINDS || opts->nstores == TWC_MAX_STORES)
			goto bad;
		for (i = 0; i < opts->nstores; i++)
			if (opts->stores[i] == twc_store_kinds[k].name)
				break;
		if (i == opts->nstores)
			opts->stores[opts->nstores++] = twc_store_kinds[k].name;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (opts->nstores != 0)
		return 0;
bad:
	twc_err(err, errlen,
		"--store: '%s' is not a list of gpr, sse2, neon, avx, avx512f, movdir64b",
		arg);
	return -1;
}

/* Options that take a value, in "--name value" or "--name=value" form. */
static const char *const twc_valued[] = {
	"--mode", "--bar", "--phases", "--sizes", "--max-size", "--widths",
	"--store", "--dst-offsets", "--reps", "--warmup", "--batch", "--offset",
	"--window", "--ua-offsets", "--ua-lens", "--csv", "--json", "--plot",
	"--label", "--nvme-blocks", "--nvme-ops", "--nvme-depths", NULL,
};

/*
 * Options of the raw-BAR mode that mean nothing to --nvme: refused there
 * rather than silently ignored, so nobody believes they took effect.
 */
static const char *const twc_raw_only[] = {
	"--mode", "--bar", "--force", "--offset", "--window", "--sizes",
	"--max-size", "--widths", "--store", "--dst-offsets", "--reps", "--warmup",
	"--batch", "--no-reads", "--parallel", "--ua-offsets", "--ua-lens",
	NULL,
};

static bool
twc_in_list(const char *const *list, const char *name)
{
	unsigned int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static bool
twc_takes_value(const char *name)
{
	return twc_in_list(twc_valued, name);
}

/* Apply one option; name is "--x" (without "=value"). */
static int
twc_apply(struct twc_opts *opts, const char *name, const char *val,
		char *err, size_t errlen)
{
	unsigned long u;
	uint64_t s;

	if (strcmp(name, "--mode") == 0) {
		if (strcmp(val, "throughput") == 0)
			opts->modes = TWC_MODE_THROUGHPUT;
		else if (strcmp(val, "unaligned") == 0)
			opts->modes = TWC_MODE_UNALIGNED;
		else if (strcmp(val, "all") == 0)
			opts->modes = TWC_MODE_THROUGHPUT | TWC_MODE_UNALIGNED;
		else
			goto bad;
	} else if (strcmp(name, "--bar") == 0) {
		if (twc_parse_uint(val, 0, 5, &u) != 0)
			goto bad;
		opts->bar = (int)u;
	} else if (strcmp(name, "--phases") == 0) {
		return twc_parse_phases(opts, val, err, errlen);
	} else if (strcmp(name, "--sizes") == 0) {
		return twc_parse_sizes(opts, val, err, errlen);
	} else if (strcmp(name, "--max-size") == 0) {
		if (twc_parse_size(val, &s) != 0 || s == 0)
			goto bad;
		opts->max_size = s;
	} else if (strcmp(name, "--widths") == 0) {
		return twc_parse_widths(opts, val, err, errlen);
	} else if (strcmp(name, "--store") == 0) {
		return twc_parse_stores(opts, val, err, errlen);
	} else if (strcmp(name, "--dst-offsets") == 0) {
		return twc_parse_dst_offsets(opts, val, err, errlen);
	} else if (strcmp(name, "--reps") == 0) {
		if (twc_parse_uint(val, 1, 100000, &u) != 0)
			goto bad;
		opts->reps = u;
	} else if (strcmp(name, "--warmup") == 0) {
		if (twc_parse_uint(val, 0, 100000, &u) != 0)
			goto bad;
		opts->warmup = u;
	} else if (strcmp(name, "--batch") == 0) {
		if (twc_parse_size(val, &s) != 0 || s > (1u << 30))
			goto bad;
		opts->batch = s;
	} else if (strcmp(name, "--offset") == 0) {
		if (twc_parse_size(val, &s) != 0)
			goto bad;
		opts->offset = s;
	} else if (strcmp(name, "--window") == 0) {
		if (twc_parse_size(val, &s) != 0 || s == 0 || s > SIZE_MAX)
			goto bad;
		opts->window = s;
	} else if (strcmp(name, "--ua-offsets") == 0) {
		if (twc_parse_uint(val, 1, TWC_UA_MAX_OFFSETS, &u) != 0)
			goto bad;
		opts->ua_offsets = u;
	} else if (strcmp(name, "--ua-lens") == 0) {
		if (twc_parse_uint(val, 1, TWC_UA_MAX_LENS, &u) != 0)
			goto bad;
		opts->ua_lens = u;
	} else if (strcmp(name, "--csv") == 0) {
		opts->csv = val;
	} else if (strcmp(name, "--json") == 0) {
		opts->json = val;
	} else if (strcmp(name, "--plot") == 0) {
		opts->plot = val;
	} else if (strcmp(name, "--label") == 0) {
		opts->label = val;
	} else if (strcmp(name, "--no-reads") == 0) {
		opts->reads = false;
	} else if (strcmp(name, "--parallel") == 0) {
		opts->parallel = true;
	} else if (strcmp(name, "--force") == 0) {
		opts->force = true;
	} else if (strcmp(name, "--require-wc") == 0) {
		opts->require_wc = true;
	} else if (strcmp(name, "--quick") == 0) {
		/* Applied before the other options: see twc_opts_parse. */
	} else if (strcmp(name, "--nvme") == 0) {
		opts->nvme = true;
	} else if (strcmp(name, "--nvme-blocks") == 0) {
		if (twc_parse_uint(val, 1, TWC_NVME_MAX_BLOCKS, &u) != 0)
			goto bad;
		opts->nvme_blocks = u;
	} else if (strcmp(name, "--nvme-ops") == 0) {
		if (twc_parse_uint(val, 1, TWC_NVME_MAX_OPS, &u) != 0)
			goto bad;
		opts->nvme_ops = u;
	} else if (strcmp(name, "--nvme-depths") == 0) {
		return twc_parse_nvme_depths(opts, val, err, errlen);
	} else {
		twc_err(err, errlen, "unknown option '%s' (see --help)", name);
		return -1;
	}
	return 0;
bad:
	twc_err(err, errlen, "%s: bad value '%s' (see --help)", name, val);
	return -1;
}

int
twc_opts_parse(struct twc_opts *opts, int argc, char *const argv[],
		char *err, size_t errlen)
{
	char name[32], raw_only[32] = "", nvme_only[32] = "";
	const char *arg, *val, *eq;
	unsigned int i;
	int a;

	twc_opts_defaults(opts);
	err[0] = '\0';
	/* --help wins over anything; --quick sets defaults others refine. */
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
			return 1;
		if (strcmp(argv[a], "--quick") == 0)
			twc_opts_quick(opts);
	}
	for (a = 1; a < argc; a++) {
		arg = argv[a];
		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			twc_err(err, errlen,
				"unexpected argument '%s' (see --help)", arg);
			return -1;
		}
		eq = strchr(arg, '=');
		if ((eq ? (size_t)(eq - arg) : strlen(arg)) >= sizeof(name)) {
			twc_err(err, errlen, "unknown option '%s' (see --help)",
				arg);
			return -1;
		}
		snprintf(name, sizeof(name), "%.*s",
			 (int)(eq ? eq - arg : (long)strlen(arg)), arg);
		if (twc_takes_value(name)) {
			if (eq != NULL) {
				val = eq + 1;
			} else if (a + 1 < argc) {
				val = argv[++a];
			} else {
				twc_err(err, errlen, "%s needs a value", name);
				return -1;
			}
		} else if (eq != NULL) {
			twc_err(err, errlen, "%s takes no value", name);
			return -1;
		} else {
			val = NULL;
		}
		if (twc_apply(opts, name, val, err, errlen) != 0)
			return -1;
		/* Remember the first of each kind: --nvme may come last. */
		if (raw_only[0] == '\0' && twc_in_list(twc_raw_only, name))
			snprintf(raw_only, sizeof(raw_only), "%s", name);
		if (nvme_only[0] == '\0' && strncmp(name, "--nvme-", 7) == 0)
			snprintf(nvme_only, sizeof(nvme_only), "%s", name);
	}
	if (opts->nvme && raw_only[0] != '\0') {
		twc_err(err, errlen,
			"'%s' is a raw-BAR option: it does not apply with --nvme (see --help)",
			raw_only);
		return -1;
	}
	if (!opts->nvme && nvme_only[0] != '\0') {
		twc_err(err, errlen, "'%s' needs --nvme (see --help)",
			nvme_only);
		return -1;
	}

	/* Drop sizes above --max-size; keep at least one. */
	for (i = 0; i < opts->nsizes && opts->sizes[i] <= opts->max_size; i++)
		;
	opts->nsizes = i;
	if (opts->nsizes == 0) {
		twc_err(err, errlen, "--max-size: no transfer size left below %zu",
			opts->max_size);
		return -1;
	}
	return 0;
}

void
twc_opts_usage(const char *prog, FILE *stream)
{
	fprintf(stream,
"Usage: %s [EAL options] -a <PCI address> -- [options]\n"
"\n"
"EAL options (before '--'; all of them: %s --eal-help):\n"
"  -a, --allow <PCI address>  the device to drive (required: without it EAL\n"
"                           would offer every PCI device to its drivers)\n"
"  -l CORELIST              lcores to run on, e.g. 0 or 0-3 (--parallel uses\n"
"                           them all)\n"
"  --pci-wc[=off|driver|all]  WC for prefetchable BARs from the start (the\n"
"                           value only after '='; bare means driver). Leave\n"
"                           it out to measure UC, then WC\n"
"  --no-huge                no hugepages: malloc'd memory (raw-BAR modes; NVMe\n"
"                           mode needs VFIO with an IOMMU then)\n"
"  -m MB                    memory to reserve, e.g. -m 64 with --no-huge\n"
"  -d LIB.so|DIR            load a PMD, or every PMD in DIR (a shared DPDK)\n"
"  --in-memory              no runtime files under /var/run/dpdk\n"
"  --file-prefix NAME       runtime files of their own (next to another DPDK\n"
"                           process)\n"
"  --log-level=bus.pci.wc:debug  log levels, here the bus's WC decisions\n"
"  --eal-help               EAL's own list of options, then exit\n"
"\n"
"Measures MMIO through one memory BAR of a PCI device, mapped uncached (UC)\n"
"and write-combining (WC) side by side, and sweeps unaligned writes into\n"
"both mappings. The device must be bound to vfio-pci-wc (WC through VFIO) or\n"
"vfio-pci (UC only); name it with EAL's -a. Start without EAL's --pci-wc:\n"
"the bus then maps the BAR UC, the app measures UC, asks the bus to remap\n"
"it WC (or, where that is refused, as on x86, closes the device and probes\n"
"it again with pci_wc=driver) and measures WC. With --pci-wc the BAR is WC\n"
"from the start and UC cannot be measured.\n"
"The BAR's contents are overwritten: use memory BARs only (an NVMe CMB, a\n"
"device's RAM window), never a BAR of registers. With --nvme the app drives\n"
"an NVMe controller's commands instead (NVMe mode, below).\n"
"\n"
"What to run:\n"
"  --mode throughput|unaligned|all  default all\n"
"  --phases LIST            mappings to measure: uc, wc or both in any order\n"
"                           (default uc,wc; UC is always measured first)\n"
"  --bar N                  BAR 0..5 (default: first prefetchable memory BAR)\n"
"  --force                  allow a BAR that is not prefetchable\n"
"  --require-wc             exit 1 when the BAR cannot be mapped WC\n"
"  --offset SIZE            start of the window in the BAR (default 0)\n"
"  --window SIZE            bytes of the BAR used (default: BAR, at most 64M)\n"
"\n"
"Throughput (writes with wc_mmio_copy_to, reads with wc_mmio_copy_from):\n"
"  --sizes LIST             sizes, e.g. 64,4K,1M; A-B is every power of two\n"
"                           from A to B (default 8-1M)\n"
"  --max-size SIZE          drop sizes above SIZE\n"
"  --widths LIST|all|widest WC store widths 8,16,32,64 bytes (default all the\n"
"                           CPU has; UC always stores at most 8 bytes aligned)\n"
"  --store LIST             WC store kinds by name instead: gpr, sse2, neon,\n"
"                           avx, avx512f, movdir64b; one the library would not\n"
"                           use on this CPU is skipped with a note. Each row\n"
"                           records the kind and width it really used\n"
"  --dst-offsets LIST       destination offsets from a 64-byte line, 0..63\n"
"                           (default 0,1: aligned and misaligned)\n"
"  --reps N                 timed samples per configuration (default 11)\n"
"  --warmup N               untimed samples before them (default 2)\n"
"  --batch SIZE             bytes copied per sample at least (default 256K);\n"
"                           each copy is followed by a flush, inside the clock\n"
"  --no-reads               measure writes only\n"
"  --parallel               every EAL lcore (-l) copies into its own slice\n"
"                           of the window at once; aggregate throughput\n"
"\n"
"Unaligned sweep (plain memcpy and wc_mmio_copy_to, each faulting attempt\n"
"caught and reported, every other one verified by read-back):\n"
"  --ua-offsets N           destination offsets 0..N-1 (default 64)\n"
"  --ua-lens N              lengths 1..N (default 256)\n"
"\n"
"NVMe mode (--nvme): commands through the nvme_cmb rawdev PMD on the NVMe\n"
"controller named with -a (bound to vfio-pci-wc), for every placement of\n"
"the submission queue (host memory, CMB uncached, CMB write-combining) and\n"
"of the data (host memory, CMB): commands per second at each queue depth,\n"
"latency p50/p99, MMIO stores and bytes per command from the PMD's\n"
"counters; every block written is read back and compared. The CMB-UC\n"
"placements run first, then the device is probed again with pci_wc=all for\n"
"the CMB-WC ones. It OVERWRITES the start of the namespace (the first 4M,\n"
"or one queue depth of commands if that is more; the table says which LBAs).\n"
"  --nvme                   NVMe mode instead of the raw-BAR measurements\n"
"  --nvme-blocks N          logical blocks per command (default 1)\n"
"  --nvme-ops N             writes, then as many reads, per placement and\n"
"                           queue depth (default 10000; --quick: 200)\n"
"  --nvme-depths LIST       queue depths, up to 4, each 1..1023 (default 1,32)\n"
"  With --nvme, --phases (uc: CMB-UC placements, wc: CMB-WC ones),\n"
"  --require-wc, --quick, --csv, --json, --plot and --label apply; the\n"
"  raw-BAR options above are refused.\n"
"\n"
"Presets and output:\n"
"  --quick                  short run for emulators: sizes 64,1K,16K, widest\n"
"                           width, 3 reps, 1 warm-up, 16K batch, lengths\n"
"                           1..64; options given explicitly still apply\n"
"  --csv FILE               results as CSV\n"
"  --json FILE              results as JSON\n"
"  --plot FILE              throughput vs size as SVG (--nvme: commands per\n"
"                           second and latency per placement)\n"
"  --label TEXT             describe the machine in outputs and plot title\n"
"  -h, --help               this text\n"
"\n"
"SIZE takes K, M, G suffixes (powers of 1024) and is decimal (010 is ten),\n"
"or hexadecimal after 0x. Throughput is in MB/s (10^6 bytes per second):\n"
"median over the samples, with p10/p90 and min/max.\n"
"Numbers taken in an emulator (QEMU TCG) or a VM say nothing about hardware;\n"
"the app detects QEMU and says so in every output.\n"
"Exit status: 0 done, all data verified and wc_mmio_copy_to never faulted;\n"
"1 an error, a data mismatch or a fault of wc_mmio_copy_to; 2 bad options\n"
"(EAL's part too: no -a, a stray word after --pci-wc). A fault in an MMIO\n"
"access outside the unaligned sweep ends the run with the signal, after one\n"
"line saying so.\n",
		prog, prog);
}
