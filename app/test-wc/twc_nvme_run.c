/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One NVMe cell: a placement (already configured and started) at one
 * queue depth. The queue is kept at that depth: as soon as a command is
 * back, the next one goes in, and all that fit go in one enqueue (one
 * doorbell). Latency runs from just before the enqueue that submitted a
 * command to just after the dequeue that returned it: what an application
 * polling the PMD sees. The rate is commands over the time from the first
 * enqueue to the last completion. The PMD's counters are reset before
 * each direction and read after it, so the stores per command are the
 * PMD's own count for exactly these commands.
 *
 * Data is checked, not assumed: every write fills its slot with a pattern
 * of this cell's seed (the previous cell's data cannot pass for it), and
 * every read is compared with it block by block.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_rawdev.h>

#include "rte_pmd_nvme_cmb.h"
#include "twc_clock.h"
#include "twc_nvme.h"
#include "twc_pattern.h"

/* One command in flight, found back from its rawdev buffer. */
struct twc_nvme_cmd {
	struct rte_pmd_nvme_cmb_op op;
	struct rte_rawdev_buf buf;
	uint64_t t_submit;
	unsigned int slot;
	uint8_t *data;		/* read destination */
};

struct twc_nvme_cell {
	const struct twc_nvme_target *t;
	unsigned int depth;
	uint8_t *src;		/* what each slot holds: slots * op_bytes */
	struct twc_nvme_cmd *cmds;	/* depth of them */
	struct twc_nvme_cmd **free;
	unsigned int nfree;
	struct rte_rawdev_buf **in, **out;
	double *lat;		/* ops of them, microseconds */
};

static struct twc_nvme_cmd *
twc_cmd_of(struct rte_rawdev_buf *buf)
{
	/* The PMD hands back the very buffers it was given. */
	return container_of(buf, struct twc_nvme_cmd, buf);
}

static uint64_t
twc_xstat(uint16_t dev_id, const char *name)
{
	uint64_t v = rte_rawdev_xstats_by_name_get(dev_id, name, NULL);

	/* Unknown names come back as UINT64_MAX (or a negative errno). */
	return v >= (uint64_t)INT64_MAX ? 0 : v;
}

static void
twc_cell_free(struct twc_nvme_cell *c)
{
	unsigned int i;

	if (c->cmds != NULL)
		for (i = 0; i < c->depth; i++)
			free(c->cmds[i].data);
	free(c->cmds);
	free(c->free);
	free(c->in);
	free(c->out);
	free(c->lat);
	free(c->src);
}

static int
twc_cell_alloc(struct twc_nvme_cell *c, const struct twc_nvme_target *t,
		unsigned int depth, uint64_t seed)
{
	uint32_t bytes = t->plan.op_bytes;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->depth = depth;
	c->src = malloc((size_t)t->plan.slots * bytes);
	c->cmds = calloc(depth, sizeof(*c->cmds));
	c->free = calloc(depth, sizeof(*c->free));
	c->in = calloc(depth, sizeof(*c->in));
	c->out = calloc(depth, sizeof(*c->out));
	c->lat = calloc(t->ops, sizeof(*c->lat));
	if (c->src == NULL || c->cmds == NULL || c->free == NULL ||
	    c->in == NULL || c->out == NULL || c->lat == NULL)
		return -1;
	for (i = 0; i < depth; i++) {
		c->cmds[i].data = malloc(bytes);
		if (c->cmds[i].data == NULL)
			return -1;
		c->cmds[i].buf.buf_addr = &c->cmds[i].op;
	}
	for (i = 0; i < t->plan.slots; i++)
		twc_pattern_fill(c->src + (size_t)i * bytes, bytes, seed + i);
	return 0;
}

static void
twc_cmd_prepare(struct twc_nvme_cell *c, struct twc_nvme_cmd *cmd,
		enum twc_nvme_op op, unsigned int i)
{
	const struct twc_nvme_target *t = c->t;

	cmd->slot = i % t->plan.slots;
	memset(&cmd->op, 0, sizeof(cmd->op));
	cmd->op.opcode = op == TWC_NVME_WRITE ? RTE_PMD_NVME_CMB_OP_WRITE :
		RTE_PMD_NVME_CMB_OP_READ;
	cmd->op.lba = twc_nvme_op_lba(&t->plan, t->blocks, i);
	cmd->op.nb_lbas = t->blocks;
	cmd->op.len = t->plan.op_bytes;
	/* The PMD only reads a write's buf: the slot's pattern itself. */
	cmd->op.buf = op == TWC_NVME_WRITE ?
		c->src + (size_t)cmd->slot * t->plan.op_bytes : cmd->data;
}

static void
twc_cmd_done(struct twc_nvme_cell *c, struct twc_nvme_cmd *cmd,
		enum twc_nvme_op op, struct twc_nvme_row *row)
{
	const struct twc_nvme_target *t = c->t;
	const uint8_t *want;
	unsigned int b;

	row->op_mmio_stores += cmd->op.mmio_stores;
	if (cmd->op.status != 0 || cmd->op.result != 0) {
		if (row->errors++ == 0)
			snprintf(row->why, sizeof(row->why),
				 "%s at LBA %" PRIu64 ": status 0x%x, %s",
				 twc_nvme_op_name(op), cmd->op.lba,
				 cmd->op.status, strerror(-cmd->op.result));
		return;
	}
	if (op != TWC_NVME_READ)
		return;
	want = c->src + (size_t)cmd->slot * t->plan.op_bytes;
	for (b = 0; b < t->blocks; b++) {
		row->blocks_checked++;
		if (memcmp(cmd->data + (size_t)b * t->lba_size,
			   want + (size_t)b * t->lba_size, t->lba_size) != 0)
			row->blocks_bad++;
	}
}

/* Bytes the commands stored by MMIO: into the CMB, and doorbells. */
static uint64_t
twc_mmio_bytes(const struct twc_nvme_target *t, const struct twc_nvme_row *row)
{
	uint64_t per = 0;

	if (row->place.sq != TWC_NVME_HOST)
		per += 64;	/* the submission queue entry */
	if (row->place.data != TWC_NVME_HOST) {
		if (row->op == TWC_NVME_WRITE)
			per += t->plan.op_bytes;
		per += twc_nvme_prp_list_bytes(t->plan.op_bytes,
					       t->page_size);
	}
	return per * row->x_commands + 4 * row->doorbells;
}

static void
twc_row_counters(const struct twc_nvme_target *t, struct twc_nvme_row *row)
{
	uint16_t id = t->dev_id;

	row->x_commands = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_COMMANDS);
	row->sqe_stores = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_SQE_STORES);
	row->data_stores = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_DATA_STORES);
	row->prp_stores = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_PRP_STORES);
	row->doorbells = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_DOORBELLS);
	row->flushes = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_FLUSHES);
	row->timeouts = twc_xstat(id, RTE_PMD_NVME_CMB_XSTAT_TIMEOUTS);
	row->sqe_width = (unsigned int)twc_xstat(id,
			RTE_PMD_NVME_CMB_XSTAT_SQE_STORE_WIDTH);
	row->mmio_bytes = twc_mmio_bytes(t, row);
}

/* ops commands of one direction at the cell's depth. */
static int
twc_cell_run(struct twc_nvme_cell *c, enum twc_nvme_op op,
		struct twc_nvme_row *row)
{
	const struct twc_nvme_target *t = c->t;
	unsigned int next = 0, done = 0, inflight = 0, nb, k;
	struct twc_nvme_cmd *cmd;
	uint64_t t0, t1, now;
	int ret, n;

	c->nfree = c->depth;
	for (k = 0; k < c->depth; k++)
		c->free[k] = &c->cmds[k];
	rte_rawdev_xstats_reset(t->dev_id, NULL, 0);
	t0 = twc_now_ns();
	while (done < t->ops) {
		for (nb = 0; inflight + nb < c->depth && next + nb < t->ops;
		     nb++) {
			cmd = c->free[--c->nfree];
			twc_cmd_prepare(c, cmd, op, next + nb);
			c->in[nb] = &cmd->buf;
		}
		if (nb != 0) {
			now = twc_now_ns();
			for (k = 0; k < nb; k++)
				twc_cmd_of(c->in[k])->t_submit = now;
			ret = rte_rawdev_enqueue_buffers(t->dev_id, c->in, nb,
							 NULL);
			if (ret < 0) {
				snprintf(row->why, sizeof(row->why),
					 "rte_rawdev_enqueue_buffers: %s",
					 strerror(-ret));
				return -1;
			}
			/* Those the queue had no room for go back. */
			for (k = (unsigned int)ret; k < nb; k++)
				c->free[c->nfree++] = twc_cmd_of(c->in[k]);
			next += (unsigned int)ret;
			inflight += (unsigned int)ret;
		}
		n = rte_rawdev_dequeue_buffers(t->dev_id, c->out, c->depth,
					       NULL);
		if (n < 0) {
			snprintf(row->why, sizeof(row->why),
				 "rte_rawdev_dequeue_buffers: %s",
				 strerror(-n));
			return -1;
		}
		if (n == 0)
			continue;
		now = twc_now_ns();
		for (k = 0; k < (unsigned int)n; k++) {
			cmd = twc_cmd_of(c->out[k]);
			c->lat[done++] = (double)(now - cmd->t_submit) / 1e3;
			twc_cmd_done(c, cmd, op, row);
			c->free[c->nfree++] = cmd;
			inflight--;
		}
	}
	t1 = twc_now_ns();
	if (t1 <= t0)
		t1 = t0 + 1;
	row->commands = done;
	row->bytes = t->plan.op_bytes;
	row->seconds = (double)(t1 - t0) / 1e9;
	row->cmds_per_s = done / row->seconds;
	twc_stats_compute(c->lat, done, &row->lat_us);
	/* Sorted by twc_stats_compute. */
	row->lat_p99_us = twc_quantile_sorted(c->lat, done, 0.99);
	twc_row_counters(t, row);
	return 0;
}

int
twc_nvme_run_cell(const struct twc_nvme_target *t, unsigned int depth,
		uint64_t seed, struct twc_nvme_row *w, struct twc_nvme_row *rd)
{
	struct twc_nvme_cell c;

	if (twc_cell_alloc(&c, t, depth, seed) != 0) {
		twc_cell_free(&c);
		snprintf(w->why, sizeof(w->why), "out of memory");
		snprintf(rd->why, sizeof(rd->why), "out of memory");
		return -1;
	}
	/*
	 * After a failed rawdev call commands may still be in flight, and
	 * the PMD copies into their buffers when they complete: keep them.
	 */
	if (twc_cell_run(&c, TWC_NVME_WRITE, w) != 0 ||
	    twc_cell_run(&c, TWC_NVME_READ, rd) != 0)
		return -1;
	/* A write is verified by reading it back. */
	w->blocks_checked = rd->blocks_checked;
	w->blocks_bad = rd->blocks_bad;
	w->verified = w->errors == 0 && rd->errors == 0 &&
		rd->blocks_bad == 0 && rd->blocks_checked != 0;
	rd->verified = w->verified;
	if (w->why[0] == '\0' && rd->why[0] != '\0')
		snprintf(w->why, sizeof(w->why), "read back: %.*s",
			 (int)sizeof(w->why) - 12, rd->why);
	twc_cell_free(&c);
	return 0;
}
