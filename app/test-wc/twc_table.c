/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human-readable report: what was mapped and how, then UC and WC
 * throughput side by side with their ratio, then the unaligned sweep.
 */
#include <string.h>

#include "twc_report.h"

static void
twc_table_header(const struct twc_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);
	char sz[16], win[16];

	fprintf(f, "device %s (%s) BAR%u: %s %sprefetchable at 0x%llx; window %s at offset 0x%llx\n",
		r->device, r->pci_id, r->bar,
		twc_size_str(r->bar_size, sz, sizeof(sz)),
		r->prefetchable ? "" : "non-",
		(unsigned long long)r->bar_phys,
		twc_size_str(r->window, win, sizeof(win)),
		(unsigned long long)r->offset);
	twc_head_table(&h, "mapping", f);
}

static void
twc_table_cell(const struct twc_tp_row *row, FILE *f)
{
	if (row == NULL)
		fprintf(f, " %9s %-22s |", "-", "");
	else
		fprintf(f, " %9.1f [%9.1f..%9.1f] |", row->mbps.median,
			row->mbps.p10, row->mbps.p90);
}

static void
twc_table_line(const struct twc_tp_row *uc, const struct twc_tp_row *wc,
		FILE *f)
{
	const struct twc_tp_row *any = uc ? uc : wc;
	char sz[16], width[12] = "-";
	bool ok = (!uc || uc->verified) && (!wc || wc->verified);

	if (wc != NULL && wc->width != 0)
		snprintf(width, sizeof(width), "%u", wc->width);
	fprintf(f, "%-5s %6s %4u %5s |", twc_dir_name(any->dir),
		twc_size_str(any->size, sz, sizeof(sz)), any->dst_offset,
		width);
	twc_table_cell(uc, f);
	twc_table_cell(wc, f);
	if (uc != NULL && wc != NULL && uc->mbps.median > 0)
		fprintf(f, " %7.2f |", wc->mbps.median / uc->mbps.median);
	else
		fprintf(f, " %7s |", "-");
	fprintf(f, " %s\n", ok ? "ok" : "MISMATCH");
}

static void
twc_table_throughput(const struct twc_report *r, FILE *f)
{
	size_t i, j;
	bool paired;

	if (r->nrows == 0)
		return;
	fprintf(f, "\nthroughput in MB/s (10^6 B/s): median [p10..p90] of %u samples after %u warm-up, %u lcore(s), >= %zu B per sample, flush inside the clock\n",
		r->reps, r->warmup, r->lcores, r->batch);
	fprintf(f, "%-5s %6s %4s %5s |%-33s|%-33s| %7s | %s\n", "dir",
		"size", "dst+", "width", " UC MB/s median [p10..p90]", " WC MB/s median [p10..p90]", "WC/UC", "data");
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];

		if (row->map == TWC_MAP_WC) {
			/* Printed beside its UC peer, or alone without one. */
			if (twc_report_uc_peer(r, row) == NULL)
				twc_table_line(NULL, row, f);
			continue;
		}
		paired = false;
		for (j = 0; j < r->nrows; j++) {
			const struct twc_tp_row *w = &r->rows[j];

			if (w->map == TWC_MAP_WC &&
			    twc_report_uc_peer(r, w) == row) {
				twc_table_line(row, w, f);
				paired = true;
			}
		}
		if (!paired)
			twc_table_line(row, NULL, f);
	}
}

static void
twc_table_unaligned(const struct twc_report *r, FILE *f)
{
	const struct twc_ua_result *u;
	char ranges[160];
	unsigned int off, shown;
	bool any = false;
	int m, k;

	for (m = 0; m < TWC_NMAPS; m++) {
		for (k = 0; k < TWC_NMETHODS; k++) {
			u = &r->ua[m][k];
			if (!u->done)
				continue;
			if (!any)
				fprintf(f, "\nunaligned sweep: destination offsets 0..%u x lengths 1..%u per mapping and method\n%-7s %-8s %9s %9s %7s %7s %9s %10s\n",
					u->offsets - 1, u->lens, "mapping",
					"method", "attempts", "faults",
					"SIGBUS", "SIGSEGV", "verified",
					"mismatches");
			any = true;
			fprintf(f, "%-7s %-8s %9lu %9lu %7lu %7lu %9lu %10lu\n",
				twc_map_name(m), twc_method_name(k),
				u->attempts, u->faults, u->sigbus, u->sigsegv,
				u->verified, u->mismatches);
		}
	}
	/* Where the faults were, a few offsets per combination. */
	for (m = 0; m < TWC_NMAPS; m++) {
		for (k = 0; k < TWC_NMETHODS; k++) {
			u = &r->ua[m][k];
			if (!u->done || u->faults == 0)
				continue;
			fprintf(f, "faulting lengths (%s, %s), by destination offset:\n",
				twc_map_name(m), twc_method_name(k));
			for (off = 0, shown = 0; off < u->offsets && shown < 8;
			     off++) {
				twc_len_ranges(u->fault_map[off], u->lens,
					       ranges, sizeof(ranges));
				if (ranges[0] == '\0')
					continue;
				fprintf(f, "  +%-2u %s\n", off, ranges);
				shown++;
			}
		}
	}
}

void
twc_write_table(const struct twc_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);

	twc_table_header(r, f);
	twc_table_throughput(r, f);
	twc_table_unaligned(r, f);
	twc_head_table_end(&h, twc_report_all_verified(r) ?
		"every completed copy read back correctly" :
		"MISMATCH: some data read back wrong (see the rows above)",
		"mapping type, faults, data", f);
}
