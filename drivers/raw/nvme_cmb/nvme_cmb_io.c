/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The I/O queue pair and its data path.
 *
 * Submission, for a burst of ops: each op gets a command slot (its own
 * data buffer and PRP list page, in host memory or the CMB per
 * conf.data), its write data is copied in, its PRPs are built and, when a
 * list is needed, stored beside the data (all PRPs of one command on one
 * side), and its 64-byte entry is stored at the SQ tail. The stores that
 * go to the CMB use wc_mmio_copy_to() with the attribute the bus gave the
 * BAR: wide stores in whole aligned blocks on WC, naturally aligned pieces
 * on UC (never an unaligned access, so nothing faults on arm64 Device
 * memory). Then one wc_mmio_flush() makes every CMB store visible before
 * the one uncached doorbell write that hands the burst to the controller.
 *
 * Completion: new CQ entries are recognised by their phase tag; a read's
 * data is copied out of its slot; the CQ head doorbell is written once per
 * poll. An op whose command outlives conf.timeout_ms is returned with
 * RTE_PMD_NVME_CMB_STATUS_TIMEOUT and its slot is kept out of use until
 * the controller completes it, since the controller may still DMA into it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_io.h>
#include <rte_malloc.h>
#include <bus_pci_driver.h>

#include "nvme_cmb_dev.h"
#include "nvme_cmb_prp.h"

static const uint8_t zeroes[4096];

static int
mem_alloc(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m, bool cmb,
		const char *what, size_t len)
{
	return cmb ? nvme_cmb_mem_cmb(d, m, what, len) :
		nvme_cmb_mem_host(d, m, what, len);
}

/*
 * Store len bytes of src at m->va + off: through the CMB mapping with the
 * attribute's copy, or a plain copy into host memory. Returns the number
 * of MMIO stores issued (0 for host memory).
 */
static uint32_t
mem_store(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m, size_t off,
		const void *src, size_t len)
{
	uintptr_t dst = (uintptr_t)m->va + off;

	if (!m->in_cmb) {
		memcpy((void *)dst, src, len);
		return 0;
	}
	wc_mmio_copy_to((volatile void *)dst, src, len, d->cmb_attr, 0);
	return (uint32_t)wc_mmio_store_count(dst, len, d->cmb_attr, 0);
}

static uint32_t
mem_zero(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m, size_t off,
		size_t len)
{
	uint32_t n = 0;
	size_t k;

	if (!m->in_cmb) {
		memset((uint8_t *)m->va + off, 0, len);
		return 0;
	}
	while (len != 0) {
		k = len < sizeof(zeroes) ? len : sizeof(zeroes);
		n += mem_store(d, m, off, zeroes, k);
		off += k;
		len -= k;
	}
	return n;
}

static void
ioq_free_mem(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	unsigned int i;

	if (q->slots != NULL)
		for (i = 0; i < q->depth; i++) {
			nvme_cmb_mem_free(&q->slots[i].data);
			nvme_cmb_mem_free(&q->slots[i].list);
		}
	nvme_cmb_mem_free(&q->sq);
	nvme_cmb_mem_free(&q->cq);
	rte_free(q->slots);
	rte_free(q->free_cids);
	rte_free(q->done);
	q->slots = NULL;
	q->free_cids = NULL;
	q->done = NULL;
	nvme_cmb_cmb_reset(d);
}

static int
ioq_alloc_mem(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	bool sq_cmb = d->conf.sq == RTE_PMD_NVME_CMB_CMB;
	bool data_cmb = d->conf.data == RTE_PMD_NVME_CMB_CMB;
	int socket = d->pci->device.numa_node;
	unsigned int i;
	int ret;

	q->depth = d->conf.qdepth;
	q->slots = rte_zmalloc_socket("nvme_cmb_slots", q->depth * sizeof(*q->slots), 0, socket);
	q->free_cids = rte_zmalloc_socket("nvme_cmb_cids", q->depth * sizeof(*q->free_cids), 0, socket);
	q->done = rte_zmalloc_socket("nvme_cmb_done", q->depth * sizeof(*q->done), 0, socket);
	if (q->slots == NULL || q->free_cids == NULL || q->done == NULL) {
		NVME_CMB_LOG(ERR, d, "out of memory for %u command slots", q->depth);
		ret = -ENOMEM;
		goto fail;
	}
	nvme_cmb_cmb_reset(d);
	ret = mem_alloc(d, &q->sq, sq_cmb, "iosq", q->depth * sizeof(struct nvme_sqe));
	if (ret == 0)
		ret = nvme_cmb_mem_host(d, &q->cq, "iocq", q->depth * sizeof(struct nvme_cqe));
	for (i = 0; ret == 0 && i < q->depth; i++) {
		/* A page more than max_xfer: an op may start at page_offset. */
		ret = mem_alloc(d, &q->slots[i].data, data_cmb, "data", d->max_xfer + d->page_size);
		if (ret == 0)
			ret = mem_alloc(d, &q->slots[i].list, data_cmb, "prpl", d->page_size);
	}
	if (ret != 0)
		goto fail;
	/* Clean CQ: no stale phase bits; zeroed SQ entries in the CMB too. */
	if (sq_cmb)
		mem_zero(d, &q->sq, 0, q->sq.len);
	q->nb_free = q->depth;
	for (i = 0; i < q->depth; i++)
		q->free_cids[i] = (uint16_t)(q->depth - 1 - i);
	q->nb_done = q->done_head = 0;
	q->nb_lost = 0;
	return 0;
fail:
	ioq_free_mem(d);
	return ret;
}

int
nvme_cmb_ioq_create(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	struct nvme_sqe cmd;
	int ret;

	if (q->created)
		return 0;
	ret = ioq_alloc_mem(d);
	if (ret != 0)
		return ret;
	q->qid = 1;
	nvme_ring_init(&q->ring, q->depth);

	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_CREATE_CQ;
	cmd.prp1 = q->cq.bus;
	cmd.cdw10 = (uint32_t)(q->depth - 1) << 16 | q->qid;
	cmd.cdw11 = 1;	/* physically contiguous, no interrupts */
	ret = nvme_cmb_admin(d, &cmd, NULL);
	if (ret != 0)
		goto fail;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_CREATE_SQ;
	cmd.prp1 = q->sq.bus;
	cmd.cdw10 = (uint32_t)(q->depth - 1) << 16 | q->qid;
	cmd.cdw11 = (uint32_t)q->qid << 16 | 1;	/* its CQ, contiguous */
	ret = nvme_cmb_admin(d, &cmd, NULL);
	if (ret != 0) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.opc = NVME_ADM_DELETE_CQ;
		cmd.cdw10 = q->qid;
		nvme_cmb_admin(d, &cmd, NULL);
		goto fail;
	}
	q->created = true;
	NVME_CMB_LOG(INFO, d, "I/O queue %u: %u entries, SQ in %s, CQ in host memory, data in %s (%" PRIu64 " CMB bytes in use)",
		     q->qid, q->depth, q->sq.in_cmb ? "the CMB" : "host memory",
		     d->conf.data == RTE_PMD_NVME_CMB_CMB ? "the CMB" : "host memory",
		     d->cmb_used);
	return 0;
fail:
	ioq_free_mem(d);
	return ret;
}

void
nvme_cmb_ioq_destroy(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	struct nvme_sqe cmd;

	if (!q->created)
		return;
	if (!(nvme_cmb_rd32(d, NVME_REG_CSTS) & NVME_CSTS_RDY)) {
		/* A controller that is not ready has dropped its queues. */
		NVME_CMB_LOG(WARNING, d, "controller not ready (CSTS=0x%08x): I/O queues freed without deleting them",
			     nvme_cmb_rd32(d, NVME_REG_CSTS));
		goto out;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_DELETE_SQ;
	cmd.cdw10 = q->qid;
	nvme_cmb_admin(d, &cmd, NULL);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_DELETE_CQ;
	cmd.cdw10 = q->qid;
	nvme_cmb_admin(d, &cmd, NULL);
out:
	ioq_free_mem(d);
	q->created = false;
}

bool
nvme_cmb_ioq_idle(const struct nvme_cmb_dev *d)
{
	const struct nvme_cmb_ioq *q = &d->ioq;

	return !q->created || (q->nb_free + q->nb_lost == q->depth && q->nb_done == 0);
}

static void
done_push(struct nvme_cmb_ioq *q, struct rte_rawdev_buf *buf)
{
	q->done[(q->done_head + q->nb_done) % q->depth] = buf;
	q->nb_done++;
}

/* Checks an op before anything is stored; one line for what is wrong. */
static int
op_check(struct nvme_cmb_dev *d, const struct rte_pmd_nvme_cmb_op *op)
{
	uint64_t bytes;

	if (op->opcode == RTE_PMD_NVME_CMB_OP_FLUSH)
		return 0;
	if (op->opcode != RTE_PMD_NVME_CMB_OP_WRITE && op->opcode != RTE_PMD_NVME_CMB_OP_READ) {
		NVME_CMB_LOG(ERR, d, "op opcode %u: expected write (1), read (2) or flush (3)",
			     op->opcode);
		return -EINVAL;
	}
	bytes = (uint64_t)op->nb_lbas * d->lba_size;
	if (op->nb_lbas == 0 || op->nb_lbas > 65536 || bytes > d->max_xfer) {
		NVME_CMB_LOG(ERR, d, "op of %u blocks: expected 1..%u (%u bytes per op)",
			     op->nb_lbas, d->max_xfer / d->lba_size, d->max_xfer);
		return -EINVAL;
	}
	if (op->lba >= d->nb_lbas || op->nb_lbas > d->nb_lbas - op->lba) {
		NVME_CMB_LOG(ERR, d, "op at LBA %" PRIu64 " + %u blocks is past the namespace (%" PRIu64 " blocks): not submitted",
			     op->lba, op->nb_lbas, d->nb_lbas);
		return -ERANGE;
	}
	if (op->len > bytes || (op->len != 0 && op->buf == NULL)) {
		NVME_CMB_LOG(ERR, d, "op len %u with %u blocks of %u bytes%s",
			     op->len, op->nb_lbas, d->lba_size,
			     op->buf == NULL ? " and no buf" : ": longer than its blocks");
		return -EINVAL;
	}
	if (op->page_offset % 4 != 0 || op->page_offset >= d->page_size) {
		NVME_CMB_LOG(ERR, d, "op page_offset %u: expected a multiple of 4 below %u",
			     op->page_offset, d->page_size);
		return -EINVAL;
	}
	return 0;
}

static void
op_reject(struct nvme_cmb_dev *d, struct rte_rawdev_buf *buf, int err)
{
	struct rte_pmd_nvme_cmb_op *op = buf->buf_addr;

	op->status = RTE_PMD_NVME_CMB_STATUS_REJECTED;
	op->result = err;
	op->mmio_stores = 0;
	d->stats.errors++;
	done_push(&d->ioq, buf);
}

/* Build and store one command; returns the MMIO stores it took. */
static int
submit_one(struct nvme_cmb_dev *d, struct rte_rawdev_buf *buf)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	struct rte_pmd_nvme_cmb_op *op = buf->buf_addr;
	uint64_t list[NVME_CMB_MAX_XFER / 4096 + 2];
	struct nvme_cmb_slot *s;
	struct nvme_prp prp = { 0 };
	struct nvme_sqe e;
	uint32_t bytes, stores = 0, n;
	uint16_t cid, pos;
	int ret;

	cid = q->free_cids[--q->nb_free];
	s = &q->slots[cid];
	memset(&e, 0, sizeof(e));
	e.cid = cid;
	e.nsid = d->nsid;
	if (op->opcode == RTE_PMD_NVME_CMB_OP_FLUSH) {
		e.opc = NVME_NVM_FLUSH;
	} else {
		e.opc = op->opcode == RTE_PMD_NVME_CMB_OP_WRITE ? NVME_NVM_WRITE : NVME_NVM_READ;
		bytes = op->nb_lbas * d->lba_size;
		/* The slot's list memory is one page: no chained list pages. */
		ret = nvme_prp_build(s->data.bus + op->page_offset, bytes, d->page_size,
				list, RTE_MIN((unsigned int)RTE_DIM(list), d->page_size / 8),
				s->list.bus, &prp);
		if (ret != 0) {
			q->free_cids[q->nb_free++] = cid;
			NVME_CMB_LOG(ERR, d, "PRPs for %u bytes at offset %u: error %d",
				     bytes, op->page_offset, ret);
			return ret;
		}
		if (e.opc == NVME_NVM_WRITE) {
			n = mem_store(d, &s->data, op->page_offset, op->buf, op->len);
			n += mem_zero(d, &s->data, op->page_offset + op->len, bytes - op->len);
			d->stats.data_stores += n;
			stores += n;
		}
		if (prp.nb_list != 0) {
			n = mem_store(d, &s->list, 0, list, prp.nb_list * sizeof(list[0]));
			d->stats.prp_stores += n;
			stores += n;
		}
		e.prp1 = prp.prp1;
		e.prp2 = prp.prp2;
		e.cdw10 = (uint32_t)op->lba;
		e.cdw11 = (uint32_t)(op->lba >> 32);
		e.cdw12 = op->nb_lbas - 1;
	}
	pos = nvme_ring_push(&q->ring);
	n = mem_store(d, &q->sq, pos * sizeof(e), &e, sizeof(e));
	d->stats.sqe_stores += n;
	stores += n;

	s->buf = buf;
	s->op = op;
	s->lost = false;
	s->deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * d->conf.timeout_ms / 1000;
	op->mmio_stores = stores + 1;	/* and the doorbell */
	op->status = 0;
	op->result = 0;
	d->stats.commands++;
	return 0;
}

int
nvme_cmb_enqueue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	unsigned int i, nb_sub = 0;
	bool cmb_stores = false;
	int ret;

	if (!d->started) {
		NVME_CMB_LOG(ERR, d, "enqueue on a stopped device: call rte_rawdev_start()");
		return -EPERM;
	}
	for (i = 0; i < count; i++) {
		struct rte_pmd_nvme_cmb_op *op = bufs[i] ? bufs[i]->buf_addr : NULL;

		if (op == NULL) {
			NVME_CMB_LOG(ERR, d, "enqueue: buffer %u has no op", i);
			break;
		}
		/* Room for its completion, a slot and an SQ entry. */
		if (q->nb_done + (q->depth - q->nb_free) >= q->depth ||
		    q->nb_free == 0 || nvme_ring_full(&q->ring))
			break;
		ret = op_check(d, op);
		if (ret == 0)
			ret = submit_one(d, bufs[i]);
		if (ret != 0) {
			op_reject(d, bufs[i], ret);
			continue;
		}
		nb_sub++;
		cmb_stores |= q->sq.in_cmb || d->conf.data == RTE_PMD_NVME_CMB_CMB;
	}
	if (nb_sub != 0) {
		/* Every CMB store of the burst lands before the doorbell. */
		if (cmb_stores) {
			wc_mmio_flush(d->cmb_attr);
			d->stats.flushes++;
		}
		nvme_cmb_wr32(d, nvme_sq_doorbell(q->qid, d->cap.dstrd), q->ring.tail);
		d->stats.doorbells++;
	}
	return (int)i;
}

static void
complete_slot(struct nvme_cmb_dev *d, uint16_t cid, uint16_t status)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	struct nvme_cmb_slot *s = &q->slots[cid];
	struct rte_pmd_nvme_cmb_op *op = s->op;

	if (s->lost) {
		/* Completed after its timeout was reported: just recycle. */
		s->lost = false;
		q->nb_lost--;
		q->free_cids[q->nb_free++] = cid;
		return;
	}
	op->status = status;
	if (status != 0) {
		op->result = -EIO;
		d->stats.errors++;
	} else if (op->opcode == RTE_PMD_NVME_CMB_OP_READ) {
		rte_rmb();
		if (s->data.in_cmb)
			wc_mmio_copy_from(op->buf, (const volatile uint8_t *)s->data.va +
					  op->page_offset, op->len);
		else
			memcpy(op->buf, (uint8_t *)s->data.va + op->page_offset, op->len);
		d->stats.bytes_read += op->len;
	} else if (op->opcode == RTE_PMD_NVME_CMB_OP_WRITE) {
		d->stats.bytes_written += op->len;
	}
	done_push(q, s->buf);
	s->buf = NULL;
	s->op = NULL;
	q->free_cids[q->nb_free++] = cid;
}

static void
check_timeouts(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	uint64_t now = rte_get_timer_cycles();
	unsigned int i;

	for (i = 0; i < q->depth; i++) {
		struct nvme_cmb_slot *s = &q->slots[i];

		if (s->buf == NULL || s->lost || now < s->deadline)
			continue;
		NVME_CMB_LOG(ERR, d, "command %u (opcode %u, LBA %" PRIu64 ") not completed within %u ms (CSTS=0x%08x)",
			     i, s->op->opcode, s->op->lba, d->conf.timeout_ms,
			     nvme_cmb_rd32(d, NVME_REG_CSTS));
		s->op->status = RTE_PMD_NVME_CMB_STATUS_TIMEOUT;
		s->op->result = -ETIMEDOUT;
		d->stats.timeouts++;
		d->stats.errors++;
		done_push(q, s->buf);
		s->buf = NULL;
		s->op = NULL;
		s->lost = true;
		q->nb_lost++;
	}
}

int
nvme_cmb_dequeue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	volatile struct nvme_cqe *cqe;
	unsigned int n = 0;
	bool popped = false;
	uint16_t status, cid;

	if (!q->created)
		return 0;
	for (;;) {
		cqe = (volatile struct nvme_cqe *)q->cq.va + q->ring.cq_head;
		status = cqe->status;
		if (!nvme_ring_cqe_new(&q->ring, status))
			break;
		rte_rmb();	/* the rest of the entry after its phase */
		cid = cqe->cid;
		nvme_ring_cq_pop(&q->ring, cqe->sqhd);
		popped = true;
		if (cid >= q->depth || (q->slots[cid].buf == NULL && !q->slots[cid].lost)) {
			NVME_CMB_LOG(ERR, d, "completion for unknown command %u ignored", cid);
			continue;
		}
		complete_slot(d, cid, nvme_cqe_status(status));
	}
	if (popped)
		nvme_cmb_wr32(d, nvme_cq_doorbell(q->qid, d->cap.dstrd), q->ring.cq_head);
	if (q->nb_free + q->nb_lost < q->depth)	/* commands in flight */
		check_timeouts(d);
	while (n < count && q->nb_done != 0) {
		bufs[n++] = q->done[q->done_head];
		q->done_head = (uint16_t)((q->done_head + 1) % q->depth);
		q->nb_done--;
	}
	return (int)n;
}
