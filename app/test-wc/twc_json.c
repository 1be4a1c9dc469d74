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
	fprintf(f, "  \"settings\": {\"reps\": %u, \"warmup\": %u, \"batch\": %zu, \"lcores\": %u, \"throughput_unit\": \"MB/s (10^6 bytes per second)\"",
		r->reps, r->warmup, r->batch, r->lcores);
	twc_json_field(f, ", \"drain\": ", TWC_DRAIN_TEXT);
	twc_json_field(f, ", \"verification\": ",
		       "the slots the last timed sample wrote are cleared before it and read back after it; each row has its own source pattern");
	fputs("},\n", f);
	twc_head_json_mappings(&h, f);
}

/* A number, or null when unknown (v <= 0). */
static void
twc_json_num(FILE *f, const char *before, double v)
{
	if (v > 0)
		fprintf(f, "%s%.3f", before, v);
	else
		fprintf(f, "%snull", before);
}

static void
twc_json_host(const struct twc_report *r, FILE *f)
{
	const struct twc_link *l = &r->link;
	const struct twc_host *h = &r->host;
	const struct twc_latency *u = &r->uc_read;

	fprintf(f, "  \"host\": {\"cpu\": %u", h->main_cpu);
	twc_json_field(f, ", \"governor\": ",
		       h->governor[0] ? h->governor : "not available");
	twc_json_field(f, ", \"governor_reason\": ", h->governor_reason);
	twc_json_field(f, ", \"pinning\": ", h->pinning);
	fputs("},\n", f);

	fprintf(f, "  \"link\": {\"available\": %s", twc_bool(l->available));
	if (l->available)
		fprintf(f, ", \"speed_gts\": %.1f, \"width\": %u",
			l->gts, l->width);
	else
		fputs(", \"speed_gts\": \"not available\", \"width\": \"not available\"", f);
	twc_json_field(f, ", \"reason\": ", l->reason);
	twc_json_field(f, ", \"speed\": ", l->speed_str);
	twc_json_num(f, ", \"max_speed_gts\": ", l->max_gts);
	fprintf(f, ", \"max_width\": %u", l->max_width);
	if (l->mps > 0)
		fprintf(f, ", \"mps\": %d", l->mps);
	else
		fputs(", \"mps\": \"not available\"", f);
	twc_json_field(f, ", \"mps_reason\": ", l->mps_reason);
	fprintf(f, ", \"numa_node\": %d, \"lcore_socket\": %d, \"numa_mismatch\": %s",
		l->numa_node, l->lcore_socket, twc_bool(l->numa_mismatch));
	fprintf(f, ", \"tlp_header_bytes\": %d, \"tlp_framing_bytes\": %d, \"tlp_ceiling_wc64_over_uc8\": %.3f",
		TWC_TLP_HEADER, TWC_TLP_FRAMING, twc_tlp_ceiling(64));
	twc_json_num(f, ", \"wc64_ceiling_mbps\": ", twc_link_payload_mbps(l, 64));
	twc_json_num(f, ", \"uc8_ceiling_mbps\": ", twc_link_payload_mbps(l, 8));
	fputs("},\n", f);

	fprintf(f, "  \"uc_read_latency_ns\": {\"measured\": %s", twc_bool(u->done));
	if (u->done)
		fprintf(f, ", \"size\": %u, \"samples\": %u, \"median\": %.1f, \"p10\": %.1f, \"p90\": %.1f, \"min\": %.1f, \"max\": %.1f",
			u->size, u->ns.n, u->ns.median, u->ns.p10, u->ns.p90,
			u->ns.min, u->ns.max);
	fputs("},\n", f);
	fprintf(f, "  \"baseline\": {\"mapping\": \"wb\", \"memory\": \"ordinary write-back memory of the process, same loop, drain and verification\", \"window\": %zu},\n",
		r->wb_window);
}

static void
twc_json_throughput(const struct twc_report *r, FILE *f)
{
	size_t i;

	fputs("  \"throughput\": [", f);
	for (i = 0; i < r->nrows; i++) {
		const struct twc_tp_row *row = &r->rows[i];
		const struct twc_tp_row *uc = row->map == TWC_MAP_WC ?
			twc_report_uc_peer(r, row) : NULL;

		fprintf(f, "%s\n    {\"mapping\": \"%s\", \"direction\": \"%s\", \"size\": %zu, \"width\": %u, \"dst_offset\": %u, \"lcores\": %u, \"samples\": %u, \"median_mbps\": %.3f, \"p10_mbps\": %.3f, \"p90_mbps\": %.3f, \"min_mbps\": %.3f, \"max_mbps\": %.3f, \"verified\": %s, \"store\": \"%s\", \"store_width\": %u, \"drained\": %s",
			i ? "," : "", twc_map_name(row->map),
			twc_dir_name(row->dir), row->size, row->width,
			row->dst_offset, row->lcores, row->mbps.n,
			row->mbps.median, row->mbps.p10, row->mbps.p90,
			row->mbps.min, row->mbps.max,
			twc_bool(row->verified), row->store, row->store_width,
			twc_bool(row->drained));
		if (row->map == TWC_MAP_WC && row->dir == TWC_DIR_WRITE) {
			twc_json_num(f, ", \"wc_over_uc\": ",
				     uc != NULL && uc->mbps.median > 0 ?
				     row->mbps.median / uc->mbps.median : 0);
			fprintf(f, ", \"tlp_ceiling\": %.3f",
				twc_tlp_ceiling(row->size));
		}
		fputc('}', f);
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
	twc_json_host(r, f);
	twc_json_throughput(r, f);
	twc_json_unaligned(r, f);
	fprintf(f, "  \"data_verified\": %s\n}\n",
		twc_bool(twc_report_all_verified(r)));
	return ferror(f) ? -1 : 0;
}
