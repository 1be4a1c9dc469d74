/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe JSON output. As in the raw-BAR JSON, each element of the "nvme"
 * array is one line with its keys in a fixed order, placement first, so
 * the guest rig's busybox scripts can pick a row with grep and a value
 * with sed; counters are totals over the run (integers).
 */
#include <inttypes.h>

#include "twc_nvme_report.h"
#include "twc_text.h"

static void
twc_nvme_json_meta(const struct twc_nvme_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);
	unsigned int i;

	twc_head_json(&h, "nvme", f);
	twc_json_field(f, ", \"model\": ", r->model);
	twc_json_field(f, ", \"serial\": ", r->serial);
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
	twc_head_json_mappings(&h, f);
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
