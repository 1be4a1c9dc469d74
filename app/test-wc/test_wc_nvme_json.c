/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe JSON output. As in the raw-BAR JSON, each element of the "nvme"
 * array is one line with its keys in a fixed order, placement first, so
 * the guest rig's busybox scripts can pick a row with grep and a value
 * with sed; counters are totals over the run (integers).
 */
#include <inttypes.h>

#include "test_wc_nvme_report.h"
#include "test_wc_text.h"

static void
twc_nvme_json_meta(const struct twc_nvme_report *r, FILE *f)
{
	unsigned int i;

	fputs("  \"tool\": \"dpdk-test-wc\",\n  \"mode\": \"nvme\",\n  \"environment\": {\"description\": ", f);
	twc_json_str(f, r->environment);
	fprintf(f, ", \"emulated\": %s, \"hardware_numbers\": %s, \"label\": ",
		twc_bool(r->emulated), twc_bool(!r->emulated));
	twc_json_str(f, r->label);
	fputs(", \"arch\": ", f);
	twc_json_str(f, r->arch);
	fprintf(f, ", \"max_store_width\": %u, \"cpu_features\": ",
		r->max_width);
	twc_json_str(f, r->cpu_features);
	fputs("},\n  \"device\": {\"pci\": ", f);
	twc_json_str(f, r->device);
	fputs(", \"id\": ", f);
	twc_json_str(f, r->pci_id);
	fputs(", \"model\": ", f);
	twc_json_str(f, r->model);
	fputs(", \"serial\": ", f);
	twc_json_str(f, r->serial);
	fprintf(f, ", \"nvme_version\": \"%u.%u\", \"nsid\": %u, \"lba_size\": %u, \"nb_lbas\": %" PRIu64 ", \"max_xfer\": %u, \"page_size\": %u, \"cmb_size\": %" PRIu64 ", \"cmb_bar\": %u, \"cmb_sqs\": %s, \"cmb_data\": %s},\n",
		r->version_major, r->version_minor, r->nsid, r->lba_size,
		r->nb_lbas, r->max_xfer, r->page_size, r->cmb_size, r->cmb_bar,
		twc_bool(r->caps.sqs), twc_bool(r->caps.data));
	fprintf(f, "  \"settings\": {\"ops\": %u, \"blocks\": %u, \"bytes\": %u, \"queue_depths\": [",
		r->ops, r->blocks, r->plan.op_bytes);
	for (i = 0; i < r->ndepths; i++)
		fprintf(f, "%s%u", i ? ", " : "", r->depths[i]);
	fprintf(f, "], \"overwritten_first_lba\": 0, \"overwritten_blocks\": %" PRIu64 ", \"latency_unit\": \"microseconds\"},\n",
		r->plan.region_blocks);
}

static void
twc_nvme_json_phases(const struct twc_nvme_report *r, FILE *f)
{
	bool first = true;
	unsigned int i;
	int m;

	fputs("  \"mappings\": [", f);
	for (m = 0; m < TWC_NMAPS; m++) {
		const struct twc_phase *p = &r->phases[m];

		if (!p->done)
			continue;
		fprintf(f, "%s\n    {\"mapping\": \"%s\", \"path\": ",
			first ? "" : ",", twc_map_name(m));
		twc_json_str(f, p->path);
		fputs(", \"pat\": ", f);
		twc_json_str(f, p->pat);
		fputs(", \"reason\": ", f);
		twc_json_str(f, p->reason);
		fputc('}', f);
		first = false;
	}
	fputs(first ? "],\n" : "\n  ],\n", f);
	fputs("  \"notes\": [", f);
	for (i = 0; i < r->nnotes; i++) {
		fputs(i ? ", " : "", f);
		twc_json_str(f, r->notes[i]);
	}
	fputs("],\n", f);
}

static void
twc_nvme_json_row(const struct twc_nvme_row *row, FILE *f)
{
	fprintf(f, "{\"sq\": \"%s\", \"data\": \"%s\", ",
		twc_nvme_where_name(row->place.sq),
		twc_nvme_where_name(row->place.data));
	if (row->skipped) {
		fputs("\"skipped\": true, \"why\": ", f);
		twc_json_str(f, row->why);
		fputs(", \"verified\": false}", f);
		return;
	}
	fprintf(f, "\"queue_depth\": %u, \"op\": \"%s\", \"skipped\": false, \"bytes\": %u, \"commands\": %u, \"seconds\": %.6f, \"cmds_per_s\": %.1f, \"lat_p50_us\": %.3f, \"lat_p10_us\": %.3f, \"lat_p90_us\": %.3f, \"lat_p99_us\": %.3f, \"lat_min_us\": %.3f, \"lat_max_us\": %.3f, ",
		row->depth, twc_nvme_op_name(row->op), row->bytes,
		row->commands, row->seconds, row->cmds_per_s,
		row->lat_us.median, row->lat_us.p10, row->lat_us.p90,
		row->lat_p99_us, row->lat_us.min, row->lat_us.max);
	fprintf(f, "\"pmd_commands\": %" PRIu64 ", \"sqe_stores\": %" PRIu64 ", \"sqe_store_width\": %u, \"data_stores\": %" PRIu64 ", \"prp_stores\": %" PRIu64 ", \"doorbells\": %" PRIu64 ", \"wc_flushes\": %" PRIu64 ", \"op_mmio_stores\": %" PRIu64 ", \"mmio_bytes\": %" PRIu64 ", \"errors\": %" PRIu64 ", \"timeouts\": %" PRIu64 ", \"blocks_checked\": %" PRIu64 ", \"blocks_bad\": %" PRIu64 ", ",
		row->x_commands, row->sqe_stores, row->sqe_width,
		row->data_stores, row->prp_stores, row->doorbells,
		row->flushes, row->op_mmio_stores, row->mmio_bytes,
		row->errors, row->timeouts, row->blocks_checked,
		row->blocks_bad);
	fputs("\"why\": ", f);
	twc_json_str(f, row->why);
	fprintf(f, ", \"verified\": %s}", twc_bool(row->verified));
}

int
twc_nvme_write_json(const struct twc_nvme_report *r, FILE *f)
{
	size_t i;

	fputs("{\n", f);
	twc_nvme_json_meta(r, f);
	twc_nvme_json_phases(r, f);
	fputs("  \"nvme\": [", f);
	for (i = 0; i < r->nrows; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		twc_nvme_json_row(&r->rows[i], f);
	}
	fputs(r->nrows ? "\n  ],\n" : "],\n", f);
	fprintf(f, "  \"data_verified\": %s\n}\n",
		twc_bool(twc_nvme_report_all_verified(r)));
	return ferror(f) ? -1 : 0;
}
