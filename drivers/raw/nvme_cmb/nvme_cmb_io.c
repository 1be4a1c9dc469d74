/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The I/O queue pair and its data path.
 *
 * Submission, for a burst of ops: each op gets a command slot, its PRPs
 * are built and, when a list is needed, stored where the configuration
 * allows lists (nvme_cmb_list_place()), and its 64-byte entry is stored
 * at the SQ tail. With data=host an op whose buffer is DPDK memory with
 * an IOVA is DMA'd straight from and to that buffer (zero copy); any
 * other buffer, and all data with data=cmb, goes through the slot's own
 * buffer (bounce). The stores that go to the CMB use wc_mmio_copy_to()
 * with the attribute the bus gave the BAR: wide stores in whole aligned
 * blocks on WC, naturally aligned pieces on UC (never an unaligned
 * access, so nothing faults on arm64 Device memory). Then one
 * wc_mmio_flush() makes every CMB store visible before the one uncached
 * doorbell write that hands the burst to the controller.
 *
 * Completion: new CQ entries are recognised by their phase tag; a bounced
 * read's data is copied out of its slot; the CQ head doorbell is written
 * once per poll. An op whose command outlives conf.timeout_ms is returned
 * with RTE_PMD_NVME_CMB_STATUS_TIMEOUT and its slot is kept out of use
 * until the controller completes it, since the controller may still DMA
 * into it. Completed ops wait in the device's done list, which outlives
 * the queue pair: ops still in flight when it is torn down come back
 * from dequeue as RTE_PMD_NVME_CMB_STATUS_ABORTED.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_io.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_pause.h>
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
 * attribute's copy, or a plain copy into host memory.
 */
static void
mem_store(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m, size_t off,
		const void *src, size_t len)
{
	uintptr_t dst = (uintptr_t)m->va + off;

	if (m->in_cmb)
		wc_mmio_copy_to((volatile void *)dst, src, len, d->cmb_attr, 0);
	else
		memcpy((void *)dst, src, len);
}

/* MMIO stores mem_store() issues for that range (0 in host memory). */
static uint32_t
mem_stores(struct nvme_cmb_dev *d, const struct nvme_cmb_mem *m, size_t off,
		size_t len)
{
	if (!m->in_cmb || len == 0)
		return 0;
	return (uint32_t)wc_mmio_store_count((uintptr_t)m->va + off, len, d->cmb_attr, 0);
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
		mem_store(d, m, off, zeroes, k);
		n += mem_stores(d, m, off, k);
		off += k;
		len -= k;
	}
	return n;
}

/* --- memory of the queue pair ------------------------------------------- */

/* Bytes of PRP list a slot holds: whole pages, chained ones contiguous. */
static size_t
list_bytes(const struct nvme_cmb_dev *d, unsigned int entries)
{
	return RTE_ALIGN_CEIL((size_t)entries * sizeof(uint64_t), d->page_size);
}

/* PRP list entries (chain pointers included) an op of max_xfer may need. */
static unsigned int
list_entries(const struct nvme_cmb_dev *d, enum nvme_cmb_list_place place,
		uint32_t max_xfer)
{
	if (place == NVME_CMB_LIST_NONE)
		return 0;
	/* The worst offset: a dword before the end of the first page. */
	return nvme_prp_list_entries(d->page_size - 4, max_xfer, d->page_size);
}

static enum nvme_cmb_list_place
conf_list_place(const struct nvme_cmb_dev *d, const struct rte_pmd_nvme_cmb_conf *conf)
{
	return d->cmb_present ? nvme_cmb_list_place(&d->cmb, conf) : NVME_CMB_LIST_HOST;
}

/*
 * The CMB bytes a configuration takes, laid out as ioq_alloc_mem() will
 * lay it out (pieces on memory pages of the bus address): 0 when nothing
 * goes to the CMB.
 */
uint64_t
nvme_cmb_slot_cmb_bytes(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf, uint32_t max_xfer)
{
	enum nvme_cmb_list_place place = conf_list_place(d, conf);
	uint64_t mask = (uint64_t)d->page_size - 1, used = 0, start;
	size_t lb = list_bytes(d, list_entries(d, place, max_xfer));
	bool data_cmb = conf->data == RTE_PMD_NVME_CMB_CMB;
	unsigned int i;

#define PIECE(len) do { \
	start = ((d->cmb_bus + used + mask) & ~mask) - d->cmb_bus; \
	used = start + (len); \
} while (0)
	if (conf->sq == RTE_PMD_NVME_CMB_CMB)
		PIECE((uint64_t)conf->qdepth * sizeof(struct nvme_sqe));
	for (i = 0; data_cmb && i < conf->qdepth; i++) {
		PIECE((uint64_t)max_xfer + d->page_size);
		if (place == NVME_CMB_LIST_CMB && lb != 0)
			PIECE(lb);
	}
#undef PIECE
	return used;
}

static void
ioq_free_mem(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	unsigned int i;

	for (i = 0; q->chunks != NULL && i < q->nb_chunks; i++)
		nvme_cmb_mem_free(&q->chunks[i]);
	nvme_cmb_mem_free(&q->sq);
	nvme_cmb_mem_free(&q->cq);
	rte_free(q->chunks);
	rte_free(q->slots);
	rte_free(q->free_cids);
	rte_free(d->list_tmp);
	d->list_tmp = NULL;
	q->chunks = NULL;
	q->nb_chunks = 0;
	q->slots = NULL;
	q->free_cids = NULL;
	nvme_cmb_cmb_reset(d);
}

/* A piece of a host chunk: freed with the chunk, so no memzone of its own. */
static void
chunk_piece(struct nvme_cmb_mem *m, const struct nvme_cmb_mem *chunk,
		size_t off, size_t len)
{
	m->va = (uint8_t *)chunk->va + off;
	m->bus = chunk->bus + off;
	m->len = len;
	m->in_cmb = false;
	m->mz = NULL;
}

/*
 * Slot memory in host memory is taken a chunk at a time (a memzone of up
 * to NVME_CMB_CHUNK_BYTES holds several slots): with a memzone per buffer,
 * two devices at qdepth 1024 would use up DPDK's memzone table.
 */
static int
ioq_alloc_slots(struct nvme_cmb_dev *d, size_t data_host, size_t list_host)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	bool data_cmb = d->conf.data == RTE_PMD_NVME_CMB_CMB;
	size_t lb = list_bytes(d, q->list_cap);
	size_t stride = data_host + list_host;
	unsigned int per_chunk, i, c, k;
	int ret = 0;

	per_chunk = stride == 0 ? q->depth :
		RTE_MAX(1u, (unsigned int)(NVME_CMB_CHUNK_BYTES / stride));
	if (stride != 0) {
		q->nb_chunks = (q->depth + per_chunk - 1) / per_chunk;
		q->chunks = rte_zmalloc_socket("nvme_cmb_chunks",
				q->nb_chunks * sizeof(*q->chunks), 0, d->socket);
		if (q->chunks == NULL)
			return -ENOMEM;
		for (c = 0; c < q->nb_chunks; c++) {
			k = RTE_MIN(per_chunk, q->depth - c * per_chunk);
			ret = nvme_cmb_mem_host(d, &q->chunks[c], "slots", k * stride);
			if (ret != 0)
				return ret;
		}
	}
	for (i = 0; i < q->depth; i++) {
		struct nvme_cmb_slot *s = &q->slots[i];
		const struct nvme_cmb_mem *chunk = stride != 0 ? &q->chunks[i / per_chunk] : NULL;
		size_t off = (size_t)(i % per_chunk) * stride;

		if (data_cmb)
			ret = nvme_cmb_mem_cmb(d, &s->data, "data", q->max_xfer + d->page_size);
		else
			chunk_piece(&s->data, chunk, off, data_host);
		if (ret != 0)
			return ret;
		if (q->list_place == NVME_CMB_LIST_CMB && lb != 0)
			ret = nvme_cmb_mem_cmb(d, &s->list, "prpl", lb);
		else if (list_host != 0)
			chunk_piece(&s->list, chunk, off + data_host, list_host);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
ioq_alloc_mem(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	bool sq_cmb = d->conf.sq == RTE_PMD_NVME_CMB_CMB;
	bool data_cmb = d->conf.data == RTE_PMD_NVME_CMB_CMB;
	size_t data_host, list_host;
	unsigned int i;
	int ret;

	q->depth = d->conf.qdepth;
	q->max_xfer = nvme_cmb_conf_max_xfer(d, &d->conf);
	q->list_place = conf_list_place(d, &d->conf);
	q->list_cap = list_entries(d, q->list_place, q->max_xfer);
	/* A page more than max_xfer: an op may start at page_offset. */
	data_host = data_cmb ? 0 : q->max_xfer + d->page_size;
	list_host = q->list_place == NVME_CMB_LIST_HOST ? list_bytes(d, q->list_cap) : 0;

	q->slots = rte_zmalloc_socket("nvme_cmb_slots", q->depth * sizeof(*q->slots), 0, d->socket);
	q->free_cids = rte_zmalloc_socket("nvme_cmb_cids", q->depth * sizeof(*q->free_cids), 0,
			d->socket);
	if (q->slots == NULL || q->free_cids == NULL) {
		NVME_CMB_LOG(ERR, d, "out of memory for %u command slots", q->depth);
		ret = -ENOMEM;
		goto fail;
	}
	nvme_cmb_cmb_reset(d);
	ret = mem_alloc(d, &q->sq, sq_cmb, "iosq", q->depth * sizeof(struct nvme_sqe));
	if (ret == 0)
		ret = nvme_cmb_mem_host(d, &q->cq, "iocq", q->depth * sizeof(struct nvme_cqe));
	if (ret == 0 && q->list_place == NVME_CMB_LIST_CMB && q->list_cap != 0) {
		d->list_tmp = rte_zmalloc_socket("nvme_cmb_list", q->list_cap * sizeof(uint64_t),
				0, d->socket);
		if (d->list_tmp == NULL)
			ret = -ENOMEM;
	}
	if (ret == 0)
		ret = ioq_alloc_slots(d, data_host, list_host);
	if (ret != 0)
		goto fail;
	/* Clean CQ: no stale phase bits; zeroed SQ entries in the CMB too. */
	if (sq_cmb)
		mem_zero(d, &q->sq, 0, q->sq.len);
	/* Every entry is 64 bytes at a 64-byte multiple of a page: one count. */
	q->sqe_stores = mem_stores(d, &q->sq, 0, sizeof(struct nvme_sqe));
	q->nb_free = q->depth;
	for (i = 0; i < q->depth; i++)
		q->free_cids[i] = (uint16_t)(q->depth - 1 - i);
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
		if (nvme_cmb_admin(d, &cmd, NULL) != 0) {
			/* Its CQ may stay in use: stop the controller first. */
			nvme_cmb_ctrl_disable(d);
			d->need_reset = true;
		}
		goto fail;
	}
	q->created = true;
	NVME_CMB_LOG(INFO, d, "I/O queue %u: %u entries, SQ in %s, CQ in host memory, data in %s, PRP lists in %s, ops up to %u bytes (%" PRIu64 " CMB bytes in use)",
		     q->qid, q->depth, q->sq.in_cmb ? "the CMB" : "host memory",
		     d->conf.data == RTE_PMD_NVME_CMB_CMB ? "the CMB" : "host memory",
		     q->list_place == NVME_CMB_LIST_CMB ? "the CMB" :
		     q->list_place == NVME_CMB_LIST_HOST ? "host memory" : "nowhere (none allowed)",
		     q->max_xfer, d->cmb_used);
	return 0;
fail:
	ioq_free_mem(d);
	return ret;
}

/* --- completions --------------------------------------------------------- */

static void
done_push(struct nvme_cmb_dev *d, struct rte_rawdev_buf *buf)
{
	struct nvme_cmb_done *dl = &d->done;

	dl->bufs[(dl->head + dl->nb) % RTE_DIM(dl->bufs)] = buf;
	dl->nb++;
}

/*
 * The op of slot s has its status: hand it back (to rte_pmd_nvme_cmb_run()
 * or the done list). The slot is then the driver's again.
 */
static void
slot_hand_back(struct nvme_cmb_dev *d, struct nvme_cmb_slot *s)
{
	if (s->sync_done != NULL)
		*s->sync_done = true;
	else
		done_push(d, s->buf);
	s->buf = NULL;
	s->op = NULL;
	s->sync_done = NULL;
}

/* Hand the op back and free the slot. */
static void
slot_finish(struct nvme_cmb_dev *d, uint16_t cid)
{
	struct nvme_cmb_ioq *q = &d->ioq;

	slot_hand_back(d, &q->slots[cid]);
	q->free_cids[q->nb_free++] = cid;
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
	/* The queue's deletion aborted it: an abort of ours, said as such. */
	if (status == NVME_SC_ABORT_SQ_DELETION && q->abort_why != 0) {
		op->status = RTE_PMD_NVME_CMB_STATUS_ABORTED;
		op->result = q->abort_why;
		d->stats.aborted++;
		d->stats.errors++;
		slot_finish(d, cid);
		return;
	}
	op->status = status;
	if (status != 0) {
		op->result = -EIO;
		d->stats.errors++;
		NVME_CMB_LOG_DP(d, "command %u (opcode %u, LBA %" PRIu64 ") failed: status 0x%03x",
				cid, op->opcode, op->lba, status);
	} else if (op->opcode == RTE_PMD_NVME_CMB_OP_READ) {
		if (s->bounced) {
			rte_rmb();
			if (s->data.in_cmb) {
				wc_mmio_copy_from(op->buf, (const volatile uint8_t *)s->data.va +
						  op->page_offset, op->len);
			} else {
				memcpy(op->buf, (uint8_t *)s->data.va + op->page_offset, op->len);
				d->stats.bounce_bytes += op->len;
			}
		}
		d->stats.bytes_read += op->len;
	} else if (op->opcode == RTE_PMD_NVME_CMB_OP_WRITE) {
		d->stats.bytes_written += op->len;
	}
	slot_finish(d, cid);
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
		NVME_CMB_LOG_DP(d, "command %u (opcode %u, LBA %" PRIu64 ") not completed within %u ms (CSTS=0x%08x)",
				i, s->op->opcode, s->op->lba, d->conf.timeout_ms,
				nvme_cmb_rd32(d, NVME_REG_CSTS));
		s->op->status = RTE_PMD_NVME_CMB_STATUS_TIMEOUT;
		s->op->result = -ETIMEDOUT;
		d->stats.timeouts++;
		d->stats.errors++;
		/* The slot stays taken (lost) until its completion comes. */
		slot_hand_back(d, s);
		s->lost = true;
		q->nb_lost++;
	}
}

/* Take every new completion, then look for commands past their time. */
static void
ioq_poll(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	volatile struct nvme_cqe *cqe;
	bool popped = false;
	uint16_t status, cid;

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
			NVME_CMB_LOG_DP(d, "completion for unknown command %u ignored", cid);
			continue;
		}
		complete_slot(d, cid, nvme_cqe_status(status));
	}
	if (popped)
		nvme_cmb_wr32(d, nvme_cq_doorbell(q->qid, d->cap.dstrd), q->ring.cq_head);
	if (q->nb_free + q->nb_lost < q->depth)	/* commands in flight */
		check_timeouts(d);
}

/* Ops handed to the controller and not back yet, or back and not dequeued. */
unsigned int
nvme_cmb_ops_pending(const struct nvme_cmb_dev *d)
{
	const struct nvme_cmb_ioq *q = &d->ioq;
	unsigned int n = d->done.nb;

	if (q->created)
		n += q->depth - q->nb_free - q->nb_lost;
	return n;
}

/*
 * Delete the queue pair; why is the result ops still in flight get
 * (-ECANCELED at stop, -ENODEV at remove). The controller must have
 * stopped using the queues' memory before it is freed: after a Delete I/O
 * SQ that succeeded it has (its aborted commands are in the CQ by then);
 * if a delete fails or times out, or the controller is not ready, it is
 * disabled first, which ends all its DMA, and enabled again at the next
 * start. A removed controller (all ones) is not waited for.
 */
void
nvme_cmb_ioq_destroy(struct nvme_cmb_dev *d, int32_t why)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	struct nvme_sqe cmd;
	unsigned int i, nb_aborted = 0;
	uint64_t aborted0 = d->stats.aborted;
	uint32_t csts;
	int ret = -ENODEV;

	if (!q->created)
		return;
	csts = nvme_cmb_rd32(d, NVME_REG_CSTS);
	if (csts == UINT32_MAX) {
		NVME_CMB_LOG(WARNING, d, "the controller is gone (CSTS reads all ones): I/O queues freed without deleting them");
	} else if (d->need_reset) {
		/* A disable already dropped them. */
	} else {
		if ((csts & NVME_CSTS_RDY) && !(csts & NVME_CSTS_CFS)) {
			memset(&cmd, 0, sizeof(cmd));
			cmd.opc = NVME_ADM_DELETE_SQ;
			cmd.cdw10 = q->qid;
			ret = nvme_cmb_admin(d, &cmd, NULL);
			if (ret == 0) {
				/* What the deletion completed or aborted. */
				q->abort_why = why;
				ioq_poll(d);
				q->abort_why = 0;
				memset(&cmd, 0, sizeof(cmd));
				cmd.opc = NVME_ADM_DELETE_CQ;
				cmd.cdw10 = q->qid;
				ret = nvme_cmb_admin(d, &cmd, NULL);
			}
		}
		if (ret != 0) {
			NVME_CMB_LOG(WARNING, d, "I/O queues not deleted (CSTS=0x%08x): disabling the controller before their memory is freed",
				     nvme_cmb_rd32(d, NVME_REG_CSTS));
			nvme_cmb_ctrl_disable(d);
			d->need_reset = true;
		}
	}
	for (i = 0; i < q->depth; i++) {
		struct nvme_cmb_slot *s = &q->slots[i];

		if (s->buf == NULL)
			continue;
		s->op->status = RTE_PMD_NVME_CMB_STATUS_ABORTED;
		s->op->result = why;
		d->stats.aborted++;
		d->stats.errors++;
		nb_aborted++;
		slot_finish(d, (uint16_t)i);
	}
	nb_aborted += (unsigned int)(d->stats.aborted - aborted0);
	if (nb_aborted != 0)
		NVME_CMB_LOG(NOTICE, d, "%u ops in flight aborted: they come back from dequeue with status ABORTED",
			     nb_aborted);
	ioq_free_mem(d);
	q->created = false;
}

/* --- submission ---------------------------------------------------------- */

/* Checks an op before anything is stored; one line for what is wrong. */
static int
op_check(struct nvme_cmb_dev *d, const struct rte_pmd_nvme_cmb_op *op)
{
	uint64_t bytes;

	if (op->opcode == RTE_PMD_NVME_CMB_OP_FLUSH)
		return 0;
	if (op->opcode != RTE_PMD_NVME_CMB_OP_WRITE && op->opcode != RTE_PMD_NVME_CMB_OP_READ) {
		NVME_CMB_LOG_DP(d, "op opcode %u: expected write (1), read (2) or flush (3)",
				op->opcode);
		return -EINVAL;
	}
	bytes = (uint64_t)op->nb_lbas * d->lba_size;
	if (op->nb_lbas == 0 || op->nb_lbas > 65536 || bytes > d->ioq.max_xfer) {
		NVME_CMB_LOG_DP(d, "op of %u blocks: expected 1..%u (%u bytes per op)",
				op->nb_lbas, d->ioq.max_xfer / d->lba_size, d->ioq.max_xfer);
		return -EINVAL;
	}
	if (op->lba >= d->nb_lbas || op->nb_lbas > d->nb_lbas - op->lba) {
		NVME_CMB_LOG_DP(d, "op at LBA %" PRIu64 " + %u blocks is past the namespace (%" PRIu64 " blocks): not submitted",
				op->lba, op->nb_lbas, d->nb_lbas);
		return -ERANGE;
	}
	if (op->len > bytes || (op->len != 0 && op->buf == NULL)) {
		NVME_CMB_LOG_DP(d, "op len %u with %u blocks of %u bytes%s",
				op->len, op->nb_lbas, d->lba_size,
				op->buf == NULL ? " and no buf" : ": longer than its blocks");
		return -EINVAL;
	}
	if (op->page_offset % 4 != 0 || op->page_offset >= d->page_size) {
		NVME_CMB_LOG_DP(d, "op page_offset %u: expected a multiple of 4 below %u",
				op->page_offset, d->page_size);
		return -EINVAL;
	}
	return 0;
}

static void
op_reject(struct nvme_cmb_dev *d, struct rte_pmd_nvme_cmb_op *op, int err)
{
	op->status = RTE_PMD_NVME_CMB_STATUS_REJECTED;
	op->result = err;
	op->mmio_stores = 0;
	d->stats.errors++;
}

/*
 * Whether the controller can DMA straight from/to op->buf: data in host
 * memory, the whole of the op's blocks in the buffer (a short op would
 * have the controller read or write past it), dword aligned (PRP1), DPDK
 * memory the EAL mapped for DMA (not external memory, which an
 * application maps itself or not at all), contiguous in IOVA, and not in
 * the CMB's bus window. Sets *iova.
 */
static bool
zero_copy_ok(const struct nvme_cmb_dev *d, const struct rte_pmd_nvme_cmb_op *op,
		uint32_t bytes, uint64_t *iova)
{
	const struct rte_memseg_list *msl;
	uintptr_t va = (uintptr_t)op->buf, p;
	rte_iova_t first;

	if (d->conf.data != RTE_PMD_NVME_CMB_HOST || op->len != bytes || (va & 3) != 0)
		return false;
	msl = rte_mem_virt2memseg_list(op->buf);
	if (msl == NULL || msl->external)
		return false;
	first = rte_mem_virt2iova(op->buf);
	if (first == RTE_BAD_IOVA)
		return false;
	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		for (p = RTE_ALIGN_FLOOR(va, msl->page_sz) + msl->page_sz; p < va + bytes;
		     p += msl->page_sz)
			if (rte_mem_virt2iova((void *)p) != first + (p - va))
				return false;
	if (nvme_cmb_cmb_overlaps(d, first, bytes))
		return false;
	*iova = first;
	return true;
}

/* Build and store one command. */
static int
submit_one(struct nvme_cmb_dev *d, struct rte_rawdev_buf *buf,
		struct rte_pmd_nvme_cmb_op *op, bool *sync_done)
{
	struct nvme_cmb_ioq *q = &d->ioq;
	struct nvme_cmb_slot *s;
	struct nvme_prp prp = { 0 };
	struct nvme_sqe e;
	uint32_t bytes, stores = 0, n;
	uint64_t addr;
	uint64_t *list;
	uint16_t cid, pos;
	bool bounce = false;
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
		if (!zero_copy_ok(d, op, bytes, &addr)) {
			bounce = true;
			addr = s->data.bus + op->page_offset;
		}
		/*
		 * A list in host memory is built where it lies; one in the
		 * CMB in the scratch copy, then stored through the mapping.
		 */
		list = s->list.in_cmb ? d->list_tmp : s->list.va;
		ret = nvme_prp_build(addr, bytes, d->page_size, list, q->list_cap,
				s->list.bus, &prp);
		if (ret != 0) {
			q->free_cids[q->nb_free++] = cid;
			NVME_CMB_LOG_DP(d, "PRPs for %u bytes at 0x%" PRIx64 ": error %d",
					bytes, addr, ret);
			return ret;
		}
		if (e.opc == NVME_NVM_WRITE && bounce) {
			mem_store(d, &s->data, op->page_offset, op->buf, op->len);
			n = mem_stores(d, &s->data, op->page_offset, op->len);
			n += mem_zero(d, &s->data, op->page_offset + op->len, bytes - op->len);
			if (!s->data.in_cmb)
				d->stats.bounce_bytes += op->len;
			d->stats.data_stores += n;
			stores += n;
		}
		if (prp.nb_list != 0 && s->list.in_cmb) {
			mem_store(d, &s->list, 0, list, prp.nb_list * sizeof(list[0]));
			n = mem_stores(d, &s->list, 0, prp.nb_list * sizeof(list[0]));
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
	mem_store(d, &q->sq, pos * sizeof(e), &e, sizeof(e));
	d->stats.sqe_stores += q->sqe_stores;
	stores += q->sqe_stores;

	s->buf = buf;
	s->op = op;
	s->lost = false;
	s->bounced = bounce;
	s->sync_done = sync_done;
	s->deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * d->conf.timeout_ms / 1000;
	op->mmio_stores = stores + 1;	/* and the doorbell */
	op->status = 0;
	op->result = 0;
	d->stats.commands++;
	return 0;
}

/* Room for one more op: a slot, an SQ entry, and a place in the done list. */
static bool
ioq_room(const struct nvme_cmb_dev *d)
{
	const struct nvme_cmb_ioq *q = &d->ioq;

	return q->nb_free != 0 && !nvme_ring_full(&q->ring) &&
		d->done.nb + (q->depth - q->nb_free) < q->depth;
}

static void
ring_doorbell(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_ioq *q = &d->ioq;

	/* Every CMB store of the burst lands before the doorbell. */
	if (q->sq.in_cmb || d->conf.data == RTE_PMD_NVME_CMB_CMB) {
		wc_mmio_flush(d->cmb_attr);
		d->stats.flushes++;
	}
	nvme_cmb_wr32(d, nvme_sq_doorbell(q->qid, d->cap.dstrd), q->ring.tail);
	d->stats.doorbells++;
}

int
nvme_cmb_enqueue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count)
{
	unsigned int i, nb_sub = 0;
	int ret;

	if (!d->started) {
		NVME_CMB_LOG_DP(d, "enqueue on a stopped device: call rte_rawdev_start()");
		return -EPERM;
	}
	for (i = 0; i < count; i++) {
		struct rte_pmd_nvme_cmb_op *op = bufs[i] ? bufs[i]->buf_addr : NULL;

		if (op == NULL) {
			NVME_CMB_LOG_DP(d, "enqueue: buffer %u has no op", i);
			break;
		}
		if (!ioq_room(d))
			break;
		ret = op_check(d, op);
		if (ret == 0)
			ret = submit_one(d, bufs[i], op, NULL);
		if (ret != 0) {
			op_reject(d, op, ret);
			done_push(d, bufs[i]);
			continue;
		}
		nb_sub++;
	}
	if (nb_sub != 0)
		ring_doorbell(d);
	return (int)i;
}

int
nvme_cmb_dequeue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count)
{
	struct nvme_cmb_done *dl = &d->done;
	unsigned int n = 0;

	if (d->ioq.created)
		ioq_poll(d);
	while (n < count && dl->nb != 0) {
		bufs[n++] = dl->bufs[dl->head];
		dl->head = (uint16_t)((dl->head + 1) % RTE_DIM(dl->bufs));
		dl->nb--;
	}
	return (int)n;
}

/*
 * One op to completion, for rte_pmd_nvme_cmb_run(). Its completion is
 * marked in the slot, never queued, so ops the application has in flight
 * or waiting to be dequeued stay exactly where they are.
 */
int
nvme_cmb_run_sync(struct nvme_cmb_dev *d, struct rte_pmd_nvme_cmb_op *op)
{
	struct rte_rawdev_buf buf = { .buf_addr = op };
	bool done = false;
	int ret;

	if (!d->started) {
		NVME_CMB_LOG(ERR, d, "run on a stopped device: call rte_rawdev_start()");
		return -EPERM;
	}
	ret = op_check(d, op);
	if (ret != 0) {
		op_reject(d, op, ret);
		return ret;
	}
	if (!ioq_room(d))
		ioq_poll(d);
	if (!ioq_room(d)) {
		NVME_CMB_LOG_DP(d, "run: every command slot is taken by ops in flight or not dequeued");
		return -EBUSY;
	}
	ret = submit_one(d, &buf, op, &done);
	if (ret != 0) {
		op_reject(d, op, ret);
		return ret;
	}
	ring_doorbell(d);
	/* ioq_poll() ends it by its timeout at the latest. */
	while (!done) {
		ioq_poll(d);
		if (!done)
			rte_pause();
	}
	return op->result;
}
