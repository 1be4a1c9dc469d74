/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe CSV output: one row per placement, queue depth and direction (and
 * one per skipped placement, with its reason), counters as totals over
 * the run so per-command figures can be derived exactly. Every row
 * carries the "emulated" flag, as in the raw-BAR CSV.
 */
#include <inttypes.h>

#include "twc_nvme_report.h"

static const char twc_nvme_csv_header[] =
	"test,device,sq,data,queue_depth,op,blocks,bytes,commands,seconds,"
	"cmds_per_s,lat_p50_us,lat_p10_us,lat_p90_us,lat_p99_us,lat_min_us,"
	"lat_max_us,pmd_commands,sqe_stores,sqe_store_width,data_stores,"
	"prp_stores,doorbells,wc_flushes,op_mmio_stores,mmio_bytes,errors,"
	"timeouts,blocks_checked,blocks_bad,verified,skipped,emulated\n";

/* Free text in a CSV field: quoted, quotes doubled. */
static void
twc_csv_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int
twc_nvme_write_csv(const struct twc_nvme_report *r, FILE *f)
{
	size_t i;

	fputs(twc_nvme_csv_header, f);
	for (i = 0; i < r->nrows; i++) {
		const struct twc_nvme_row *row = &r->rows[i];

		fprintf(f, "nvme,%s,%s,%s,", r->device,
			twc_nvme_where_name(row->place.sq),
			twc_nvme_where_name(row->place.data));
		if (row->skipped) {
			fprintf(f, ",,%u,%u,,,,,,,,,,,,,,,,,,,,,,,false,",
				r->blocks, r->plan.op_bytes);
			twc_csv_text(f, row->why);
			fprintf(f, ",%s\n", r->emulated ? "true" : "false");
			continue;
		}
		fprintf(f, "%u,%s,%u,%u,%u,%.6f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,",
			row->depth, twc_nvme_op_name(row->op), r->blocks,
			row->bytes, row->commands, row->seconds,
			row->cmds_per_s, row->lat_us.median, row->lat_us.p10,
			row->lat_us.p90, row->lat_p99_us, row->lat_us.min,
			row->lat_us.max);
		fprintf(f, "%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s,,%s\n",
			row->x_commands, row->sqe_stores, row->sqe_width,
			row->data_stores, row->prp_stores, row->doorbells,
			row->flushes, row->op_mmio_stores, row->mmio_bytes,
			row->errors, row->timeouts, row->blocks_checked,
			row->blocks_bad, row->verified ? "true" : "false",
			r->emulated ? "true" : "false");
	}
	return ferror(f) ? -1 : 0;
}
