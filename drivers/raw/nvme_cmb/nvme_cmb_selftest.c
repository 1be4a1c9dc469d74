/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_rawdev_selftest() for nvme_cmb: for every placement the controller
 * supports (SQ and data each in host memory or the CMB), write a pattern
 * to the namespace's last blocks through the device, read it back,
 * compare; with odd lengths and page offsets so partial blocks, PRP1
 * offsets, PRP lists and unaligned CMB copies are all exercised. The
 * configuration in force before is restored at the end.
 *
 * It overwrites the last NVME_CMB_SELFTEST_BLOCKS blocks of the namespace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_rawdev.h>
#include <rte_rawdev_pmd.h>

#include "nvme_cmb_dev.h"
#include "nvme_cmb_args.h"

#define NVME_CMB_SELFTEST_BLOCKS 64

struct shape {
	uint16_t page_offset;
	uint32_t nb_lbas;
	int32_t short_by;	/* len = nb_lbas * lba_size - short_by */
};

/* Single block, partial, across pages, needing a PRP list. */
static const struct shape shapes[] = {
	{ 0, 1, 0 },
	{ 4, 1, 13 },
	{ 508, 3, 1 },
	{ 4092, 9, 7 },
	{ 0, 16, 0 },
	{ 1028, 20, 511 },
};

static void
fill(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static int
run_op(uint16_t dev_id, struct nvme_cmb_dev *d, struct rte_pmd_nvme_cmb_op *op,
		const char *what)
{
	int ret = rte_pmd_nvme_cmb_run(dev_id, op);

	if (ret != 0)
		NVME_CMB_LOG(ERR, d, "selftest: %s at LBA %" PRIu64 " failed: status 0x%x, %s",
			     what, op->lba, op->status, rte_strerror(-ret));
	return ret;
}

static int
one_placement(uint16_t dev_id, struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf, uint8_t *wbuf, uint8_t *rbuf)
{
	struct rte_rawdev_info info = { .dev_private = (void *)(uintptr_t)conf };
	struct rte_pmd_nvme_cmb_op op;
	uint64_t lba = d->nb_lbas - NVME_CMB_SELFTEST_BLOCKS;
	unsigned int i;
	size_t len, bad;
	int ret;

	rte_rawdev_stop(dev_id);
	ret = rte_rawdev_configure(dev_id, &info, sizeof(*conf));
	if (ret == 0)
		ret = rte_rawdev_start(dev_id);
	if (ret != 0)
		return ret;
	for (i = 0; i < RTE_DIM(shapes); i++) {
		const struct shape *s = &shapes[i];

		if (s->nb_lbas * d->lba_size > d->ioq.max_xfer ||
		    lba + s->nb_lbas > d->nb_lbas)
			continue;
		len = s->nb_lbas * d->lba_size - s->short_by;
		fill(wbuf, len, i * 7919u + conf->sq * 2 + conf->data);
		memset(&op, 0, sizeof(op));
		op.opcode = RTE_PMD_NVME_CMB_OP_WRITE;
		op.page_offset = s->page_offset;
		op.lba = lba;
		op.nb_lbas = s->nb_lbas;
		op.len = (uint32_t)len;
		op.buf = wbuf;
		ret = run_op(dev_id, d, &op, "write");
		if (ret != 0)
			return ret;
		memset(rbuf, 0xa5, (size_t)NVME_CMB_SELFTEST_BLOCKS * d->lba_size);
		op.opcode = RTE_PMD_NVME_CMB_OP_READ;
		op.page_offset = (uint16_t)((s->page_offset + 64) % d->page_size);
		op.len = s->nb_lbas * d->lba_size;
		op.buf = rbuf;
		ret = run_op(dev_id, d, &op, "read");
		if (ret != 0)
			return ret;
		for (bad = 0; bad < op.len; bad++)
			if (rbuf[bad] != (bad < len ? wbuf[bad] : 0))
				break;
		if (bad != op.len) {
			NVME_CMB_LOG(ERR, d, "selftest: sq=%s data=%s: %u blocks at offset %u: byte %zu read back 0x%02x, wrote 0x%02x",
				     nvme_cmb_place_name(conf->sq), nvme_cmb_place_name(conf->data),
				     s->nb_lbas, s->page_offset, bad, rbuf[bad],
				     bad < len ? wbuf[bad] : 0);
			return -EIO;
		}
		lba += s->nb_lbas;
	}
	memset(&op, 0, sizeof(op));
	op.opcode = RTE_PMD_NVME_CMB_OP_FLUSH;
	ret = run_op(dev_id, d, &op, "flush");
	if (ret == 0)
		NVME_CMB_LOG(NOTICE, d, "selftest: sq=%s data=%s (CMB %s): %zu patterns written, read back and compared: ok",
			     nvme_cmb_place_name(conf->sq), nvme_cmb_place_name(conf->data),
			     d->cmb_present ? wc_mmio_attr_name(d->cmb_attr) : "none",
			     RTE_DIM(shapes));
	return ret;
}

int
nvme_cmb_selftest(uint16_t dev_id)
{
	struct rte_rawdev *rdev = &rte_rawdevs[dev_id];
	struct nvme_cmb_dev *d = rdev->dev_private;
	struct rte_pmd_nvme_cmb_conf saved = d->conf, conf;
	struct rte_rawdev_info info = { .dev_private = &saved };
	bool was_started = d->started;
	unsigned int sq, data, nb_run = 0;
	uint8_t *wbuf, *rbuf;
	int ret = 0, r;

	if (d->nb_lbas < NVME_CMB_SELFTEST_BLOCKS) {
		NVME_CMB_LOG(ERR, d, "selftest: the namespace has fewer than %u blocks",
			     NVME_CMB_SELFTEST_BLOCKS);
		return -ENOSPC;
	}
	/*
	 * It reconfigures the device: ops of the application's in flight
	 * would be aborted and ones not dequeued mixed with its own.
	 */
	if (nvme_cmb_ops_pending(d) != 0) {
		NVME_CMB_LOG(ERR, d, "selftest: %u ops in flight or not dequeued: dequeue them first",
			     nvme_cmb_ops_pending(d));
		return -EBUSY;
	}
	wbuf = rte_malloc(NULL, (size_t)NVME_CMB_SELFTEST_BLOCKS * d->lba_size, 0);
	rbuf = rte_malloc(NULL, (size_t)NVME_CMB_SELFTEST_BLOCKS * d->lba_size, 0);
	if (wbuf == NULL || rbuf == NULL) {
		rte_free(wbuf);
		rte_free(rbuf);
		return -ENOMEM;
	}
	for (sq = 0; sq < 2 && ret == 0; sq++)
		for (data = 0; data < 2 && ret == 0; data++) {
			conf = saved;
			conf.sq = sq;
			conf.data = data;
			if ((sq || data) && (!d->cmb_present ||
			    (sq && !d->cmb.sqs) || (data && !(d->cmb.wds && d->cmb.rds)))) {
				NVME_CMB_LOG(NOTICE, d, "selftest: sq=%s data=%s skipped: no CMB for it",
					     nvme_cmb_place_name(sq), nvme_cmb_place_name(data));
				continue;
			}
			ret = one_placement(dev_id, d, &conf, wbuf, rbuf);
			nb_run++;
		}
	rte_free(wbuf);
	rte_free(rbuf);
	rte_rawdev_stop(dev_id);
	r = rte_rawdev_configure(dev_id, &info, sizeof(saved));
	if (r == 0 && was_started)
		r = rte_rawdev_start(dev_id);
	if (ret == 0)
		ret = r;
	NVME_CMB_LOG(NOTICE, d, "selftest %s: %u placements run",
		     ret == 0 ? "passed" : "FAILED", nb_run);
	return ret;
}
