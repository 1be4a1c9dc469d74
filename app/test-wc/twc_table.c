/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human-readable report: what was mapped and how, then UC and WC
 * throughput side by side with their ratio, then the unaligned sweep.
 */
#include <string.h>

#include "twc_report.h"

/* Link, placement, governor, pinning, drain and UC read latency. */
static void
twc_table_host(const struct twc_report *r, FILE *f)
{
	const struct twc_link *l = &r->link;
	double wc = twc_link_payload_mbps(l, 64), uc = twc_link_payload_mbps(l, 8);

	if (l->available)
		fprintf(f, "link: %.1f GT/s x%u (max %.1f GT/s x%u)", l->gts,
			l->width, l->max_gts, l->max_width);
	else
		fprintf(f, "link: not available (%s)", l->reason);
	if (l->mps > 0)
		fprintf(f, ", MPS %d B", l->mps);
	else
		fprintf(f, ", MPS not available (%s)", l->mps_reason);
	fprintf(f, "; device NUMA node %d, lcore socket %d%s\n", l->numa_node,
		l->lcore_socket, l->numa_mismatch ? " (DIFFERENT: see note)" : "");
	fprintf(f, "TLP ceiling (%d B header + %d B framing per TLP): 64 B WC writes can reach %.2fx the rate of 8 B UC writes",
		TWC_TLP_HEADER, TWC_TLP_FRAMING, twc_tlp_ceiling(64));
	if (wc > 0)
		fprintf(f, "; on this link at most %.0f MB/s WC, %.0f MB/s UC payload",
			wc, uc);
	fputc('\n', f);
	fprintf(f, "host: CPU %u governor %s%s%s; pinning: %s\n",
		r->host.main_cpu,
		r->host.governor[0] ? r->host.governor : "not available",
		r->host.governor[0] ? "" : " - ", r->host.governor_reason,
		r->host.pinning[0] ? r->host.pinning : "unknown");
	if (r->uc_read.done)
		fprintf(f, "UC single-read latency (%u B loads, %u samples): median %.0f ns [p10 %.0f .. p90 %.0f]\n",
			r->uc_read.size, r->uc_read.ns.n, r->uc_read.ns.median,
			r->uc_read.ns.p10, r->uc_read.ns.p90);
	else
		fprintf(f, "UC single-read latency: not measured (no UC phase)\n");
	fprintf(f, "drain: %s\n", TWC_DRAIN_TEXT);
}

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
	twc_table_host(r, f);
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
	char sz[16], width[24] = "-";
	bool ok = (!uc || uc->verified) && (!wc || wc->verified);

	if (wc != NULL && wc->store[0] != '\0')
		snprintf(width, sizeof(width), "%s/%u", wc->store, wc->store_width);
	else if (uc != NULL && uc->store[0] != '\0')
		snprintf(width, sizeof(width), "%s/%u", uc->store, uc->store_width);
	fprintf(f, "%-5s %6s %4u %13s |", twc_dir_name(any->dir),
		twc_size_str(any->size, sz, sizeof(sz)), any->dst_offset,
		width);
	twc_table_cell(uc, f);
	twc_table_cell(wc, f);
	if (uc != NULL && wc != NULL && uc->mbps.median > 0)
		fprintf(f, " %7.2f |", wc->mbps.median / uc->mbps.median);
	else
		fprintf(f, " %7s |", "-");
	if (any->dir == TWC_DIR_WRITE)
		fprintf(f, " %7.2f |", twc_tlp_ceiling(any->size));
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
	fprintf(f, "\nthroughput in MB/s (10^6 B/s): median [p10..p90] of %u samples after %u warm-up, %u lcore(s), >= %zu B per sample, flush and drain read inside the clock\n",
		r->reps, r->warmup, r->lcores, r->batch);
	fprintf(f, "%-5s %6s %4s %13s |%-33s|%-33s| %7s | %7s | %s\n", "dir",
		"size", "dst+", "store/width", " UC MB/s median [p10..p90]", " WC MB/s median [p10..p90]", "WC/UC", "ceiling", "data");
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];

		if (row->map == TWC_MAP_WB)
			continue;
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

/* The write-back baseline, measured with the same loop. */
static void
twc_table_baseline(const struct twc_report *r, FILE *f)
{
	char sz[16];
	size_t i;
	bool any = false;

	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];

		if (row->map != TWC_MAP_WB)
			continue;
		if (!any)
			fprintf(f, "\nbaseline: ordinary write-back memory, same loop (copy, flush, drain read, verification), MB/s median [p10..p90]\n%-5s %6s %4s %13s | %s\n",
				"dir", "size", "dst+", "store/width", "WB MB/s");
		any = true;
		fprintf(f, "%-5s %6s %4u %9s/%-3u | %9.1f [%9.1f..%9.1f] %s\n",
			twc_dir_name(row->dir),
			twc_size_str(row->size, sz, sizeof(sz)), row->dst_offset,
			row->store, row->store_width, row->mbps.median,
			row->mbps.p10, row->mbps.p90,
			row->verified ? "ok" : "MISMATCH");
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
	twc_table_baseline(r, f);
	twc_table_unaligned(r, f);
	twc_head_table_end(&h, twc_report_all_verified(r) ?
		"every completed copy read back correctly" :
		"MISMATCH: some data read back wrong (see the rows above)",
		"mapping type, faults, data", f);
}
