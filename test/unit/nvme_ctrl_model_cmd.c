/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe controller model's second half: completions, PRP walking,
 * admin and I/O commands. Everything runs inside a doorbell write
 * (nvme_ctrl_model.c decodes it), to completion, in submission order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvme_ctrl_model_internal.h"

/* ---- Completions ------------------------------------------------------- */

static void
add_rec(struct nvme_model *m, uint16_t sqid, uint16_t cid, uint16_t status,
		uint32_t dw0, enum nvmm_state state)
{
	struct nvmm_rec *r;

	m->rec = nvmm_grow(m->rec, &m->caprec, m->nrec + 1, sizeof(*m->rec));
	r = &m->rec[m->nrec++];
	r->sqid = sqid;
	r->cqid = m->sq[sqid].cqid;
	r->cid = cid;
	r->sqhd = (uint16_t)m->sq[sqid].head;
	r->status = status;
	r->dw0 = dw0;
	r->state = state;
}

static void
drop_rec(struct nvme_model *m, unsigned int i)
{
	memmove(&m->rec[i], &m->rec[i + 1], (m->nrec - i - 1) * sizeof(*m->rec));
	m->nrec--;
}

static bool
post(struct nvme_model *m, struct nvmm_queue *cq, const struct nvmm_rec *r)
{
	uint8_t *p = nvmm_queue_entry(m, cq, cq->tail, NVMM_CQE_SIZE, "CQ entry");
	const struct nvmm_queue *sq = &m->sq[r->sqid];
	struct nvmm_cqe e;

	if (p == NULL)
		return false;
	e.dw0 = r->dw0;
	e.dw1 = 0;
	/* SQ head as it is now: it tells the host how much SQ room it has. */
	e.sqhd = sq->live && sq->cqid == r->cqid ? (uint16_t)sq->head : r->sqhd;
	e.sqid = r->sqid;
	e.cid = r->cid;
	e.status = (uint16_t)(r->status << 1 | cq->phase);
	/* The dword with the phase tag last: the host polls on it. */
	memcpy(p, &e, 12);
	memcpy(p + 12, (uint8_t *)&e + 12, 4);
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
	return true;
}

/*
 * Posts the finished completions for one CQ in order, while there is
 * room: an entry the host has not released (head doorbell) is never
 * overwritten, the completion waits.
 */
static void
flush_cq(struct nvme_model *m, uint16_t cqid)
{
	struct nvmm_queue *cq = &m->cq[cqid];
	unsigned int i = 0;

	while (i < m->nrec && cq->live) {
		struct nvmm_rec *r = &m->rec[i];

		if (r->state != NVMM_READY || r->cqid != cqid) {
			i++;
			continue;
		}
		if ((cq->tail + 1) % cq->size == cq->head || !post(m, cq, r))
			return;
		drop_rec(m, i);
	}
}

static void
complete(struct nvme_model *m, uint16_t sqid, uint16_t cid, uint16_t status,
		uint32_t dw0, enum nvmm_state state)
{
	add_rec(m, sqid, cid, status, dw0, state);
	if (state == NVMM_READY)
		flush_cq(m, m->sq[sqid].cqid);
}

void
nvmm_cq_doorbell(struct nvme_model *m, uint16_t qid, uint32_t v)
{
	struct nvmm_queue *cq = &m->cq[qid];
	uint32_t used = (cq->tail + cq->size - cq->head) % cq->size;
	uint32_t freed = (v + cq->size - cq->head) % cq->size;

	m->st.cq_doorbells++;
	if (freed > used) {
		nvmm_viol(m, "CQ %u head doorbell %u releases entries not posted (head %u, tail %u)",
		          qid, v, cq->head, cq->tail);
		return;
	}
	cq->head = v;
	flush_cq(m, qid);
}

/* ---- PRP walking -------------------------------------------------------- */

/* Where one command's lists and data turned out to be. */
struct nvmm_walk {
	bool data_cmb, data_host, list_cmb, list_host;
};

static uint16_t
prp_data(struct nvme_model *m, uint64_t addr, uint64_t len, struct nvmm_walk *w)
{
	uint16_t st = 0;
	uint8_t *p;
	enum nvmm_where where = nvmm_decode(m, addr, len, "data", &p, &st);

	if (where == NVMM_BAD)
		return st;
	m->seg = nvmm_grow(m->seg, &m->capseg, m->nseg + 1, sizeof(*m->seg));
	m->seg[m->nseg].p = p;
	m->seg[m->nseg].len = len;
	m->seg[m->nseg].cmb = where == NVMM_CMB;
	m->nseg++;
	if (where == NVMM_CMB)
		w->data_cmb = true;
	else
		w->data_host = true;
	return 0;
}

static uint16_t
cmb_refuse(struct nvme_model *m, const char *rule)
{
	nvmm_viol(m, "%s", rule);
	return NVMM_SC_INVALID_CMB;
}

/*
 * The CMB's capability bits say which structures a controller can fetch
 * from its own memory; CDPMLS and CDPCILS say whether it copes with one
 * command's pieces on both sides (it would need two DMA engines, or the
 * command before the list). The spec leaves some of these cases
 * undefined rather than failed; the model refuses them all.
 */
static uint16_t
cmb_rules(struct nvme_model *m, const struct nvmm_walk *w, bool sq_cmb,
		bool to_mem)
{
	uint32_t sz = m->cfg.cmbsz, loc = m->cfg.cmbloc;

	if (w->data_cmb && to_mem && !(sz & NVMM_CMBSZ_RDS))
		return cmb_refuse(m, "data the controller writes (Read) in the CMB without CMBSZ.RDS");
	if (w->data_cmb && !to_mem && !(sz & NVMM_CMBSZ_WDS))
		return cmb_refuse(m, "data the controller reads (Write) in the CMB without CMBSZ.WDS");
	if (w->list_cmb && !(sz & NVMM_CMBSZ_LISTS))
		return cmb_refuse(m, "PRP list in the CMB without CMBSZ.LISTS");
	if (!(loc & NVMM_CMBLOC_CDPMLS) && (w->data_cmb || w->list_cmb) &&
	    (w->data_host || w->list_host))
		return cmb_refuse(m, "one command's PRP list and data both in the CMB and in host memory with CMBLOC.CDPMLS=0");
	if (!(loc & NVMM_CMBLOC_CDPCILS) && w->list_cmb && !sq_cmb)
		return cmb_refuse(m, "PRP list in the CMB for a command in host memory with CMBLOC.CDPCILS=0");
	return 0;
}

/*
 * Turns PRP1/PRP2 into data segments (m->seg) for len bytes, the way the
 * spec lays them out: PRP1 may start inside a page (dword aligned); PRP2
 * is the second page, or for more than two pages a pointer to a PRP list
 * (qword aligned, may start inside its page) whose last slot points to
 * the next list page when more entries follow. Every data entry after
 * PRP1 starts a page. Nothing is copied yet, so a refused command moves
 * no data.
 */
static uint16_t
prp_map(struct nvme_model *m, const struct nvmm_sqe *c, uint64_t len,
		bool sq_cmb, bool to_mem)
{
	uint64_t ps = m->ps, mask = ps - 1, first, rem, n, lp;
	struct nvmm_walk w = { false, false, false, false };
	uint16_t st;

	m->nseg = 0;
	if (c->prp1 & 3)
		return NVMM_SC_PRP_OFFSET;
	first = ps - (c->prp1 & mask);
	if (first > len)
		first = len;
	st = prp_data(m, c->prp1, first, &w);
	if (st != 0)
		return st;
	rem = len - first;
	if (rem != 0 && rem <= ps) {
		if (c->prp2 & mask)
			return NVMM_SC_PRP_OFFSET;
		st = prp_data(m, c->prp2, rem, &w);
		if (st != 0)
			return st;
		rem = 0;
	}
	if (rem != 0)
		m->st.prp_lists++;
	n = (rem + mask) / ps;	/* data entries still to read */
	lp = c->prp2;
	while (n != 0) {
		uint64_t slots, nread, ndata, i, e;
		enum nvmm_where where;
		uint8_t *p;

		if (lp & 7)
			return NVMM_SC_PRP_OFFSET;
		slots = (ps - (lp & mask)) / 8;
		nread = n > slots ? slots : n;
		ndata = n > slots ? slots - 1 : n;
		if (ndata == 0)		/* a list page with only a next pointer */
			return NVMM_SC_PRP_OFFSET;
		where = nvmm_decode(m, lp, nread * 8, "PRP list", &p, &st);
		if (where == NVMM_BAD)
			return st;
		if (where == NVMM_CMB)
			w.list_cmb = true;
		else
			w.list_host = true;
		m->st.prp_list_pages++;
		for (i = 0; i < ndata; i++) {
			uint64_t chunk = rem < ps ? rem : ps;

			memcpy(&e, p + 8 * i, 8);
			if (e & mask)
				return NVMM_SC_PRP_OFFSET;
			st = prp_data(m, e, chunk, &w);
			if (st != 0)
				return st;
			rem -= chunk;
		}
		n -= ndata;
		if (n != 0) {
			memcpy(&lp, p + 8 * (slots - 1), 8);
			m->st.prp_chains++;
		}
	}
	return cmb_rules(m, &w, sq_cmb, to_mem);
}

/* Moves len bytes between buf and the command's data (to_mem: to it). */
static uint16_t
dma(struct nvme_model *m, const struct nvmm_sqe *c, uint8_t *buf,
		uint64_t len, bool to_mem, bool sq_cmb, bool io)
{
	uint16_t st = prp_map(m, c, len, sq_cmb, to_mem);
	unsigned int i;

	if (st != 0)
		return st;
	for (i = 0; i < m->nseg; i++) {
		const struct nvmm_seg *s = &m->seg[i];

		/* memmove: a buggy host may point the PRPs at the disk buffer. */
		if (to_mem)
			memmove(s->p, buf, s->len);
		else
			memmove(buf, s->p, s->len);
		buf += s->len;
		if (io && s->cmb)
			m->st.cmb_data_bytes += s->len;
		else if (io)
			m->st.host_data_bytes += s->len;
	}
	return 0;
}

/* ---- Admin commands ------------------------------------------------------ */

static void
put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n-- != 0) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

/* Identify strings are ASCII, space padded, not NUL terminated. */
static void
put_str(uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s);

	memset(p, ' ', n);
	memcpy(p, s, l < n ? l : n);
}

static uint16_t
identify(struct nvme_model *m, const struct nvmm_sqe *c)
{
	uint8_t buf[4096];

	memset(buf, 0, sizeof(buf));
	switch (c->cdw10 & 0xff) {
	case 0:		/* namespace */
		if (c->nsid != m->cfg.nsid)
			return NVMM_SC_INVALID_NS;
		put_le(buf + 0, m->cfg.nb_lbas, 8);	/* NSZE */
		put_le(buf + 8, m->cfg.nb_lbas, 8);	/* NCAP */
		put_le(buf + 16, m->cfg.nb_lbas, 8);	/* NUSE */
		buf[25] = 0;				/* NLBAF: one format */
		buf[26] = 0;				/* FLBAS: format 0 */
		buf[128 + 2] = (uint8_t)m->cfg.lba_shift; /* LBAF0.LBADS */
		break;
	case 1:		/* controller */
		put_str(buf + 4, 20, "MODEL0001");
		put_str(buf + 24, 40, "nvme_ctrl_model");
		put_str(buf + 64, 8, "1.0");
		buf[77] = m->cfg.mdts;
		put_le(buf + 80, m->cfg.vs, 4);		/* VER */
		put_le(buf + 88, m->cfg.rtd3e_us, 4);	/* RTD3E */
		buf[512] = 0x66;			/* SQES: 64 bytes */
		buf[513] = 0x44;			/* CQES: 16 bytes */
		put_le(buf + 516, m->cfg.nsid, 4);	/* NN: highest NSID */
		break;
	case 2:		/* active namespaces with an NSID above the one given */
		if (c->nsid >= 0xfffffffeu)
			return NVMM_SC_INVALID_NS;
		if (m->cfg.nsid > c->nsid)
			put_le(buf, m->cfg.nsid, 4);
		break;
	default:
		return NVMM_SC_INVALID_FIELD;
	}
	return dma(m, c, buf, sizeof(buf), true, m->sq[0].cmb, false);
}

static uint16_t
set_features(struct nvme_model *m, const struct nvmm_sqe *c, uint32_t *dw0)
{
	uint32_t n = m->cfg.nr_io_queues - 1u;

	if ((c->cdw10 & 0xff) != 0x07)		/* only Number of Queues */
		return NVMM_SC_INVALID_FIELD;
	if ((c->cdw11 & 0xffff) == 0xffff || (c->cdw11 >> 16) == 0xffff)
		return NVMM_SC_INVALID_FIELD;
	*dw0 = n | n << 16;	/* what is granted, whatever was asked */
	return 0;
}

static bool
io_qid_ok(const struct nvme_model *m, uint32_t qid)
{
	return qid != 0 && qid <= m->cfg.nr_io_queues;
}

/*
 * CAP.CQR is set: queues must be physically contiguous (PC=1), which also
 * covers the CMB's CQPDS rule (no PRP-list queues in the CMB).
 */
static uint16_t
create_queue(struct nvme_model *m, const struct nvmm_sqe *c, bool is_sq)
{
	uint32_t qid = c->cdw10 & 0xffff, n = (c->cdw10 >> 16) + 1;
	uint32_t cqid = c->cdw11 >> 16;
	struct nvmm_queue *q = is_sq ? m->sq : m->cq;
	uint16_t st;

	if (!io_qid_ok(m, qid) || q[qid].live)
		return NVMM_SC_QID_INVALID;
	if (is_sq && (!io_qid_ok(m, cqid) || !m->cq[cqid].live))
		return NVMM_SC_CQ_INVALID;
	if (n < 2 || n > (uint32_t)m->cfg.mqes + 1)
		return NVMM_SC_QSIZE_INVALID;
	if (!(c->cdw11 & 1))
		return NVMM_SC_INVALID_FIELD;
	if (is_sq)
		st = nvmm_place_queue(m, &q[qid], c->prp1, n, NVMM_SQE_SIZE,
				      "I/O SQ", NVMM_CMBSZ_SQS, "SQS");
	else
		st = nvmm_place_queue(m, &q[qid], c->prp1, n, NVMM_CQE_SIZE,
				      "I/O CQ", NVMM_CMBSZ_CQS, "CQS");
	if (st != 0 || !is_sq)
		return st;
	q[qid].cqid = (uint16_t)cqid;
	m->cq[cqid].users++;
	return 0;
}

/* The SQ's commands still outstanding complete as aborted first. */
static uint16_t
delete_sq(struct nvme_model *m, const struct nvmm_sqe *c)
{
	uint32_t qid = c->cdw10 & 0xffff;
	unsigned int i;
	uint16_t cqid;

	if (!io_qid_ok(m, qid) || !m->sq[qid].live)
		return NVMM_SC_QID_INVALID;
	cqid = m->sq[qid].cqid;
	for (i = 0; i < m->nrec; i++) {
		if (m->rec[i].sqid == qid && m->rec[i].state != NVMM_READY) {
			m->rec[i].state = NVMM_READY;
			m->rec[i].status = NVMM_SC_ABORT_SQ_DEL;
			m->rec[i].dw0 = 0;
		}
	}
	flush_cq(m, cqid);
	m->sq[qid].live = false;
	m->cq[cqid].users--;
	return 0;
}

static uint16_t
delete_cq(struct nvme_model *m, const struct nvmm_sqe *c)
{
	uint32_t qid = c->cdw10 & 0xffff;
	unsigned int i = 0;

	if (!io_qid_ok(m, qid) || !m->cq[qid].live)
		return NVMM_SC_QID_INVALID;
	if (m->cq[qid].users != 0)
		return NVMM_SC_QDEL_INVALID;
	/* Completions of deleted SQs still waiting for room have nowhere to go. */
	while (i < m->nrec) {
		if (m->rec[i].cqid == qid)
			drop_rec(m, i);
		else
			i++;
	}
	m->cq[qid].live = false;
	return 0;
}

static uint16_t
admin_cmd(struct nvme_model *m, const struct nvmm_sqe *c, uint32_t *dw0)
{
	if (c->flags & 0xc3)	/* fused commands and SGLs: not supported */
		return NVMM_SC_INVALID_FIELD;
	switch (c->opc) {
	case 0x00: return delete_sq(m, c);
	case 0x01: return create_queue(m, c, true);
	case 0x04: return delete_cq(m, c);
	case 0x05: return create_queue(m, c, false);
	case 0x06: return identify(m, c);
	case 0x09: return set_features(m, c, dw0);
	default: return NVMM_SC_INVALID_OPCODE;
	}
}

/* ---- I/O commands --------------------------------------------------------- */

static uint16_t
io_cmd(struct nvme_model *m, uint16_t qid, const struct nvmm_sqe *c)
{
	uint64_t slba, nlb, len, mdts_bytes;
	bool is_read = c->opc == 0x02;
	uint16_t st;

	if (c->opc > 0x02)
		return NVMM_SC_INVALID_OPCODE;
	if (c->flags & 0xc3)
		return NVMM_SC_INVALID_FIELD;
	if (c->nsid != m->cfg.nsid)
		return NVMM_SC_INVALID_NS;
	if (c->opc == 0x00) {		/* Flush: nothing is volatile here */
		m->st.flushes++;
		return 0;
	}
	slba = c->cdw10 | (uint64_t)c->cdw11 << 32;
	nlb = (c->cdw12 & 0xffff) + 1ull;
	if (slba >= m->cfg.nb_lbas || nlb > m->cfg.nb_lbas - slba)
		return NVMM_SC_LBA_RANGE;
	len = nlb << m->cfg.lba_shift;
	mdts_bytes = (4096ull << m->cfg.mpsmin) << m->cfg.mdts;
	if (m->cfg.mdts != 0 && len > mdts_bytes)
		return NVMM_SC_INVALID_FIELD;
	st = dma(m, c, m->disk + (slba << m->cfg.lba_shift), len, is_read,
		 m->sq[qid].cmb, true);
	if (st != 0)
		return st;
	if (is_read) {
		m->st.reads++;
		m->st.bytes_read += len;
	} else {
		m->st.writes++;
		m->st.bytes_written += len;
	}
	if (len > m->st.max_xfer_seen)
		m->st.max_xfer_seen = len;
	return 0;
}

static bool
take_fail(struct nvme_model *m, bool admin, uint8_t opc, uint16_t *st)
{
	unsigned int i;

	for (i = 0; i < NVMM_MAX_FAILS; i++) {
		struct nvmm_fail *f = &m->fail[i];

		if (f->count != 0 && f->admin == admin && f->opc == opc) {
			f->count--;
			*st = f->status;
			return true;
		}
	}
	return false;
}

static void
execute(struct nvme_model *m, uint16_t qid, const struct nvmm_sqe *c)
{
	bool admin = qid == 0;
	enum nvmm_state state = NVMM_READY;
	uint32_t dw0 = 0;
	uint16_t st;

	if (admin)
		m->st.admin_cmds++;
	else
		m->st.io_cmds++;
	if (m->hang || (m->io_hang && !admin)) {
		add_rec(m, qid, c->cid, 0, 0, NVMM_HUNG);
		return;
	}
	if (!take_fail(m, admin, c->opc, &st))
		st = admin ? admin_cmd(m, c, &dw0) : io_cmd(m, qid, c);
	if (admin && m->late_armed) {
		m->late_armed = false;
		state = NVMM_LATE;
	}
	complete(m, qid, c->cid, st, dw0, state);
}

/* Consumes every entry up to the new tail, in order, at once. */
void
nvmm_sq_doorbell(struct nvme_model *m, uint16_t qid, uint32_t v)
{
	struct nvmm_queue *sq = &m->sq[qid];
	unsigned int i;

	m->st.sq_doorbells++;
	if (qid == 0) {
		/* LATE_ADMIN: the held completion comes before anything new. */
		for (i = 0; i < m->nrec; i++)
			if (m->rec[i].state == NVMM_LATE)
				m->rec[i].state = NVMM_READY;
		flush_cq(m, 0);
	}
	sq->tail = v;
	while (sq->live && sq->head != sq->tail && !(m->csts & NVMM_CSTS_CFS)) {
		uint8_t *p = nvmm_queue_entry(m, sq, sq->head, NVMM_SQE_SIZE, "SQ entry");
		struct nvmm_sqe c;

		if (p == NULL)
			return;
		memcpy(&c, p, sizeof(c));
		sq->head = (sq->head + 1) % sq->size;
		execute(m, qid, &c);
	}
}
