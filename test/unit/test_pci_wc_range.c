/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of WC on part of a BAR (drivers/bus/pci_wc/pci_wc_range.c,
 * compiled in here on its own): the "pci_wc_range=" value, the device
 * argument that carries it, the text of a range, and the rules a range
 * must meet in its BAR.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pci_wc_range.h"

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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The page size of most cases; some pass others, as the bus will. */
#define PG 4096

static bool
range_is(const struct pci_wc_range *r, unsigned int bar, uint64_t offset,
		uint64_t length)
{
	return r->bar == bar && r->offset == offset && r->length == length;
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
test_parse_good(void)
{
	static const struct {
		const char *in;
		size_t page;
		unsigned int bar;
		uint64_t offset, length;
	} cases[] = {
		{ "0:0:0", PG, 0, 0, 0 },	/* the whole BAR */
		{ "2:0x1000:64K", PG, 2, 0x1000, 0x10000 },
		{ "2:4096:4096", PG, 2, 0x1000, 0x1000 },
		{ "5:0x0:0x1000", PG, 5, 0, 0x1000 },
		{ "1:0X2000:0X1000", PG, 1, 0x2000, 0x1000 },
		{ "3:0xABC000:0xfff000", PG, 3, 0xabc000, 0xfff000 },
		{ "0:0:4k", PG, 0, 0, 4096 },
		{ "0:0:1M", PG, 0, 0, UINT64_C(1) << 20 },
		{ "0:0:2G", PG, 0, 0, UINT64_C(2) << 30 },
		{ "0:0:0x10K", PG, 0, 0, 0x4000 },
		{ "0:0:0K", PG, 0, 0, 0 },	/* still "to the end" */
		{ "0:0:16777215G", PG, 0, 0, UINT64_C(16777215) << 30 },
		{ "4:18446744073709547520:0", PG, 4,
			UINT64_C(0xfffffffffffff000), 0 },
		/* ends at 2^64 exactly: its last byte is addressable */
		{ "0:0xfffffffffffff000:4096", PG, 0,
			UINT64_C(0xfffffffffffff000), 0x1000 },
		{ "0:0:0xfffffffffffff000", PG, 0, 0,
			UINT64_C(0xfffffffffffff000) },
		{ "0:0x1000:0xfffffffffffff000", PG, 0, 0x1000,
			UINT64_C(0xfffffffffffff000) },
		/* the page size is the caller's */
		{ "2:0x10000:64K", 65536, 2, 0x10000, 0x10000 },
		{ "2:1:3", 1, 2, 1, 3 },
	};
	unsigned int i;

	for (i = 0; i < NELEM(cases); i++) {
		struct pci_wc_range r = { 99, 1, 1 };
		char msg[PCI_WC_RANGE_MSG_LEN] = "junk";
		int ret = pci_wc_range_parse(cases[i].in, cases[i].page, &r,
			msg, sizeof(msg));

		CHECK(ret == 0, "parse '%s' returned %d (%s)", cases[i].in,
			ret, msg);
		CHECK(range_is(&r, cases[i].bar, cases[i].offset,
			cases[i].length),
			"parse '%s' gave %u:0x%" PRIx64 ":0x%" PRIx64,
			cases[i].in, r.bar, r.offset, r.length);
		CHECK(msg[0] == '\0', "parse '%s' left message '%s'",
			cases[i].in, msg);
	}
}

static void
test_parse_bad(void)
{
	static const struct {
		const char *in;
		size_t page;
		int ret;
		const char *why;
	} cases[] = {
		{ "", PG, -EINVAL, "empty value" },
		{ "2", PG, -EINVAL, "fewer than 3 fields" },
		{ ":", PG, -EINVAL, "fewer than 3 fields" },
		{ "2:0x1000", PG, -EINVAL, "fewer than 3 fields" },
		{ "::", PG, -EINVAL, "BAR is empty" },
		{ ":0:0", PG, -EINVAL, "BAR is empty" },
		{ "2::4096", PG, -EINVAL, "offset is empty" },
		{ "2:0x1000:", PG, -EINVAL, "length is empty" },
		{ "2:0:0:0", PG, -EINVAL, "more than 3 fields" },
		{ "2:0:0:", PG, -EINVAL, "more than 3 fields" },
		{ "6:0:0", PG, -EINVAL, "BAR 6 is not 0..5" },
		{ "9:0:0", PG, -EINVAL, "BAR 9 is not 0..5" },
		{ "10:0:0", PG, -EINVAL, "BAR 10 is not 0..5" },
		{ "02:0:0", PG, -EINVAL, "BAR '02' has a leading zero" },
		{ "0x2:0:0", PG, -EINVAL, "BAR '0x2' is not decimal" },
		{ "a:0:0", PG, -EINVAL, "BAR 'a' is not a decimal" },
		{ "2K:0:0", PG, -EINVAL, "BAR '2K' is not a decimal" },
		{ "-1:0:0", PG, -EINVAL, "BAR '-1' has a sign" },
		{ "+2:0:0", PG, -EINVAL, "BAR '+2' has a sign" },
		{ "2:-4096:0", PG, -EINVAL, "offset '-4096' has a sign" },
		{ "2:+4096:0", PG, -EINVAL, "offset '+4096' has a sign" },
		{ "2:0:-4K", PG, -EINVAL, "length '-4K' has a sign" },
		{ "2:0:+4096", PG, -EINVAL, "length '+4096' has a sign" },
		{ " 2:0:0", PG, -EINVAL, "BAR ' 2' is not a decimal" },
		{ "2:0:0 ", PG, -EINVAL, "length '0 ' is not a decimal" },
		{ "2: 4096:0", PG, -EINVAL, "offset ' 4096' is not a decimal" },
		{ "2:0x:0", PG, -EINVAL, "offset '0x' has no hex digits" },
		{ "2:0:0x", PG, -EINVAL, "length '0x' has no hex digits" },
		{ "2:0x1000x:0", PG, -EINVAL, "offset '0x1000x' is not" },
		{ "2:0x1g000:0", PG, -EINVAL, "offset '0x1g000' is not" },
		{ "2:4096abc:0", PG, -EINVAL, "offset '4096abc' is not" },
		{ "2:0x1000K:0", PG, -EINVAL, "offset '0x1000K' is not" },
		{ "2:0:4096Q", PG, -EINVAL, "length '4096Q' is not a decimal or 0x hex number with an optional K, M or G" },
		{ "2:0:4KB", PG, -EINVAL, "length '4KB' is not" },
		{ "2:0:64KK", PG, -EINVAL, "length '64KK' is not" },
		{ "2:0:4T", PG, -EINVAL, "length '4T' is not" },
		{ "2:0:K", PG, -EINVAL, "length 'K' is a suffix without a number" },
		{ "2:010:0", PG, -EINVAL, "offset '010' has a leading zero" },
		{ "2:0:04096", PG, -EINVAL, "length '04096' has a leading zero" },
		{ "2:0x10000000000000000:0", PG, -ERANGE,
			"offset '0x10000000000000000' does not fit in 64 bits" },
		{ "2:18446744073709551616:0", PG, -ERANGE,
			"does not fit in 64 bits" },
		{ "2:0:99999999999999999999", PG, -ERANGE,
			"length '99999999999999999999' does not fit in 64 bits" },
		{ "2:0:17179869184G", PG, -ERANGE,	/* 2^34 G = 2^64 */
			"length '17179869184G' does not fit in 64 bits" },
		{ "2:0:0x400000000G", PG, -ERANGE, "does not fit in 64 bits" },
		{ "2:0:18014398509481984K", PG, -ERANGE, "does not fit" },
		/* fits, but is no page multiple */
		{ "2:18446744073709551615:0", PG, -EINVAL,
			"offset 0xffffffffffffffff is not a multiple of the page size 4096" },
		{ "2:0xfffffffffffff000:8192", PG, -ERANGE,
			"offset 0xfffffffffffff000 + length 0x2000 ends past 2^64" },
		{ "2:0x2000:0xfffffffffffff000", PG, -ERANGE, "ends past 2^64" },
		{ "2:0x1001:4096", PG, -EINVAL,
			"offset 0x1001 is not a multiple of the page size 4096" },
		{ "2:0x800:0", PG, -EINVAL,
			"offset 0x800 is not a multiple of the page size 4096" },
		{ "2:0:0x1800", PG, -EINVAL,
			"length 0x1800 is not a multiple of the page size 4096" },
		{ "2:0:1K", PG, -EINVAL,
			"length 0x400 is not a multiple of the page size 4096" },
		{ "2:0x1000:0", 65536, -EINVAL,
			"offset 0x1000 is not a multiple of the page size 65536" },
		{ "2:0:4K", 65536, -EINVAL,
			"length 0x1000 is not a multiple of the page size 65536" },
		{ "2:0:0", 0, -EINVAL, "page size 0 is not a power of two" },
		{ "2:0:0", 3000, -EINVAL, "page size 3000 is not a power of two" },
	};
	unsigned int i;

	for (i = 0; i < NELEM(cases); i++) {
		struct pci_wc_range r = { 99, 1, 1 };
		char msg[PCI_WC_RANGE_MSG_LEN] = "";
		char prefix[128];
		int ret = pci_wc_range_parse(cases[i].in, cases[i].page, &r,
			msg, sizeof(msg));

		CHECK(ret == cases[i].ret, "parse '%s' returned %d, not %d (%s)",
			cases[i].in, ret, cases[i].ret, msg);
		CHECK(range_is(&r, 99, 1, 1), "failed parse '%s' wrote the range",
			cases[i].in);
		snprintf(prefix, sizeof(prefix), "pci_wc_range=%s: ",
			cases[i].in);
		CHECK(starts_with(msg, prefix), "parse '%s': message '%s' does not start with '%s'",
			cases[i].in, msg, prefix);
		CHECK(strstr(msg, cases[i].why) != NULL,
			"parse '%s': message '%s' lacks '%s'", cases[i].in, msg,
			cases[i].why);
		CHECK(strchr(msg, '\n') == NULL, "parse '%s': message not one line",
			cases[i].in);
	}

	/* the message a user sees, in full */
	{
		struct pci_wc_range r;
		char msg[PCI_WC_RANGE_MSG_LEN];

		pci_wc_range_parse("2:0x1001:4096", PG, &r, msg, sizeof(msg));
		CHECK(strcmp(msg, "pci_wc_range=2:0x1001:4096: offset 0x1001 is not a multiple of the page size 4096") == 0,
			"message '%s'", msg);
	}
	/* no value at all, and no room for a message */
	{
		struct pci_wc_range r = { 99, 1, 1 };
		char msg[8 + 1] = { [8] = 'X' };

		CHECK(pci_wc_range_parse(NULL, PG, &r, NULL, 0) == -EINVAL,
			"NULL value");
		CHECK(pci_wc_range_parse("2:0x1001:4096", PG, &r, msg, 8) ==
			-EINVAL && msg[8] == 'X' && strlen(msg) == 7,
			"a short message buffer is cut, never overrun");
		CHECK(range_is(&r, 99, 1, 1), "range untouched");
	}
}

static void
test_devargs(void)
{
	static const struct {
		const char *in;
		int ret;
		const char *left;
		struct pci_wc_range want[3];
		const char *why;	/* in the message, on -1 */
	} cases[] = {
		{ "", 0, "", { { 0 } }, NULL },
		{ "rxq=2", 0, "rxq=2", { { 0 } }, NULL },
		{ "pci_wc_range=2:0x1000:64K", 1, "",
			{ { 2, 0x1000, 0x10000 } }, NULL },
		{ "a=1,pci_wc_range=2:0:0,b=2", 1, "a=1,b=2",
			{ { 2, 0, 0 } }, NULL },
		{ "pci_wc_range=2:0:0,rxq=2", 1, "rxq=2", { { 2, 0, 0 } }, NULL },
		{ "rxq=2,pci_wc_range=0:0x2000:4K", 1, "rxq=2",
			{ { 0, 0x2000, 0x1000 } }, NULL },
		/* repeatable; the ranges in the order given */
		{ "pci_wc_range=2:0:4K,a=1,pci_wc_range=4:0x1000:4K,b=2", 2,
			"a=1,b=2", { { 2, 0, 0x1000 }, { 4, 0x1000, 0x1000 } },
			NULL },
		{ "pci_wc_range=2:0x2000:4K,pci_wc_range=2:0:4K", 2, "",
			{ { 2, 0x2000, 0x1000 }, { 2, 0, 0x1000 } }, NULL },
		{ "a=1,pci_wc_range=2:0:4K,b=2,pci_wc_range=3:0:0,c=3", 2,
			"a=1,b=2,c=3", { { 2, 0, 0x1000 }, { 3, 0, 0 } }, NULL },
		/* the same range however it is written: asked once */
		{ "pci_wc_range=2:0:4K,a=1,pci_wc_range=2:0:0x1000,pci_wc_range=2:0x0:4096",
			1, "a=1", { { 2, 0, 0x1000 } }, NULL },
		{ "pci_wc_range=2:0:0,pci_wc_range=2:0:0,pci_wc_range=1:0:0", 2,
			"", { { 2, 0, 0 }, { 1, 0, 0 } }, NULL },
		/* the policy's own key stays for pci_wc_devargs_extract() */
		{ "pci_wc=all,pci_wc_range=2:0:0", 1, "pci_wc=all",
			{ { 2, 0, 0 } }, NULL },
		/* not ours */
		{ "pci_wc=2:0:0", 0, "pci_wc=2:0:0", { { 0 } }, NULL },
		{ "pci_wc_rangex=2:0:0", 0, "pci_wc_rangex=2:0:0", { { 0 } }, NULL },
		{ "xpci_wc_range=2:0:0", 0, "xpci_wc_range=2:0:0", { { 0 } }, NULL },
		{ "pci_wc_range", 0, "pci_wc_range", { { 0 } }, NULL },
		{ "pci_wc_range:2:0:0", 0, "pci_wc_range:2:0:0", { { 0 } }, NULL },
		/* refused: nothing removed, the bad item named */
		{ "pci_wc_range=", -1, "pci_wc_range=", { { 0 } },
			"pci_wc_range=: empty value" },
		{ "a=1,pci_wc_range=bogus", -1, "a=1,pci_wc_range=bogus",
			{ { 0 } }, "pci_wc_range=bogus: fewer than 3 fields" },
		{ "pci_wc_range=2:0:0,pci_wc_range=9:0:0,a=1", -1,
			"pci_wc_range=2:0:0,pci_wc_range=9:0:0,a=1", { { 0 } },
			"pci_wc_range=9:0:0: BAR 9 is not 0..5" },
		{ "pci_wc_range=2:0x1001:4096,a=1", -1,
			"pci_wc_range=2:0x1001:4096,a=1", { { 0 } },
			"pci_wc_range=2:0x1001:4096: offset 0x1001 is not a multiple of the page size 4096" },
		{ "a=1,pci_wc_range=2:0:0:0,b=2", -1,
			"a=1,pci_wc_range=2:0:0:0,b=2", { { 0 } },
			"pci_wc_range=2:0:0:0: more than 3 fields" },
		{ "pci_wc_range=2:0:0,pci_wc_range=", -1,
			"pci_wc_range=2:0:0,pci_wc_range=", { { 0 } },
			"empty value" },
		{ "pci_wc_range=2:0:0,b=pci_wc_range=2:0:0", 1,
			"b=pci_wc_range=2:0:0", { { 2, 0, 0 } }, NULL },
	};
	unsigned int i, j;

	for (i = 0; i < NELEM(cases); i++) {
		struct pci_wc_range ranges[PCI_WC_RANGES_MAX];
		char buf[128], msg[PCI_WC_RANGE_MSG_LEN] = "junk";
		int ret;

		for (j = 0; j < PCI_WC_RANGES_MAX; j++)
			ranges[j] = (struct pci_wc_range){ 99, 1, 1 };
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		ret = pci_wc_range_devargs_extract(buf, PG, ranges, msg,
			sizeof(msg));
		CHECK(ret == cases[i].ret, "devargs '%s' returned %d (%s)",
			cases[i].in, ret, msg);
		CHECK(strcmp(buf, cases[i].left) == 0,
			"devargs '%s' left '%s' (expected '%s')", cases[i].in,
			buf, cases[i].left);
		for (j = 0; ret > 0 && j < (unsigned int)ret && j < 3; j++)
			CHECK(range_is(&ranges[j], cases[i].want[j].bar,
				cases[i].want[j].offset,
				cases[i].want[j].length),
				"devargs '%s' range %u is %u:0x%" PRIx64 ":0x%" PRIx64,
				cases[i].in, j, ranges[j].bar, ranges[j].offset,
				ranges[j].length);
		for (j = ret > 0 ? (unsigned int)ret : 0; j < PCI_WC_RANGES_MAX; j++)
			CHECK(range_is(&ranges[j], 99, 1, 1),
				"devargs '%s' wrote range %u", cases[i].in, j);
		if (cases[i].why != NULL)
			CHECK(strstr(msg, cases[i].why) != NULL,
				"devargs '%s': message '%s' lacks '%s'",
				cases[i].in, msg, cases[i].why);
		else
			CHECK(msg[0] == '\0', "devargs '%s': message '%s'",
				cases[i].in, msg);
	}
	CHECK(pci_wc_range_devargs_extract(NULL, PG, NULL, NULL, 0) == 0,
		"NULL args");
	/* the caller's page size */
	{
		struct pci_wc_range ranges[PCI_WC_RANGES_MAX];
		char buf[] = "pci_wc_range=2:0x1000:0";
		char msg[PCI_WC_RANGE_MSG_LEN];

		CHECK(pci_wc_range_devargs_extract(buf, 65536, ranges, msg,
			sizeof(msg)) == -1 &&
			strcmp(buf, "pci_wc_range=2:0x1000:0") == 0 &&
			strstr(msg, "page size 65536") != NULL,
			"64K pages: '%s'", msg);
	}
}

/* "a=1,pci_wc_range=0:0x1000:4K,...": count ranges, each dup times. */
static void
many_args(char *buf, size_t len, unsigned int count, unsigned int dup)
{
	size_t off = snprintf(buf, len, "a=1");
	unsigned int i, k;

	for (k = 0; k < dup; k++)
		for (i = 0; i < count; i++)
			off += snprintf(buf + off, len - off,
				",pci_wc_range=%u:0x%x000:4K", i % 6, i + 1);
	snprintf(buf + off, len - off, ",b=2");
}

static void
test_devargs_many(void)
{
	struct pci_wc_range ranges[PCI_WC_RANGES_MAX];
	char buf[1024], orig[1024], msg[PCI_WC_RANGE_MSG_LEN];
	unsigned int i;
	bool all;
	int ret;

	/* as many as allowed */
	many_args(buf, sizeof(buf), PCI_WC_RANGES_MAX, 1);
	ret = pci_wc_range_devargs_extract(buf, PG, ranges, msg, sizeof(msg));
	CHECK(ret == PCI_WC_RANGES_MAX && strcmp(buf, "a=1,b=2") == 0,
		"%d ranges: returned %d, left '%s' (%s)", PCI_WC_RANGES_MAX,
		ret, buf, msg);
	all = true;
	for (i = 0; i < PCI_WC_RANGES_MAX; i++)
		all &= range_is(&ranges[i], i % 6, (i + 1) * 0x1000, 0x1000);
	CHECK(all, "%d ranges in order", PCI_WC_RANGES_MAX);

	/* the same, each given three times: duplicates do not count */
	many_args(buf, sizeof(buf), PCI_WC_RANGES_MAX, 3);
	ret = pci_wc_range_devargs_extract(buf, PG, ranges, msg, sizeof(msg));
	CHECK(ret == PCI_WC_RANGES_MAX && strcmp(buf, "a=1,b=2") == 0,
		"%d ranges thrice: returned %d, left '%s' (%s)",
		PCI_WC_RANGES_MAX, ret, buf, msg);

	/* one more: refused, nothing removed, nothing written */
	many_args(buf, sizeof(buf), PCI_WC_RANGES_MAX + 1, 1);
	snprintf(orig, sizeof(orig), "%s", buf);
	for (i = 0; i < PCI_WC_RANGES_MAX; i++)
		ranges[i] = (struct pci_wc_range){ 99, 1, 1 };
	ret = pci_wc_range_devargs_extract(buf, PG, ranges, msg, sizeof(msg));
	CHECK(ret == -1, "%d ranges: returned %d", PCI_WC_RANGES_MAX + 1, ret);
	CHECK(strcmp(buf, orig) == 0, "too many: args changed to '%s'", buf);
	CHECK(range_is(&ranges[0], 99, 1, 1) &&
		range_is(&ranges[PCI_WC_RANGES_MAX - 1], 99, 1, 1),
		"too many: ranges written");
	CHECK(strstr(msg, "pci_wc_range=2:0x9000:4K: more than 8 ranges (at most 8 per device, all BARs together)") != NULL,
		"too many: message '%s'", msg);
}

static void
test_format_resolve(void)
{
	static const struct {
		struct pci_wc_range r;
		const char *text;
	} texts[] = {
		{ { 2, 0x1000, 0x10000 }, "BAR 2 [0x1000, 0x11000)" },
		{ { 5, 0, 0x1000 }, "BAR 5 [0x0, 0x1000)" },
		{ { 2, 0x1000, 0 }, "BAR 2 [0x1000, end of BAR)" },
		{ { 0, 0xfffffffffffff000, 0x1000 },
			"BAR 0 [0xfffffffffffff000, 0x10000000000000000)" },
		/* unchecked input still prints its true end */
		{ { 5, UINT64_MAX, UINT64_MAX },
			"BAR 5 [0xffffffffffffffff, 0x1fffffffffffffffe)" },
	};
	static const struct {
		struct pci_wc_range r;
		uint64_t size, length;
	} lengths[] = {
		{ { 2, 0x1000, 0 }, 0x10000, 0xf000 },
		{ { 2, 0, 0 }, 0x10000, 0x10000 },
		{ { 2, 0, 0 }, 0x800, 0x800 },
		{ { 2, 0xf000, 0 }, 0x10000, 0x1000 },
		{ { 2, 0x10000, 0 }, 0x10000, 0 },	/* at the end: nothing */
		{ { 2, 0x20000, 0 }, 0x10000, 0 },
		{ { 2, 0, 0 }, 0, 0 },
		/* an explicit length is kept, even past the BAR */
		{ { 2, 0, 0x2000 }, 0x10000, 0x2000 },
		{ { 2, 0, 0x20000 }, 0x10000, 0x20000 },
		{ { 2, 0x20000, 0x1000 }, 0x10000, 0x1000 },
	};
	unsigned int i;

	for (i = 0; i < NELEM(texts); i++) {
		char buf[PCI_WC_RANGE_TEXT_LEN];
		int n = pci_wc_range_format(&texts[i].r, buf, sizeof(buf));

		CHECK(strcmp(buf, texts[i].text) == 0, "format gave '%s', not '%s'",
			buf, texts[i].text);
		CHECK(n == (int)strlen(texts[i].text) &&
			n < PCI_WC_RANGE_TEXT_LEN, "format returned %d", n);
	}
	{
		char buf[8 + 1] = { [8] = 'X' };

		pci_wc_range_format(&texts[0].r, buf, 8);
		CHECK(buf[8] == 'X' && strcmp(buf, "BAR 2 [") == 0,
			"format truncation");
	}
	for (i = 0; i < NELEM(lengths); i++) {
		uint64_t got = pci_wc_range_resolve(&lengths[i].r,
			lengths[i].size);

		CHECK(got == lengths[i].length,
			"resolve %u:0x%" PRIx64 ":0x%" PRIx64 " in 0x%" PRIx64
			" gave 0x%" PRIx64, lengths[i].r.bar, lengths[i].r.offset,
			lengths[i].r.length, lengths[i].size, got);
	}
}

/* The BARs the validator cases run on. */
enum {
	B64K,		/* 64 KiB prefetchable memory, no MSI-X */
	B128K,
	B64K_PAT,	/* the same on x86 */
	B_MSIX,		/* MSI-X table inside page 0x3000, PBA in 0xf000 */
	B_MSIX_ACROSS,	/* MSI-X table across pages 0x3000 and 0x4000 */
	B_SUB,		/* 2 KiB, not page-aligned in physical memory */
	B_SUB_PAT,
	B_SUB_MSIX,	/* 2 KiB holding its MSI-X table */
	B_UNALIGNED_PAT, /* a page, but not on a page boundary, on x86 */
	B_IO,
	B_EMPTY,
	B_NP,		/* not prefetchable */
};

static const struct pci_wc_range_bar bars[] = {
	[B64K] = { .size = 0x10000, .phys_addr = 0xfe000000,
		.memory = true, .prefetchable = true },
	[B128K] = { .size = 0x20000, .phys_addr = 0xfe000000,
		.memory = true, .prefetchable = true },
	[B64K_PAT] = { .size = 0x10000, .phys_addr = 0xfe000000,
		.memory = true, .prefetchable = true,
		.memtype_per_page = true },
	[B_MSIX] = { .size = 0x10000, .phys_addr = 0xfe000000,
		.memory = true, .prefetchable = true,
		.exclude = { { 0x3800, 0x100 }, { 0xf000, 0x8 } } },
	[B_MSIX_ACROSS] = { .size = 0x10000, .phys_addr = 0xfe000000,
		.memory = true, .prefetchable = true,
		.exclude = { { 0, 0 }, { 0x3f00, 0x200 } } },
	[B_SUB] = { .size = 0x800, .phys_addr = 0xfe001800,
		.memory = true, .prefetchable = true },
	[B_SUB_PAT] = { .size = 0x800, .phys_addr = 0xfe002000,
		.memory = true, .prefetchable = true,
		.memtype_per_page = true },
	[B_SUB_MSIX] = { .size = 0x800, .phys_addr = 0xfe001800,
		.memory = true, .prefetchable = true,
		.exclude = { { 0x400, 0x10 } } },
	[B_UNALIGNED_PAT] = { .size = 0x1000, .phys_addr = 0xfe000800,
		.memory = true, .prefetchable = true,
		.memtype_per_page = true },
	[B_IO] = { .size = 0x100, .memory = false },
	[B_EMPTY] = { .size = 0, .memory = true, .prefetchable = true },
	[B_NP] = { .size = 0x4000, .phys_addr = 0xfe000000,
		.memory = true, .prefetchable = false },
};

static void
test_check(void)
{
	static const struct {
		int bar;
		struct pci_wc_range r;
		struct pci_wc_range others[2];
		unsigned int n_others;
		size_t page;
		int ret;
		const char *why;	/* in the message (beside the range) */
	} cases[] = {
		{ B64K, { 2, 0, 0 }, { { 0 } }, 0, PG, 0, NULL },
		{ B128K, { 2, 0x1000, 0x10000 }, { { 0 } }, 0, PG, 0, NULL },
		/* the end of the BAR */
		{ B64K, { 2, 0xf000, 0x1000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B64K, { 2, 0xf000, 0x2000 }, { { 0 } }, 0, PG, -EINVAL,
			"ends past the end of the BAR (size 0x10000)" },
		{ B64K, { 2, 0, 0x11000 }, { { 0 } }, 0, PG, -EINVAL,
			"ends past the end" },
		{ B64K, { 2, 0x10000, 0 }, { { 0 } }, 0, PG, -EINVAL,
			"starts at or past the end of the BAR (size 0x10000)" },
		{ B64K, { 2, 0x10000, 0x1000 }, { { 0 } }, 0, PG, -EINVAL,
			"starts at or past the end" },
		{ B64K, { 2, 0x8000, 0 }, { { 0 } }, 0, PG, 0, NULL },
		{ B64K, { 2, 0xf000, UINT64_C(0xfffffffffffff000) },
			{ { 0 } }, 0, PG, -EINVAL, "ends past the end" },
		/* alignment, for callers that did not parse */
		{ B64K, { 2, 0x800, 0x1000 }, { { 0 } }, 0, PG, -EINVAL,
			"not page-aligned (page size 4096)" },
		{ B64K, { 2, 0x1000, 0x800 }, { { 0 } }, 0, PG, -EINVAL,
			"not page-aligned" },
		{ B64K, { 2, 0x1000, 0x1000 }, { { 0 } }, 0, 65536, -EINVAL,
			"not page-aligned (page size 65536)" },
		{ B64K, { 2, 0, 0 }, { { 0 } }, 0, 65536, 0, NULL },
		{ B64K, { 2, 0, 0 }, { { 0 } }, 0, 0, -EINVAL,
			"page size 0 is not a power of two" },
		{ B64K, { 2, 0, 0 }, { { 0 } }, 0, 6144, -EINVAL,
			"not a power of two" },
		{ B64K, { 6, 0, 0 }, { { 0 } }, 0, PG, -EINVAL, "no such BAR" },
		/* other ranges */
		{ B64K, { 2, 0x2000, 0x1000 },
			{ { 2, 0x1000, 0x1000 }, { 2, 0x3000, 0 } }, 2, PG, 0,
			NULL },	/* adjacent on both sides */
		{ B64K, { 2, 0x2000, 0x2000 }, { { 2, 0x3000, 0x2000 } }, 1, PG,
			-EEXIST, "overlaps BAR 2 [0x3000, 0x5000)" },
		{ B64K, { 2, 0x3000, 0x2000 }, { { 2, 0x2000, 0x2000 } }, 1, PG,
			-EEXIST, "overlaps BAR 2 [0x2000, 0x4000)" },
		{ B64K, { 2, 0, 0 }, { { 2, 0x4000, 0x1000 } }, 1, PG, -EEXIST,
			"overlaps BAR 2 [0x4000, 0x5000)" },
		{ B64K, { 2, 0x9000, 0x1000 }, { { 2, 0x8000, 0 } }, 1, PG,
			-EEXIST, "overlaps BAR 2 [0x8000, 0x10000)" },
		{ B64K, { 2, 0x2000, 0x1000 }, { { 2, 0x2000, 0x1000 } }, 1, PG,
			PCI_WC_RANGE_SAME, "already requested" },
		{ B64K, { 2, 0, 0 }, { { 2, 0, 0x10000 } }, 1, PG,
			PCI_WC_RANGE_SAME, "already requested" },
		{ B64K, { 2, 0xf000, 0x1000 }, { { 2, 0xf000, 0 } }, 1, PG,
			PCI_WC_RANGE_SAME, "already requested" },
		{ B64K, { 2, 0x2000, 0x1000 },
			{ { 2, 0x2000, 0x1000 }, { 2, 0, 0x3000 } }, 2, PG,
			-EEXIST, "overlaps BAR 2 [0x0, 0x3000)" },
		{ B64K, { 2, 0, 0 }, { { 4, 0, 0 }, { 0, 0x1000, 0x1000 } }, 2,
			PG, 0, NULL },	/* other BARs */
		{ B64K, { 2, 0, 0 }, { { 2, 0x20000, 0 } }, 1, PG, 0, NULL },
		/* the BAR itself */
		{ B_IO, { 1, 0, 0 }, { { 0 } }, 0, PG, -ENXIO, "not a memory BAR" },
		{ B_EMPTY, { 3, 0, 0 }, { { 0 } }, 0, PG, -ENXIO,
			"not a memory BAR" },
		{ B_NP, { 0, 0, 0x1000 }, { { 0 } }, 0, PG, -EPERM,
			"not prefetchable" },
		{ B64K_PAT, { 2, 0, 0x1000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B64K_PAT, { 2, 0, 0 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_SUB_PAT, { 2, 0, 0 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"smaller than a page" },
		{ B_UNALIGNED_PAT, { 2, 0, 0 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"BAR at 0xfe000800 is not page-aligned" },
		/* a sub-page BAR elsewhere: whole or nothing */
		{ B_SUB, { 2, 0, 0 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_SUB, { 2, 0, 0x800 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_SUB, { 2, 0, 0x1000 }, { { 0 } }, 0, PG, -EINVAL,
			"ends past the end of the BAR (size 0x800)" },
		{ B_SUB, { 2, 0x400, 0 }, { { 0 } }, 0, PG, -EINVAL,
			"only the whole BAR (2:0:0)" },
		{ B_SUB, { 2, 0, 0x400 }, { { 0 } }, 0, PG, -EINVAL,
			"only the whole BAR" },
		{ B_SUB, { 2, 0x800, 0 }, { { 0 } }, 0, PG, -EINVAL,
			"starts at or past the end" },
		{ B_SUB_MSIX, { 2, 0, 0 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"touches MSI-X [0x400, 0x410), whose pages [0x0, 0x1000)" },
		/* MSI-X: its pages, and the pages next to them */
		{ B_MSIX, { 2, 0x3000, 0x1000 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"touches MSI-X [0x3800, 0x3900), whose pages [0x3000, 0x4000) stay uncached" },
		{ B_MSIX, { 2, 0x2000, 0x1000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_MSIX, { 2, 0x4000, 0x1000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_MSIX, { 2, 0, 0x3000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_MSIX, { 2, 0x4000, 0xb000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_MSIX, { 2, 0x2000, 0x2000 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"[0x3000, 0x4000)" },
		{ B_MSIX, { 2, 0x4000, 0 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"touches MSI-X [0xf000, 0xf008)" },
		{ B_MSIX, { 2, 0, 0 }, { { 0 } }, 0, PG, -EOPNOTSUPP,
			"touches MSI-X" },
		/* on 64K pages the table's page is the BAR */
		{ B_MSIX, { 2, 0, 0 }, { { 0 } }, 0, 65536, -EOPNOTSUPP,
			"pages [0x0, 0x10000)" },
		{ B_MSIX_ACROSS, { 2, 0x4000, 0x1000 }, { { 0 } }, 0, PG,
			-EOPNOTSUPP, "whose pages [0x3000, 0x5000)" },
		{ B_MSIX_ACROSS, { 2, 0x3000, 0x1000 }, { { 0 } }, 0, PG,
			-EOPNOTSUPP, "touches MSI-X [0x3f00, 0x4100)" },
		{ B_MSIX_ACROSS, { 2, 0x2000, 0x1000 }, { { 0 } }, 0, PG, 0, NULL },
		{ B_MSIX_ACROSS, { 2, 0x5000, 0 }, { { 0 } }, 0, PG, 0, NULL },
		/* a bad range is refused for itself before others are read */
		{ B_MSIX, { 2, 0x3000, 0x1000 }, { { 2, 0x3000, 0x1000 } }, 1,
			PG, -EOPNOTSUPP, "touches MSI-X" },
	};
	unsigned int i;

	for (i = 0; i < NELEM(cases); i++) {
		const struct pci_wc_range_bar *bar = &bars[cases[i].bar];
		struct pci_wc_range res = cases[i].r;
		char msg[PCI_WC_RANGE_MSG_LEN] = "junk";
		char name[PCI_WC_RANGE_TEXT_LEN];
		int ret;

		ret = pci_wc_range_check(&cases[i].r, bar, cases[i].others,
			cases[i].n_others, cases[i].page, msg, sizeof(msg));
		CHECK(ret == cases[i].ret, "check case %u returned %d, not %d (%s)",
			i, ret, cases[i].ret, msg);
		if (cases[i].ret == 0) {
			CHECK(msg[0] == '\0', "check case %u: message '%s'", i,
				msg);
			continue;
		}
		/* the message names the range as resolved in its BAR */
		res.length = pci_wc_range_resolve(&cases[i].r, bar->size);
		pci_wc_range_format(res.length != 0 ? &res : &cases[i].r, name,
			sizeof(name));
		CHECK(starts_with(msg, name) && msg[strlen(name)] == ':',
			"check case %u: message '%s' does not start with '%s:'",
			i, msg, name);
		CHECK(strstr(msg, cases[i].why) != NULL,
			"check case %u: message '%s' lacks '%s'", i, msg,
			cases[i].why);
		CHECK(strchr(msg, '\n') == NULL, "check case %u: not one line", i);
	}

	/* the ranges of the request as a caller builds it, one by one */
	{
		static const struct pci_wc_range asked[] = {
			{ 2, 0x1000, 0x1000 }, { 2, 0x2000, 0x1000 },
			{ 2, 0x1000, 0x1000 }, { 2, 0x1000, 0x2000 },
			{ 2, 0x4000, 0 }, { 2, 0x3000, 0 },
		};
		static const int want[] = {
			0, 0, PCI_WC_RANGE_SAME, -EEXIST, -EOPNOTSUPP, -EOPNOTSUPP,
		};
		struct pci_wc_range kept[PCI_WC_RANGES_MAX];
		unsigned int n = 0;
		char msg[PCI_WC_RANGE_MSG_LEN];
		int ret;

		for (i = 0; i < NELEM(asked); i++) {
			ret = pci_wc_range_check(&asked[i], &bars[B_MSIX], kept,
				n, PG, msg, sizeof(msg));
			CHECK(ret == want[i], "request %u: %d, not %d (%s)", i,
				ret, want[i], msg);
			if (ret == 0)
				kept[n++] = asked[i];
		}
		CHECK(n == 2, "request kept %u ranges", n);
	}
	/* no room for a message, or a little */
	{
		const struct pci_wc_range r = { 2, 0x3000, 0x1000 };
		char msg[8 + 1] = { [8] = 'X' };

		CHECK(pci_wc_range_check(&r, &bars[B_MSIX], NULL, 0, PG, NULL,
			0) == -EOPNOTSUPP, "no message buffer");
		CHECK(pci_wc_range_check(&r, &bars[B_MSIX], NULL, 0, PG, msg,
			8) == -EOPNOTSUPP && msg[8] == 'X' && strlen(msg) == 7,
			"a short message buffer is cut, never overrun");
	}
}

/* The longest numbers still leave every message whole. */
static void
test_message_lengths(void)
{
	static const struct pci_wc_range_bar top = {
		.size = UINT64_C(1) << 63, .phys_addr = UINT64_C(1) << 63,
		.memory = true, .prefetchable = true,
		.exclude = { { UINT64_C(0x7ffffffffffff800), 0x800 } },
	};
	static const struct pci_wc_range_bar sub = {
		.size = 0x800, .phys_addr = UINT64_C(0xfffffffffffff800),
		.memory = true, .prefetchable = true,
	};
	struct pci_wc_range_bar sub_pat = sub, top_pat = top;
	const struct pci_wc_range over = {
		5, UINT64_C(0x7fffffffffffe000), 0x1000
	};
	const struct pci_wc_range r_top = { 5, UINT64_C(0x7ffffffffff00000), 0 };
	const struct pci_wc_range r_far = {
		5, UINT64_C(0xfffffffffffff000), UINT64_C(0xffffffffffffffff)
	};
	const struct pci_wc_range r_sub = { 5, 0x400, 0 };
	const struct pci_wc_range others[] = {
		{ 5, UINT64_C(0x7fffffffffff0000), 0 },
	};
	char msg[PCI_WC_RANGE_MSG_LEN];
	size_t longest = 0;
	struct pci_wc_range r;
	int ret[7];

	sub_pat.memtype_per_page = true;
	top_pat.memtype_per_page = true;
	top_pat.phys_addr |= 0x800;
	ret[0] = pci_wc_range_check(&r_top, &top, NULL, 0, 65536, msg,
		sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	ret[1] = pci_wc_range_check(&over, &top, others, 1, PG, msg,
		sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	ret[2] = pci_wc_range_check(&r_far, &top, NULL, 0, PG, msg,
		sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	ret[3] = pci_wc_range_check(&r_sub, &sub, NULL, 0, PG, msg,
		sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	ret[4] = pci_wc_range_check(&r_sub, &sub_pat, NULL, 0, PG, msg,
		sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	ret[5] = pci_wc_range_check(&r_top, &top_pat, NULL, 0, PG, msg,
		sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	/* the parser's longest reasons, on the longest sensible value */
	ret[6] = pci_wc_range_parse("5:0xfffffffffffff000:0xfffffffffffff000",
		PG, &r, msg, sizeof(msg));
	longest = strlen(msg) > longest ? strlen(msg) : longest;
	CHECK(ret[0] == -EOPNOTSUPP && ret[1] == -EEXIST &&
		ret[2] == -EINVAL && ret[3] == -EINVAL &&
		ret[4] == -EOPNOTSUPP && ret[5] == -EOPNOTSUPP &&
		ret[6] == -ERANGE, "the long messages are the ones meant");
	printf("longest message: %zu characters (room for %d)\n", longest,
		PCI_WC_RANGE_MSG_LEN - 1);
	CHECK(longest > 100 && longest < PCI_WC_RANGE_MSG_LEN - 1,
		"longest message %zu within %d", longest, PCI_WC_RANGE_MSG_LEN);
}

int
main(void)
{
	test_parse_good();
	test_parse_bad();
	test_devargs();
	test_devargs_many();
	test_format_resolve();
	test_check();
	test_message_lengths();
	printf("pci_wc_range: %d passed, %d failed\n", passed, failed);
	return failed != 0 || passed == 0;
}
