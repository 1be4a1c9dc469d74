/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CSV output: one tidy table, one row per throughput configuration and
 * one per unaligned-sweep offset; columns that do not apply stay empty.
 * Every row carries the "emulated" flag so a row copied elsewhere still
 * says whether it came from an emulator.
 */
#include <stdbool.h>

#include "twc_report.h"

static const char twc_csv_header[] =
	"test,device,bar,mapping,path,pat,direction,method,size,width,"
	"dst_offset,lcores,samples,median_mbps,p10_mbps,p90_mbps,min_mbps,"
	"max_mbps,verified,attempts,faults,mismatches,fault_lengths,"
	"emulated,store,store_width,drained,tlp_ceiling\n";

int
twc_write_csv(const struct twc_report *r, FILE *f)
{
	const struct twc_ua_result *u;
	char ranges[1024];
	unsigned int off, len;
	unsigned long faults, bad;
	size_t i;
	int m, k;

	fputs(twc_csv_header, f);
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];
		/* The baseline is not a phase of the BAR: no path, no PAT. */
		bool bar = row->map < TWC_NMAPS;
		const struct twc_phase *p = bar ? &r->phases[row->map] : NULL;
		char ceil[16] = "";

		if (row->map == TWC_MAP_WC && row->dir == TWC_DIR_WRITE)
			snprintf(ceil, sizeof(ceil), "%.3f",
				 twc_tlp_ceiling(row->size));
		fprintf(f, "throughput,%s,%u,%s,%s,%s,%s,,%zu,%u,%u,%u,%u,%.3f,%.3f,%.3f,%.3f,%.3f,%s,,,,,%s,%s,%u,%s,%s\n",
			r->device, r->bar, twc_map_name(row->map),
			bar ? p->path : "write-back-memory", bar ? p->pat : "",
			twc_dir_name(row->dir), row->size, row->width,
			row->dst_offset, row->lcores, row->mbps.n,
			row->mbps.median, row->mbps.p10, row->mbps.p90,
			row->mbps.min, row->mbps.max,
			row->verified ? "true" : "false",
			r->emulated ? "true" : "false", row->store,
			row->store_width, row->drained ? "true" : "false", ceil);
	}
	for (m = 0; m < TWC_NMAPS; m++) {
		for (k = 0; k < TWC_NMETHODS; k++) {
			u = &r->ua[m][k];
			if (!u->done)
				continue;
			for (off = 0; off < u->offsets; off++) {
				faults = bad = 0;
				for (len = 0; len < u->lens; len++) {
					faults += (u->fault_map[off][len / 64] >> (len % 64)) & 1;
					bad += (u->bad_map[off][len / 64] >> (len % 64)) & 1;
				}
				twc_len_ranges(u->fault_map[off], u->lens,
					       ranges, sizeof(ranges));
				fprintf(f, "unaligned,%s,%u,%s,%s,%s,write,%s,,,%u,1,,,,,,,%s,%u,%lu,%lu,\"%s\",%s,,,,\n",
					r->device, r->bar, twc_map_name(m),
					r->phases[m].path, r->phases[m].pat,
					twc_method_name(k), off,
					bad == 0 ? "true" : "false", u->lens,
					faults, bad, ranges,
					r->emulated ? "true" : "false");
			}
		}
	}
	return ferror(f) ? -1 : 0;
}
