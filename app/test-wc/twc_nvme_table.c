/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human-readable NVMe report: the controller, what was overwritten
 * and how the CMB BAR was mapped, then one line per placement, queue depth
 * and direction with its rate, latency and MMIO traffic per command.
 */
#include <inttypes.h>

#include "twc_nvme_report.h"

static void
twc_nvme_table_header(const struct twc_nvme_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);
	char sz[16];

	fprintf(f, "NVMe device %s (%s) '%s' serial '%s', NVMe %u.%u\n",
		r->device, r->pci_id, r->model, r->serial, r->version_major,
		r->version_minor);
	fprintf(f, "namespace %u: %" PRIu64 " blocks of %u B; at most %u B per command; controller page %u B\n",
		r->nsid, r->nb_lbas, r->lba_size, r->max_xfer, r->page_size);
	if (r->caps.present)
		fprintf(f, "CMB: %s in BAR%u; holds submission queues: %s, data: %s\n",
			twc_size_str(r->cmb_size, sz, sizeof(sz)), r->cmb_bar,
			r->caps.sqs ? "yes" : "no", r->caps.data ? "yes" : "no");
	else
		fprintf(f, "CMB: none (host memory placements only)\n");
	fprintf(f, "commands: %u writes, then %u reads of the same blocks, per placement and queue depth; %u block(s) (%u B) each\n",
		r->ops, r->ops, r->blocks, r->plan.op_bytes);
	if (r->plan.region_blocks != 0)
		fprintf(f, "overwritten: LBAs 0..%" PRIu64 " of namespace %u (%" PRIu64 " blocks)\n",
			r->plan.region_blocks - 1, r->nsid,
			r->plan.region_blocks);
	twc_head_table(&h, "CMB BAR", f);
}

static void
twc_nvme_table_row(const struct twc_nvme_row *row, FILE *f)
{
	char qd[12] = "-", width[12] = "-";

	if (row->depth != 0)
		snprintf(qd, sizeof(qd), "%u", row->depth);
	fprintf(f, "%-6s %-6s %4s %-5s |", twc_nvme_where_name(row->place.sq),
		twc_nvme_where_name(row->place.data), qd,
		row->skipped ? "-" : twc_nvme_op_name(row->op));
	/* Skipped, or failed before its first command (no queue depth). */
	if (row->skipped || row->depth == 0) {
		fprintf(f, " %s: %s\n", row->skipped ? "skipped" : "FAILED",
			row->why);
		return;
	}
	if (row->sqe_width != 0)
		snprintf(width, sizeof(width), "%u", row->sqe_width);
	fprintf(f, " %9.1f %8.1f %8.1f |", row->cmds_per_s,
		row->lat_us.median, row->lat_p99_us);
	fprintf(f, " %5.2f %4s %6.2f %5.2f %5.2f %6.2f |",
		twc_nvme_per_cmd(row, row->sqe_stores), width,
		twc_nvme_per_cmd(row, row->data_stores),
		twc_nvme_per_cmd(row, row->prp_stores),
		twc_nvme_per_cmd(row, row->doorbells),
		twc_nvme_per_cmd(row, row->op_mmio_stores));
	fprintf(f, " %7.1f |", twc_nvme_per_cmd(row, row->mmio_bytes));
	if (row->verified)
		fprintf(f, " ok\n");
	else if (row->why[0] != '\0')
		fprintf(f, " FAILED: %s\n", row->why);
	else if (row->errors != 0)
		fprintf(f, " ERRORS: %" PRIu64 " of %u commands failed\n",
			row->errors, row->commands);
	else
		fprintf(f, " MISMATCH: %" PRIu64 " of %" PRIu64 " blocks read back wrong\n",
			row->blocks_bad, row->blocks_checked);
}

void
twc_nvme_write_table(const struct twc_nvme_report *r, FILE *f)
{
	const struct twc_head h = TWC_HEAD_OF(r);
	size_t i;

	twc_nvme_table_header(r, f);
	fprintf(f, "\nper placement, queue depth and direction: commands per second; latency from submission to completion (us);\n"
		"MMIO stores per command: sqe for the 64-byte entry, B/st bytes per entry store, data, prp, dbell SQ doorbells,\n"
		"total the PMD's per-op count (one doorbell per op); MMIO bytes per command into the CMB and doorbells\n");
	fprintf(f, "%-6s %-6s %4s %-5s | %9s %8s %8s | %5s %4s %6s %5s %5s %6s | %7s | %s\n",
		"sq", "data", "qd", "op", "cmd/s", "p50 us", "p99 us", "sqe",
		"B/st", "data", "prp", "dbell", "total", "B/cmd", "data");
	for (i = 0; i < r->nrows; i++)
		twc_nvme_table_row(&r->rows[i], f);
	twc_head_table_end(&h, twc_nvme_report_all_verified(r) ?
		"every block written was read back and matched" :
		"NOT VERIFIED: see the rows above",
		"placements, MMIO stores per command, data", f);
}
