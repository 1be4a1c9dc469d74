/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pci_wc_policy.h"
#include "pci_wc_range.h"

static void __attribute__((format(printf, 3, 4)))
range_msg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (msg == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

static bool
page_size_valid(size_t page_size)
{
	return page_size != 0 && (page_size & (page_size - 1)) == 0;
}

/* A length for "%.*s": device arguments are short, but never trust it. */
static int
text_len(size_t n)
{
	return n > INT_MAX ? INT_MAX : (int)n;
}

/*
 * One number field [s, s + n): decimal or 0x hex, and with suffix_ok an
 * optional K, M or G. Returns 0, -EINVAL or -ERANGE with why set to the
 * end of a sentence that starts with the field's name and text.
 */
static int
range_number(const char *s, size_t n, bool suffix_ok, uint64_t *out,
		const char **why)
{
	uint64_t v = 0, mult = 1;
	unsigned int base = 10, d;
	size_t i = 0;

	if (n == 0) {
		*why = "is empty";
		return -EINVAL;
	}
	if (s[0] == '+' || s[0] == '-') {
		*why = "has a sign";
		return -EINVAL;
	}
	if (suffix_ok) {
		switch (s[n - 1]) {
		case 'K': case 'k':
			mult = UINT64_C(1) << 10;
			break;
		case 'M': case 'm':
			mult = UINT64_C(1) << 20;
			break;
		case 'G': case 'g':
			mult = UINT64_C(1) << 30;
			break;
		}
		if (mult != 1 && --n == 0) {
			*why = "is a suffix without a number";
			return -EINVAL;
		}
	}
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
		if (n == 2) {
			*why = "has no hex digits after 0x";
			return -EINVAL;
		}
	} else if (n >= 2 && s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		/* strtoull() would read it as octal: say which was meant */
		*why = "has a leading zero (write decimal without it, hex with 0x)";
		return -EINVAL;
	}
	for (; i < n; i++) {
		const char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else {
			*why = suffix_ok ?
				"is not a decimal or 0x hex number with an optional K, M or G" :
				"is not a decimal or 0x hex number";
			return -EINVAL;
		}
		if (v > (UINT64_MAX - d) / base) {
			*why = "does not fit in 64 bits";
			return -ERANGE;
		}
		v = v * base + d;
	}
	if (v > UINT64_MAX / mult) {
		*why = "does not fit in 64 bits";
		return -ERANGE;
	}
	*out = v * mult;
	return 0;
}

/*
 * Parse the value [value, value + n) (not NUL-terminated when it comes
 * from a device argument string). Every message starts with the item as
 * the user wrote it, so it can be found in a long argument string.
 */
static int
range_parse(const char *value, size_t n, size_t page_size,
		struct pci_wc_range *r, char *msg, size_t len)
{
	static const char *const names[3] = { "BAR", "offset", "length" };
	const int vlen = text_len(n);
	const char *end = value + n, *f[3], *colon;
	uint64_t v[3];
	size_t flen[3];
	const char *why;
	unsigned int i;
	int ret;

#define RANGE_FAIL(err, fmt, ...) do { \
	range_msg(msg, len, "%s=%.*s: " fmt, PCI_WC_RANGE_DEVARG_KEY, vlen, \
		value, __VA_ARGS__); \
	return (err); \
} while (0)

	if (!page_size_valid(page_size))
		RANGE_FAIL(-EINVAL, "page size %zu is not a power of two",
			page_size);
	if (n == 0)
		RANGE_FAIL(-EINVAL, "%s", "empty value (want BAR:OFFSET:LENGTH)");
	f[0] = value;
	for (i = 0; i < 3; i++) {
		colon = memchr(f[i], ':', end - f[i]);
		if (i < 2 && colon == NULL)
			RANGE_FAIL(-EINVAL, "%s",
				"fewer than 3 fields (want BAR:OFFSET:LENGTH)");
		if (i == 2 && colon != NULL)
			RANGE_FAIL(-EINVAL, "%s",
				"more than 3 fields (want BAR:OFFSET:LENGTH)");
		flen[i] = (i < 2 ? colon : end) - f[i];
		if (i < 2)
			f[i + 1] = colon + 1;
	}
	for (i = 0; i < 3; i++) {
		ret = range_number(f[i], flen[i], i == 2, &v[i], &why);
		/* BAR numbers are small and decimal: "0x2" is a typo */
		if (ret == 0 && i == 0 && flen[0] >= 2 &&
				(f[0][1] == 'x' || f[0][1] == 'X')) {
			why = "is not decimal";
			ret = -EINVAL;
		}
		if (ret < 0) {
			if (flen[i] == 0)
				RANGE_FAIL(ret, "%s %s", names[i], why);
			RANGE_FAIL(ret, "%s '%.*s' %s", names[i],
				text_len(flen[i]), f[i], why);
		}
	}
	if (v[0] > PCI_WC_RANGE_BAR_MAX)
		RANGE_FAIL(-EINVAL, "BAR %" PRIu64 " is not 0..%d", v[0],
			PCI_WC_RANGE_BAR_MAX);
	if (v[1] % page_size != 0)
		RANGE_FAIL(-EINVAL,
			"offset 0x%" PRIx64 " is not a multiple of the page size %zu",
			v[1], page_size);
	if (v[2] % page_size != 0)
		RANGE_FAIL(-EINVAL,
			"length 0x%" PRIx64 " is not a multiple of the page size %zu",
			v[2], page_size);
	/* the end may be 2^64 itself: the last byte is still addressable */
	if (v[2] != 0 && v[2] - 1 > UINT64_MAX - v[1])
		RANGE_FAIL(-ERANGE,
			"offset 0x%" PRIx64 " + length 0x%" PRIx64 " ends past 2^64",
			v[1], v[2]);
#undef RANGE_FAIL

	r->bar = (unsigned int)v[0];
	r->offset = v[1];
	r->length = v[2];
	range_msg(msg, len, "%s", "");
	return 0;
}

int
pci_wc_range_parse(const char *value, size_t page_size,
		struct pci_wc_range *r, char *msg, size_t len)
{
	if (value == NULL)
		value = "";
	return range_parse(value, strlen(value), page_size, r, msg, len);
}

static bool
range_equal(const struct pci_wc_range *a, const struct pci_wc_range *b)
{
	return a->bar == b->bar && a->offset == b->offset &&
		a->length == b->length;
}

int
pci_wc_range_devargs_extract(char *args, size_t page_size,
		struct pci_wc_range ranges[PCI_WC_RANGES_MAX],
		char *msg, size_t len)
{
	const size_t vstart = strlen(PCI_WC_RANGE_DEVARG_KEY) + 1;
	struct pci_wc_range found[PCI_WC_RANGES_MAX], r;
	unsigned int n = 0, i;
	char *kv, *end;
	size_t kvlen;

	range_msg(msg, len, "%s", "");
	if (args == NULL)
		return 0;
	/* Parse every occurrence before removing any. */
	for (kv = pci_wc_devargs_find(args, PCI_WC_RANGE_DEVARG_KEY, &end,
				&kvlen);
			kv != NULL;
			kv = pci_wc_devargs_find(end != NULL ? end + 1 : NULL,
				PCI_WC_RANGE_DEVARG_KEY, &end, &kvlen)) {
		if (range_parse(kv + vstart, kvlen - vstart, page_size, &r,
				msg, len) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (range_equal(&found[i], &r))
				break;
		if (i < n)
			continue;	/* said twice: asked once */
		if (n == PCI_WC_RANGES_MAX) {
			range_msg(msg, len,
				"%.*s: more than %d ranges (at most %d per device, all BARs together)",
				text_len(kvlen), kv, PCI_WC_RANGES_MAX,
				PCI_WC_RANGES_MAX);
			return -1;
		}
		found[n++] = r;
	}
	if (n == 0)
		return 0;
	pci_wc_devargs_cut(args, PCI_WC_RANGE_DEVARG_KEY);
	memcpy(ranges, found, n * sizeof(found[0]));
	return (int)n;
}

uint64_t
pci_wc_range_resolve(const struct pci_wc_range *r, uint64_t bar_size)
{
	if (r->length != 0)
		return r->length;
	return r->offset < bar_size ? bar_size - r->offset : 0;
}

/* "[0x1000, 0x2000)"; an end of 2^64 or past (unchecked input) in full. */
static int
span_format(uint64_t offset, uint64_t length, char *buf, size_t len)
{
	const uint64_t end = offset + length;

	if (length == 0)
		return snprintf(buf, len, "[0x%" PRIx64 ", end of BAR)", offset);
	if (end < offset)	/* 2^64 + end: a 65-bit number */
		return snprintf(buf, len, "[0x%" PRIx64 ", 0x1%016" PRIx64 ")",
			offset, end);
	return snprintf(buf, len, "[0x%" PRIx64 ", 0x%" PRIx64 ")", offset,
		end);
}

int
pci_wc_range_format(const struct pci_wc_range *r, char *buf, size_t len)
{
	int n = snprintf(buf, len, "BAR %u ", r->bar);

	if (n < 0)
		return n;
	/* the span goes on in place, or is only counted when cut */
	if ((size_t)n < len)
		return n + span_format(r->offset, r->length, buf + n, len - n);
	return n + span_format(r->offset, r->length, NULL, 0);
}

/* Page numbers of the first and last byte of [offset, offset + length). */
static void
span_pages(uint64_t offset, uint64_t length, uint64_t page_size,
		uint64_t *first, uint64_t *last)
{
	*first = offset / page_size;
	/* an excluded range is the device's word: it may run off the end */
	if (length - 1 > UINT64_MAX - offset)
		*last = UINT64_MAX / page_size;
	else
		*last = (offset + length - 1) / page_size;
}

/* The last byte of an unchecked range, saturated at 2^64 - 1. */
static uint64_t
span_last(uint64_t offset, uint64_t length)
{
	if (length - 1 > UINT64_MAX - offset)
		return UINT64_MAX;
	return offset + length - 1;
}

int
pci_wc_range_check(const struct pci_wc_range *r,
		const struct pci_wc_range_bar *bar,
		const struct pci_wc_range *others, unsigned int n_others,
		size_t page_size, char *msg, size_t len)
{
	const uint64_t pg = page_size;
	struct pci_wc_range res = *r, o;
	char what[PCI_WC_RANGE_TEXT_LEN], other[PCI_WC_RANGE_TEXT_LEN];
	char span[PCI_WC_RANGE_TEXT_LEN];
	uint64_t first, last, ex_first, ex_last;
	bool same = false;
	unsigned int i;

	res.length = pci_wc_range_resolve(r, bar->size);
	/* name the bytes meant; as written when they are none */
	pci_wc_range_format(res.length != 0 ? &res : r, what, sizeof(what));

	if (!page_size_valid(page_size)) {
		range_msg(msg, len, "%s: page size %zu is not a power of two",
			what, page_size);
		return -EINVAL;
	}
	if (r->bar > PCI_WC_RANGE_BAR_MAX) {
		range_msg(msg, len, "%s: no such BAR (0..%d)", what,
			PCI_WC_RANGE_BAR_MAX);
		return -EINVAL;
	}
	if (!bar->memory || bar->size == 0) {
		range_msg(msg, len, "%s: not a memory BAR", what);
		return -ENXIO;
	}
	if (!bar->prefetchable) {
		range_msg(msg, len,
			"%s: BAR not prefetchable: WC could change what the device sees",
			what);
		return -EPERM;
	}
	if (bar->memtype_per_page && bar->size < pg) {
		range_msg(msg, len,
			"%s: BAR of 0x%" PRIx64 " bytes is smaller than a page (%zu): the page's one memory type (x86 PAT) would cover what else it holds",
			what, bar->size, page_size);
		return -EOPNOTSUPP;
	}
	if (bar->memtype_per_page && bar->phys_addr % pg != 0) {
		range_msg(msg, len,
			"%s: BAR at 0x%" PRIx64 " is not page-aligned (%zu): a page's one memory type (x86 PAT) would cover what else it holds",
			what, bar->phys_addr, page_size);
		return -EOPNOTSUPP;
	}
	/* the one way to be empty: length 0 resolves to nothing only here */
	if (r->offset >= bar->size) {
		range_msg(msg, len,
			"%s: starts at or past the end of the BAR (size 0x%" PRIx64 ")",
			what, bar->size);
		return -EINVAL;
	}
	if (res.length > bar->size - r->offset) {
		range_msg(msg, len,
			"%s: ends past the end of the BAR (size 0x%" PRIx64 ")",
			what, bar->size);
		return -EINVAL;
	}
	if (bar->size < pg) {
		/* a sub-page BAR is mapped with its page: all of it or none */
		if (r->offset != 0 || res.length != bar->size) {
			range_msg(msg, len,
				"%s: BAR of 0x%" PRIx64 " bytes is smaller than a page (%zu): only the whole BAR (%u:0:0) can be WC",
				what, bar->size, page_size, r->bar);
			return -EINVAL;
		}
	} else if (r->offset % pg != 0 || res.length % pg != 0) {
		range_msg(msg, len, "%s: not page-aligned (page size %zu)",
			what, page_size);
		return -EINVAL;
	}

	/*
	 * A page has one attribute in a mapping: WC on any byte of an
	 * MSI-X page would be WC on the table's stores too.
	 */
	span_pages(res.offset, res.length, pg, &first, &last);
	for (i = 0; i < PCI_WC_RANGE_EXCLUDE_MAX; i++) {
		const uint64_t ex_off = bar->exclude[i].offset;
		const uint64_t ex_len = bar->exclude[i].length;

		if (ex_len == 0)
			continue;
		span_pages(ex_off, ex_len, pg, &ex_first, &ex_last);
		if (first > ex_last || ex_first > last)
			continue;
		span_format(ex_off, ex_len, other, sizeof(other));
		span_format(ex_first * pg, (ex_last - ex_first + 1) * pg, span,
			sizeof(span));
		range_msg(msg, len,
			"%s: touches MSI-X %s, whose pages %s stay uncached",
			what, other, span);
		return -EOPNOTSUPP;
	}

	for (i = 0; i < n_others; i++) {
		o = others[i];
		if (o.bar != r->bar)
			continue;
		o.length = pci_wc_range_resolve(&o, bar->size);
		if (o.length == 0)
			continue;	/* covers nothing of this BAR */
		if (o.offset == res.offset && o.length == res.length) {
			same = true;
			continue;
		}
		if (res.offset > span_last(o.offset, o.length) ||
				o.offset > res.offset + res.length - 1)
			continue;
		pci_wc_range_format(&o, other, sizeof(other));
		range_msg(msg, len, "%s: overlaps %s", what, other);
		return -EEXIST;
	}
	if (same) {
		range_msg(msg, len, "%s: already requested", what);
		return PCI_WC_RANGE_SAME;
	}
	range_msg(msg, len, "%s", "");
	return 0;
}
