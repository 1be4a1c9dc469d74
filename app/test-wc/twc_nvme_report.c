/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "twc_nvme_report.h"
#include "twc_text.h"

/*
 * Host memory first (the baseline, needs no CMB), then what the CMB can
 * hold mapped UC, then the same mapped WC: the UC mapping has to come
 * first, since on x86 a BAR once mapped WC stays WC until the device is
 * closed.
 */
const struct twc_nvme_placement twc_nvme_placements[TWC_NVME_NPLACEMENTS] = {
	{ TWC_NVME_HOST, TWC_NVME_HOST },
	{ TWC_NVME_CMB_UC, TWC_NVME_HOST },
	{ TWC_NVME_HOST, TWC_NVME_CMB_UC },
	{ TWC_NVME_CMB_UC, TWC_NVME_CMB_UC },
	{ TWC_NVME_CMB_WC, TWC_NVME_HOST },
	{ TWC_NVME_HOST, TWC_NVME_CMB_WC },
	{ TWC_NVME_CMB_WC, TWC_NVME_CMB_WC },
};

const char *
twc_nvme_placement_unfit(const struct twc_nvme_placement *p,
		const struct twc_nvme_cmb_caps *caps)
{
	bool sq_cmb = p->sq != TWC_NVME_HOST;
	bool data_cmb = p->data != TWC_NVME_HOST;

	if ((sq_cmb || data_cmb) && !caps->present)
		return "the controller has no CMB";
	if (sq_cmb && !caps->sqs)
		return "the CMB holds no submission queues (CMBSZ.SQS=0)";
	if (data_cmb && !caps->data)
		return "the CMB holds no read and write data (CMBSZ.WDS/RDS)";
	return NULL;
}

int
twc_nvme_plan(uint32_t lba_size, uint64_t nb_lbas, uint32_t max_xfer,
		unsigned int blocks, unsigned int ops, unsigned int max_depth,
		struct twc_nvme_plan *plan, char *err, size_t errlen)
{
	uint64_t bytes = (uint64_t)blocks * lba_size, slots;
	unsigned int in_flight = ops < max_depth ? ops : max_depth;

	memset(plan, 0, sizeof(*plan));
	if (lba_size == 0 || blocks == 0 || bytes > max_xfer) {
		snprintf(err, errlen,
			 "--nvme-blocks %u: %" PRIu64 " bytes per command, this controller moves at most %u (%u blocks of %u bytes)",
			 blocks, bytes, max_xfer,
			 lba_size ? max_xfer / lba_size : 0, lba_size);
		return -1;
	}
	/* A few MiB: enough slots that commands rarely meet their own LBAs. */
	slots = TWC_NVME_REGION_BYTES / bytes;
	if (slots < max_depth)
		slots = max_depth;
	if (slots > ops)
		slots = ops;
	if (slots * blocks > nb_lbas)
		slots = nb_lbas / blocks;
	if (slots < in_flight || slots == 0) {
		snprintf(err, errlen,
			 "the namespace (%" PRIu64 " blocks) is too small for %u commands of %u blocks in flight: lower --nvme-depths or --nvme-blocks",
			 nb_lbas, in_flight, blocks);
		return -1;
	}
	plan->op_bytes = (uint32_t)bytes;
	plan->slots = (unsigned int)slots;
	plan->region_blocks = slots * blocks;
	return 0;
}

uint64_t
twc_nvme_op_lba(const struct twc_nvme_plan *plan, unsigned int blocks,
		unsigned int i)
{
	return (uint64_t)(i % plan->slots) * blocks;
}

uint32_t
twc_nvme_prp_list_bytes(uint32_t len, uint32_t page_size)
{
	uint32_t pages;

	if (page_size == 0 || len == 0)
		return 0;
	pages = (len + page_size - 1) / page_size;
	return pages <= 2 ? 0 : (pages - 1) * 8;
}

void
twc_nvme_report_init(struct twc_nvme_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
twc_nvme_report_free(struct twc_nvme_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->rows_cap = 0;
}

struct twc_nvme_row *
twc_nvme_report_add_row(struct twc_nvme_report *r,
		const struct twc_nvme_row *row)
{
	struct twc_nvme_row *n = twc_rows_room(r->rows, r->nrows,
			&r->rows_cap, sizeof(*n), 32);

	if (n == NULL)
		return NULL;
	r->rows = n;
	r->rows[r->nrows] = *row;
	return &r->rows[r->nrows++];
}

void
twc_nvme_report_note(struct twc_nvme_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	twc_head_vnote(r->notes, &r->nnotes, fmt, ap);
	va_end(ap);
}

bool
twc_nvme_report_all_verified(const struct twc_nvme_report *r)
{
	size_t i, ran = 0;

	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].skipped)
			continue;
		ran++;
		if (!r->rows[i].verified)
			return false;
	}
	return ran != 0;
}

double
twc_nvme_per_cmd(const struct twc_nvme_row *row, uint64_t total)
{
	return row->x_commands ? (double)total / (double)row->x_commands : 0;
}

const char *
twc_nvme_where_name(enum twc_nvme_where w)
{
	switch (w) {
	case TWC_NVME_HOST: return "host";
	case TWC_NVME_CMB_UC: return "cmb-uc";
	case TWC_NVME_CMB_WC: return "cmb-wc";
	}
	return "?";
}

const char *
twc_nvme_op_name(enum twc_nvme_op op)
{
	return op == TWC_NVME_READ ? "read" : "write";
}

int
twc_nvme_write_file(const struct twc_nvme_report *r, const char *path,
		int (*writer)(const struct twc_nvme_report *, FILE *))
{
	FILE *f = twc_out_open(path);

	if (f == NULL)
		return -1;
	return twc_out_close(f, path, writer(r, f));
}
