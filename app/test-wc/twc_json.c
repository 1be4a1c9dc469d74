/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON output. Each element of the "throughput" and "unaligned" arrays is
 * written on one line with keys in a fixed order, so shell scripts (the
 * guest rig's busybox has no JSON parser) can pick values with grep/sed,
 * while any JSON parser reads the file as usual.
 */
#include <inttypes.h>

#include "twc_report.h"
#include "twc_text.h"

static void
twc_json_meta(const struct twc_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);

	twc_head_json(&h, NULL, f);
	fprintf(f, ", \"bar\": %u, \"size\": %" PRIu64 ", \"phys\": \"0x%" PRIx64 "\", \"prefetchable\": %s, \"offset\": %" PRIu64 ", \"window\": %zu},\n",
		r->bar, r->bar_size, r->bar_phys, twc_bool(r->prefetchable),
		r->offset, r->window);
	fprintf(f, "  \"settings\": {\"reps\": %u, \"warmup\": %u, \"batch\": %zu, \"lcores\": %u, \"throughput_unit\": \"MB/s (10^6 bytes per second)\"},\n",
		r->reps, r->warmup, r->batch, r->lcores);
	twc_head_json_mappings(&h, f);
}

static void
twc_json_throughput(const struct twc_report *r, FILE *f)
{
	size_t i;

	fputs("  \"throughput\": [", f);
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];

		fprintf(f, "%s\n    {\"mapping\": \"%s\", \"direction\": \"%s\", \"size\": %zu, \"width\": %u, \"dst_offset\": %u, \"lcores\": %u, \"samples\": %u, \"median_mbps\": %.3f, \"p10_mbps\": %.3f, \"p90_mbps\": %.3f, \"min_mbps\": %.3f, \"max_mbps\": %.3f, \"verified\": %s}",
			i ? "," : "", twc_map_name(row->map),
			twc_dir_name(row->dir), row->size, row->width,
			row->dst_offset, row->lcores, row->mbps.n,
			row->mbps.median, row->mbps.p10, row->mbps.p90,
			row->mbps.min, row->mbps.max,
			twc_bool(row->verified));
	}
	fputs(r->nrows ? "\n  ],\n" : "],\n", f);
}

static void
twc_json_unaligned(const struct twc_report *r, FILE *f)
{
	const struct twc_ua_result *u;
	bool first = true;
	unsigned int off, w;
	int m, k;

	fputs("  \"unaligned\": [", f);
	for (m = 0; m < TWC_NMAPS; m++) {
		for (k = 0; k < TWC_NMETHODS; k++) {
			u = &r->ua[m][k];
			if (!u->done)
				continue;
			fprintf(f, "%s\n    {\"mapping\": \"%s\", \"method\": \"%s\", \"offsets\": %u, \"lengths\": %u, \"attempts\": %lu, \"faults\": %lu, \"sigbus\": %lu, \"sigsegv\": %lu, \"verified\": %lu, \"mismatches\": %lu, \"fault_map\": [",
				first ? "" : ",", twc_map_name(m),
				twc_method_name(k), u->offsets, u->lens,
				u->attempts, u->faults, u->sigbus, u->sigsegv,
				u->verified, u->mismatches);
			/*
			 * One hex string per offset; bit (len - 1), counted
			 * from the right end, set where that length faulted.
			 */
			for (off = 0; off < u->offsets; off++) {
				fputs(off ? ", \"" : "\"", f);
				for (w = TWC_UA_WORDS; w-- > 0; )
					fprintf(f, "%016" PRIx64,
						u->fault_map[off][w]);
				fputc('"', f);
			}
			fputs("]}", f);
			first = false;
		}
	}
	fputs(first ? "],\n" : "\n  ],\n", f);
}

int
twc_write_json(const struct twc_report *r, FILE *f)
{
	fputs("{\n", f);
	twc_json_meta(r, f);
	twc_json_throughput(r, f);
	twc_json_unaligned(r, f);
	fprintf(f, "  \"data_verified\": %s\n}\n",
		twc_bool(twc_report_all_verified(r)));
	return ferror(f) ? -1 : 0;
}
