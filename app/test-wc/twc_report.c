/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "twc_report.h"
#include "twc_text.h"

void
twc_report_init(struct twc_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
twc_report_free(struct twc_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->rows_cap = 0;
}

int
twc_report_add_row(struct twc_report *r, const struct twc_tp_row *row)
{
	struct twc_tp_row *n = twc_rows_room(r->rows, r->nrows, &r->rows_cap,
			sizeof(*n), 64);

	if (n == NULL)
		return -1;
	r->rows = n;
	r->rows[r->nrows++] = *row;
	return 0;
}

void
twc_report_note(struct twc_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	twc_head_vnote(r->notes, &r->nnotes, fmt, ap);
	va_end(ap);
}

void *
twc_rows_room(void *rows, size_t nrows, size_t *cap, size_t elem,
		size_t first)
{
	size_t n;

	if (nrows < *cap)
		return rows;
	n = *cap ? *cap * 2 : first;
	rows = realloc(rows, n * elem);
	if (rows != NULL)
		*cap = n;
	return rows;
}

const struct twc_tp_row *
twc_report_uc_peer(const struct twc_report *r, const struct twc_tp_row *w)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *u = &r->rows[i];

		if (u->map == TWC_MAP_UC && u->dir == w->dir &&
		    u->size == w->size && u->dst_offset == w->dst_offset &&
		    u->lcores == w->lcores)
			return u;
	}
	return NULL;
}

bool
twc_report_all_verified(const struct twc_report *r)
{
	size_t i;
	int m, k;

	for (i = 0; i < r->nrows; i++)
		if (!r->rows[i].verified)
			return false;
	for (m = 0; m < TWC_NMAPS; m++)
		for (k = 0; k < TWC_NMETHODS; k++)
			if (r->ua[m][k].mismatches != 0)
				return false;
	return true;
}

/* "SIGBUS", "SIGSEGV" or both, for a count of each. */
static const char *
twc_signals(unsigned long sigbus, unsigned long sigsegv)
{
	if (sigbus != 0 && sigsegv != 0)
		return "SIGBUS and SIGSEGV";
	return sigsegv != 0 ? "SIGSEGV" : "SIGBUS";
}

int
twc_report_verdict(const struct twc_report *r, char *msg, size_t len)
{
	const struct twc_ua_result *u;
	int m, k;

	for (m = 0; m < TWC_NMAPS; m++) {
		u = &r->ua[m][TWC_METHOD_WC_MMIO];
		if (u->faults == 0)
			continue;
		snprintf(msg, len, "wc_mmio_copy_to faulted in %lu of %lu attempts on the %s mapping (%s): the library's copy must never fault; see the unaligned table",
			 u->faults, u->attempts,
			 m == TWC_MAP_WC ? "WC" : "UC",
			 twc_signals(u->sigbus, u->sigsegv));
		return 1;
	}
	for (m = 0; m < TWC_NMAPS; m++) {
		unsigned long n = 0, bus = 0, segv = 0;

		for (k = 0; k < TWC_NMETHODS; k++) {
			n += r->ua[m][k].own_faults;
			bus += r->ua[m][k].own_sigbus;
			segv += r->ua[m][k].own_sigsegv;
		}
		if (n == 0)
			continue;
		snprintf(msg, len, "the wc_mmio library faulted %lu times restoring or reading back the %s mapping in the unaligned sweep (%s): it must never fault",
			 n, m == TWC_MAP_WC ? "WC" : "UC",
			 twc_signals(bus, segv));
		return 1;
	}
	if (!twc_report_all_verified(r)) {
		snprintf(msg, len, "data read back wrong: see the table");
		return 1;
	}
	msg[0] = '\0';
	return 0;
}

const char *
twc_map_name(enum twc_map m)
{
	return m == TWC_MAP_WB ? "wb" : m == TWC_MAP_WC ? "wc" : "uc";
}

double
twc_tlp_efficiency(unsigned int payload)
{
	return (double)payload /
		(payload + TWC_TLP_HEADER + TWC_TLP_FRAMING);
}

double
twc_tlp_ceiling(size_t size)
{
	/*
	 * WC: at most 64-byte TLPs (one line); UC: at most 8-byte ones, each
	 * uncached store being its own TLP. Smaller copies fill less.
	 */
	unsigned int wc = size < 64 ? (unsigned int)size : 64;
	unsigned int uc = size < 8 ? (unsigned int)size : 8;

	if (size == 0)
		return 0;
	return twc_tlp_efficiency(wc) / twc_tlp_efficiency(uc);
}

double
twc_link_payload_mbps(const struct twc_link *l, unsigned int payload)
{
	double enc;

	if (!l->available || l->gts <= 0 || l->width == 0)
		return 0;
	/* 8b/10b up to 5 GT/s, 128b/130b from 8 GT/s (64 GT/s FLITs aside). */
	enc = l->gts <= 5.0 ? 0.8 : 128.0 / 130.0;
	/* GT/s per lane x lanes x encoding / 8 bits = 10^9 B/s; in MB/s. */
	return l->gts * l->width * enc / 8.0 * 1e3 *
		twc_tlp_efficiency(payload);
}

const char *
twc_dir_name(enum twc_dir d)
{
	return d == TWC_DIR_READ ? "read" : "write";
}

const char *
twc_method_name(enum twc_method m)
{
	return m == TWC_METHOD_WC_MMIO ? "wc_mmio" : "memcpy";
}

static bool
twc_bit(const uint64_t map[TWC_UA_WORDS], unsigned int i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

char *
twc_len_ranges(const uint64_t map[TWC_UA_WORDS], unsigned int lens,
		char *buf, size_t len)
{
	unsigned int i, start;
	size_t used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < lens; i++) {
		if (!twc_bit(map, i))
			continue;
		start = i;
		while (i + 1 < lens && twc_bit(map, i + 1))
			i++;
		/* Bit k stands for length k + 1. */
		if (start == i)
			n = snprintf(buf + used, len - used, "%s%u",
				     used ? "," : "", start + 1);
		else
			n = snprintf(buf + used, len - used, "%s%u-%u",
				     used ? "," : "", start + 1, i + 1);
		if (n < 0 || (size_t)n >= len - used) {
			/* Truncated: say so rather than mislead. */
			if (len > 4)
				strcpy(buf + len - 4, "...");
			break;
		}
		used += n;
	}
	return buf;
}

char *
twc_size_str(size_t size, char *buf, size_t len)
{
	if (size >= (1u << 30) && size % (1u << 30) == 0)
		snprintf(buf, len, "%zuG", size >> 30);
	else if (size >= (1u << 20) && size % (1u << 20) == 0)
		snprintf(buf, len, "%zuM", size >> 20);
	else if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, len, "%zuK", size >> 10);
	else
		snprintf(buf, len, "%zu", size);
	return buf;
}

int
twc_write_file(const struct twc_report *r, const char *path,
		int (*writer)(const struct twc_report *, FILE *))
{
	FILE *f = twc_out_open(path);

	if (f == NULL)
		return -1;
	return twc_out_close(f, path, writer(r, f));
}
