/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A register-level NVMe controller model for unit tests (see
 * nvme_ctrl_model.h for how a test drives it), first half: registers,
 * the CMB window and address decode, faults and observations. The
 * commands are in nvme_ctrl_model_cmd.c.
 *
 * Register offsets, field positions and status values are the NVMe base
 * specification's (1.4); where the specification leaves the controller's
 * behaviour open the model picks the strict reading and records the
 * host's mistake as a violation.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "nvme_ctrl_model_internal.h"

void
nvmm_viol(struct nvme_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->viol_last, sizeof(m->viol_last), fmt, ap);
	va_end(ap);
	if (m->nviol++ == 0)
		memcpy(m->viol_first, m->viol_last, sizeof(m->viol_first));
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Growing arrays: running out of memory in a test tool is not recoverable. */
void *
nvmm_grow(void *p, unsigned int *cap, unsigned int need, size_t elem)
{
	unsigned int n = *cap ? *cap : 16;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (p == NULL) {
		fprintf(stderr, "nvme_ctrl_model: out of memory\n");
		abort();
	}
	*cap = n;
	return p;
}

/* ---- Registers ---------------------------------------------------------- */

static uint32_t
get32(const struct nvme_model *m, uint32_t off)
{
	uint32_t v;

	memcpy(&v, m->bar0 + off, 4);
	return v;
}

static uint64_t
get64(const struct nvme_model *m, uint32_t off)
{
	return get32(m, off) | (uint64_t)get32(m, off + 4) << 32;
}

static void
put32(struct nvme_model *m, uint32_t off, uint32_t v)
{
	memcpy(m->bar0 + off, &v, 4);
}

/*
 * 1.4 scheme: CMBLOC and CMBSZ describe the CMB only while CMBMSC.CRE is
 * set, so that software unaware of CMBMSC does not use a CMB it cannot
 * place (it has no CBA); legacy controllers report them from the start.
 */
static bool
cmb_regs_visible(const struct nvme_model *m)
{
	return !m->cfg.cmbs || (get64(m, NVMM_REG_CMBMSC) & NVMM_CMBMSC_CRE);
}

/* Puts back every register the model owns, whatever the host stored there. */
static void
sync_regs(struct nvme_model *m)
{
	bool vis = cmb_regs_visible(m);

	put32(m, NVMM_REG_CAP, (uint32_t)m->cap);
	put32(m, NVMM_REG_CAP + 4, (uint32_t)(m->cap >> 32));
	put32(m, NVMM_REG_VS, m->cfg.vs);
	put32(m, NVMM_REG_INTMS, m->intms);
	put32(m, NVMM_REG_INTMC, m->intms);
	put32(m, NVMM_REG_CSTS, m->csts);
	put32(m, NVMM_REG_CMBLOC, vis ? m->cfg.cmbloc : 0);
	put32(m, NVMM_REG_CMBSZ, vis ? m->cfg.cmbsz : 0);
	put32(m, NVMM_REG_CMBSTS, m->cmbsts);
	if (!m->cfg.cmbs) {
		put32(m, NVMM_REG_CMBMSC, 0);
		put32(m, NVMM_REG_CMBMSC + 4, 0);
	}
}

static void
apply_rdy(struct nvme_model *m, bool on)
{
	m->rdy_pending = false;
	if (on)
		m->csts |= NVMM_CSTS_RDY;
	else
		m->csts &= ~NVMM_CSTS_RDY;
}

/* CSTS.RDY follows CC.EN after ready_delay_ms, as a slow controller's does. */
static void
set_rdy(struct nvme_model *m, bool on)
{
	if (m->never_ready)
		return;
	if (m->cfg.ready_delay_ms == 0) {
		apply_rdy(m, on);
		return;
	}
	m->rdy_pending = true;
	m->rdy_target = on;
	m->rdy_due_ns = now_ns() + (uint64_t)m->cfg.ready_delay_ms * 1000000ull;
}

static void
tick(struct nvme_model *m)
{
	if (m->rdy_pending && !m->never_ready && now_ns() >= m->rdy_due_ns)
		apply_rdy(m, m->rdy_target);
	if (m->shst_pending && now_ns() >= m->shst_due_ns) {
		m->shst_pending = false;
		m->csts = (m->csts & ~NVMM_CSTS_SHST_MASK) | NVMM_CSTS_SHST_DONE;
		m->st.shutdowns++;
	}
	if (m->removed)
		memset(m->bar0, 0xff, m->cfg.bar0_size);
}

/* CC.EN 0->1: latch the configuration and the admin queues. */
static void
enable(struct nvme_model *m, uint32_t cc)
{
	unsigned int mps = (cc >> 7) & 0xf, css = (cc >> 4) & 7;
	unsigned int ams = (cc >> 11) & 7;
	unsigned int iosqes = (cc >> 16) & 0xf, iocqes = (cc >> 20) & 0xf;
	uint32_t aqa = get32(m, NVMM_REG_AQA);
	uint64_t asq = get64(m, NVMM_REG_ASQ), acq = get64(m, NVMM_REG_ACQ);
	uint32_t asqs = (aqa & 0xfff) + 1, acqs = ((aqa >> 16) & 0xfff) + 1;
	const char *why = NULL;

	/* A reset is complete only once RDY reads 0; enabling before is undefined. */
	if (m->csts & NVMM_CSTS_RDY)
		nvmm_viol(m, "CC.EN set while CSTS.RDY=1 (the reset before has not finished)");
	m->en = true;
	m->st.enables++;
	m->rdy_pending = false;
	m->ps = 4096u << mps;
	if (mps < m->cfg.mpsmin || mps > m->cfg.mpsmax)
		why = "CC.MPS outside CAP.MPSMIN..MPSMAX";
	else if (iosqes != 6 || iocqes != 4)
		why = "CC.IOSQES/IOCQES other than 6/4 (64/16-byte entries)";
	else if (css != 0 || ams != 0)
		why = "CC.CSS or CC.AMS the controller does not support";
	else if (asqs < 2 || acqs < 2)
		why = "AQA: an admin queue of one entry";
	else if (nvmm_place_queue(m, &m->sq[0], asq, asqs, NVMM_SQE_SIZE,
			"admin SQ", NVMM_CMBSZ_SQS, "SQS") != 0 ||
		 nvmm_place_queue(m, &m->cq[0], acq, acqs, NVMM_CQE_SIZE,
			"admin CQ", NVMM_CMBSZ_CQS, "CQS") != 0)
		why = "admin queues the controller cannot use (ASQ/ACQ)";
	if (why != NULL) {
		/* The spec leaves this undefined; a fatal status is the loud choice. */
		nvmm_viol(m, "CC.EN set with %s", why);
		m->csts |= NVMM_CSTS_CFS;
		return;
	}
	m->sq[0].cqid = 0;
	m->cq[0].users = 1;
	set_rdy(m, true);
}

/*
 * CC.EN 1->0: a controller reset. Queues and outstanding commands go; the
 * CMB window stays as CMBMSC says, AQA/ASQ/ACQ stay as the host wrote them.
 */
static void
disable(struct nvme_model *m)
{
	unsigned int outstanding = m->nrec;

	/*
	 * Controllers are allowed to ignore EN until an enable has finished
	 * (RDY=1), so a host that clears it early may leave the controller
	 * enabled; only a controller that failed is excused.
	 */
	if (!(m->csts & NVMM_CSTS_RDY) && !(m->csts & NVMM_CSTS_CFS))
		nvmm_viol(m, "CC.EN cleared while CSTS.RDY=0 (an enable still under way)");
	m->en = false;
	m->nrec = 0;
	memset(m->sq, 0, sizeof(m->sq));
	memset(m->cq, 0, sizeof(m->cq));
	m->csts &= ~(NVMM_CSTS_CFS | NVMM_CSTS_SHST_MASK);
	m->shst_pending = false;
	m->st.resets++;
	set_rdy(m, false);
	if (m->reset_cb != NULL)
		m->reset_cb(m->reset_arg, outstanding);
}

static void
cc_write(struct nvme_model *m, uint32_t cc)
{
	unsigned int old_shn = (m->cc >> 14) & 3, shn = (cc >> 14) & 3;

	m->cc = cc;
	if (!m->en && (cc & NVMM_CC_EN))
		enable(m, cc);
	else if (m->en && !(cc & NVMM_CC_EN))
		disable(m);
	/*
	 * Nothing to flush to media here: a shutdown completes at once, or
	 * after shutdown_delay_ms (SHST reads "occurring", 01b, meanwhile).
	 */
	if (shn == 0) {
		m->csts &= ~NVMM_CSTS_SHST_MASK;
		m->shst_pending = false;
	} else if (m->en && old_shn == 0 && m->cfg.shutdown_delay_ms != 0) {
		m->csts = (m->csts & ~NVMM_CSTS_SHST_MASK) | (1u << 2);
		m->shst_pending = true;
		m->shst_due_ns = now_ns() + (uint64_t)m->cfg.shutdown_delay_ms * 1000000ull;
	} else if (m->en && old_shn == 0) {
		m->csts = (m->csts & ~NVMM_CSTS_SHST_MASK) | NVMM_CSTS_SHST_DONE;
		m->st.shutdowns++;
	}
}

/*
 * CMBMSC: CRE exposes CMBLOC/CMBSZ, CMSE with CBA opens the controller
 * memory space window. The host writes the high dword first, so the low
 * dword's write (final) is the one whose refusal is the host's mistake;
 * after the high one alone the register may hold a half-written CBA.
 */
static void
cmbmsc_update(struct nvme_model *m, bool final)
{
	uint64_t v = get64(m, NVMM_REG_CMBMSC);
	uint64_t cba = v & ~0xfffull, want = m->cfg.cmb_bar_bus + m->cmb_off;

	m->win_on = false;
	m->cmbsts = 0;
	if (!(v & NVMM_CMBMSC_CRE) || !(v & NVMM_CMBMSC_CMSE))
		return;
	/* CBA says where the host's bus sees the CMB: it must be the BAR's. */
	if (m->cmb_size == 0 || cba != want || (v & 0xffc)) {
		m->cmbsts = NVMM_CMBSTS_CBAI;
		if (final)
			nvmm_viol(m, "CMBMSC.CMSE set with CBA 0x%llx, not the CMB's bus address 0x%llx (CMBSTS.CBAI)",
			          (unsigned long long)(v & ~0x3ull),
			          (unsigned long long)want);
		return;
	}
	m->win_on = true;
	m->win_base = cba;
}

static void
doorbell_write(struct nvme_model *m, uint32_t off)
{
	uint32_t rel = off - NVMM_REG_DBS, v = get32(m, off);
	uint32_t idx = rel / m->stride;
	uint32_t qid = idx / 2;
	bool is_cq = idx & 1;
	struct nvmm_queue *q;

	if (rel % m->stride != 0) {
		nvmm_viol(m, "write between doorbells (offset 0x%x, stride %u)", off, m->stride);
		return;
	}
	if (m->csts & NVMM_CSTS_CFS)
		return;		/* a failed controller does nothing */
	if (!m->en || !(m->csts & NVMM_CSTS_RDY)) {
		nvmm_viol(m, "doorbell written while the controller is not ready (offset 0x%x)", off);
		return;
	}
	q = qid < NVMM_NQ ? (is_cq ? &m->cq[qid] : &m->sq[qid]) : NULL;
	if (q == NULL || !q->live) {
		nvmm_viol(m, "doorbell of a queue that does not exist (%s %u)",
		          is_cq ? "CQ" : "SQ", qid);
		return;
	}
	/* The upper 16 bits are reserved; a value past the queue is invalid. */
	if (v >= q->size) {
		nvmm_viol(m, "%s %u doorbell value %u past the queue's %u entries",
		          is_cq ? "CQ" : "SQ", qid, v, q->size);
		return;
	}
	if (is_cq)
		nvmm_cq_doorbell(m, (uint16_t)qid, v);
	else
		nvmm_sq_doorbell(m, (uint16_t)qid, v);
}

static const char *
reg_name(uint32_t off)
{
	switch (off & ~3u) {
	case NVMM_REG_CAP: case NVMM_REG_CAP + 4: return "CAP";
	case NVMM_REG_VS: return "VS";
	case NVMM_REG_CSTS: return "CSTS";
	case NVMM_REG_CMBLOC: return "CMBLOC";
	case NVMM_REG_CMBSZ: return "CMBSZ";
	case NVMM_REG_CMBSTS: return "CMBSTS";
	default: return NULL;
	}
}

/* One dword of BAR0 the host wrote; returns whether it was CMBMSC. */
static bool
reg_dword_written(struct nvme_model *m, uint32_t off)
{
	uint32_t v = get32(m, off);
	const char *name;

	if (off >= NVMM_REG_DBS) {
		doorbell_write(m, off);
		return false;
	}
	switch (off) {
	case NVMM_REG_INTMS:
		m->intms |= v;
		return false;
	case NVMM_REG_INTMC:
		m->intms &= ~v;
		return false;
	case NVMM_REG_CC:
		cc_write(m, v);
		return false;
	case NVMM_REG_AQA:
	case NVMM_REG_ASQ: case NVMM_REG_ASQ + 4:
	case NVMM_REG_ACQ: case NVMM_REG_ACQ + 4:
		return false;	/* latched at the next enable */
	case NVMM_REG_CMBMSC: case NVMM_REG_CMBMSC + 4:
		if (m->cfg.cmbs)
			return true;
		nvmm_viol(m, "CMBMSC written with CAP.CMBS=0 (reserved register)");
		return false;
	}
	name = reg_name(off);
	if (name != NULL) {
		nvmm_viol(m, "write to read-only register %s (offset 0x%x)", name, off);
	} else {
		nvmm_viol(m, "write to reserved or unimplemented register offset 0x%x", off);
		put32(m, off, 0);
	}
	return false;
}

void
nvme_model_reg_written(struct nvme_model *m, uint32_t off, unsigned int len)
{
	bool cmbmsc = false, final = false;
	uint32_t o;

	tick(m);
	if (m->removed)
		return;
	if (off >= m->cfg.bar0_size || len > m->cfg.bar0_size - off) {
		nvmm_viol(m, "register write past the end of BAR0 (offset 0x%x, %u bytes, BAR0 0x%llx bytes)",
		          off, len, (unsigned long long)m->cfg.bar0_size);
		return;
	}
	if ((off & 3) || (len != 4 && len != 8)) {
		nvmm_viol(m, "register write of other than one or two aligned dwords (offset 0x%x, %u bytes)",
		          off, len);
		sync_regs(m);
		return;
	}
	for (o = off; o < off + len; o += 4) {
		if (reg_dword_written(m, o)) {
			cmbmsc = true;
			final |= o == NVMM_REG_CMBMSC;
		}
	}
	if (cmbmsc)
		cmbmsc_update(m, final);
	sync_regs(m);
}

void
nvme_model_reg_read(struct nvme_model *m, uint32_t off)
{
	tick(m);
	if (m->removed)
		return;
	if (off >= m->cfg.bar0_size || m->cfg.bar0_size - off < 4)
		nvmm_viol(m, "register read past the end of BAR0 (offset 0x%x)", off);
	else if (off & 3)
		nvmm_viol(m, "register read not dword aligned (offset 0x%x)", off);
	sync_regs(m);
}

void
nvme_model_step(struct nvme_model *m)
{
	tick(m);
	if (!m->removed)
		sync_regs(m);
}

/* ---- Address decode ------------------------------------------------------ */

/*
 * Where a DMA of [addr, addr + len) goes: the CMB when it is inside the
 * enabled window, host memory (bus address == VA) when it is clear of the
 * CMB BAR altogether. Anything else is a violation, with the status the
 * command fails with in *st.
 */
enum nvmm_where
nvmm_decode(struct nvme_model *m, uint64_t addr, uint64_t len, const char *what,
		uint8_t **p, uint16_t *st)
{
	uint64_t end = addr + len;
	uint64_t bar = m->cfg.cmb_bar_bus, bar_end = bar + m->cfg.cmb_bar_size;

	if (len == 0 || end < addr) {
		nvmm_viol(m, "%s wraps the bus address space (0x%llx)", what,
		          (unsigned long long)addr);
		*st = NVMM_SC_DATA_XFER;
		return NVMM_BAD;
	}
	if (m->win_on) {
		uint64_t wb = m->win_base, we = wb + m->cmb_size;

		if (addr >= wb && end <= we) {
			uint64_t off = m->cmb_off + (addr - wb);

			if (off > m->cfg.cmb_bar_size ||
			    len > m->cfg.cmb_bar_size - off) {
				nvmm_viol(m, "%s in the CMB window but past the end of its BAR (bus 0x%llx)",
				          what, (unsigned long long)addr);
				*st = NVMM_SC_DATA_XFER;
				return NVMM_BAD;
			}
			*p = m->cmb + off;
			return NVMM_CMB;
		}
		if (addr < we && end > wb) {
			nvmm_viol(m, "%s straddles the CMB window edge (bus 0x%llx, %llu bytes)",
			          what, (unsigned long long)addr,
			          (unsigned long long)len);
			*st = NVMM_SC_INVALID_CMB;
			return NVMM_BAD;
		}
	}
	/* The BAR's bus range is the device's, never host memory. */
	if (m->cfg.cmb_bar_size != 0 && addr < bar_end && end > bar) {
		nvmm_viol(m, "%s in the CMB BAR outside the enabled CMB window (bus 0x%llx)",
		          what, (unsigned long long)addr);
		*st = NVMM_SC_INVALID_CMB;
		return NVMM_BAD;
	}
	/* Cheap guards against garbage: the zero page, non-canonical addresses. */
	if (addr < 4096 || end > (1ull << 48) || (uintptr_t)addr != addr) {
		nvmm_viol(m, "%s at bus address 0x%llx, not a host address", what,
		          (unsigned long long)addr);
		*st = NVMM_SC_DATA_XFER;
		return NVMM_BAD;
	}
	*p = (uint8_t *)(uintptr_t)addr;
	return NVMM_HOST;
}

/* Decides where a queue is; CMB placement needs the CMBSZ support bit. */
uint16_t
nvmm_place_queue(struct nvme_model *m, struct nvmm_queue *q, uint64_t base,
		uint32_t n, uint32_t esz, const char *what, uint32_t cmbsz_bit,
		const char *bit_name)
{
	enum nvmm_where w;
	uint16_t st = 0;
	uint8_t *p;

	if (base & (m->ps - 1))
		return NVMM_SC_PRP_OFFSET;	/* queues are page aligned */
	w = nvmm_decode(m, base, (uint64_t)n * esz, what, &p, &st);
	if (w == NVMM_BAD)
		return st;
	if (w == NVMM_CMB && !(m->cfg.cmbsz & cmbsz_bit)) {
		nvmm_viol(m, "%s in the CMB without CMBSZ.%s", what, bit_name);
		return NVMM_SC_INVALID_CMB;
	}
	memset(q, 0, sizeof(*q));
	q->live = true;
	q->cmb = w == NVMM_CMB;
	q->base = base;
	q->size = n;
	q->phase = 1;
	return 0;
}

/*
 * A queue entry's memory: on the side of the window the queue was created
 * on, or the host moved the window under a live queue.
 */
uint8_t *
nvmm_queue_entry(struct nvme_model *m, const struct nvmm_queue *q, uint32_t idx,
		uint32_t esz, const char *what)
{
	uint16_t st;
	uint8_t *p;
	enum nvmm_where w = nvmm_decode(m, q->base + (uint64_t)idx * esz, esz, what,
				        &p, &st);

	if (w == NVMM_BAD)
		return NULL;
	if ((w == NVMM_CMB) != q->cmb) {
		nvmm_viol(m, "%s changed sides of the CMB window since its queue was created",
		          what);
		return NULL;
	}
	return p;
}

/* ---- Faults, life cycle, observations -------------------------------------- */

void
nvme_model_fault(struct nvme_model *m, enum nvme_model_fault f)
{
	switch (f) {
	case NVME_MODEL_OK:
		m->hang = m->io_hang = m->never_ready = m->late_armed = false;
		break;
	case NVME_MODEL_HANG:
		m->hang = true;
		break;
	case NVME_MODEL_IO_HANG:
		m->io_hang = true;
		break;
	case NVME_MODEL_LATE_ADMIN:
		m->late_armed = true;
		break;
	case NVME_MODEL_REMOVED:
		/*
		 * Reads of a gone device complete with all ones. The CMB is
		 * filled once: the host's own later stores to it stay
		 * visible, as no hook runs on CMB accesses.
		 */
		m->removed = true;
		memset(m->bar0, 0xff, m->cfg.bar0_size);
		if (m->cfg.cmb_bar_size != 0)
			memset(m->cmb, 0xff, m->cfg.cmb_bar_size);
		return;
	case NVME_MODEL_FATAL:
		m->csts |= NVMM_CSTS_CFS;
		break;
	case NVME_MODEL_NEVER_READY:
		m->never_ready = true;
		break;
	}
	if (!m->removed)
		sync_regs(m);
}

void
nvme_model_fail_next(struct nvme_model *m, bool admin, uint8_t opc,
		uint16_t status, unsigned int count)
{
	struct nvmm_fail *slot = NULL;
	unsigned int i;

	for (i = 0; i < NVMM_MAX_FAILS; i++) {
		struct nvmm_fail *f = &m->fail[i];

		if (f->count != 0 && f->admin == admin && f->opc == opc) {
			slot = f;
			break;
		}
		if (f->count == 0 && slot == NULL)
			slot = f;
	}
	if (slot == NULL) {
		fprintf(stderr, "nvme_ctrl_model: more than %d fail_next rules\n",
			NVMM_MAX_FAILS);
		abort();
	}
	slot->admin = admin;
	slot->opc = opc;
	slot->status = status & 0x7ff;
	slot->count = count;
}

void
nvme_model_on_reset(struct nvme_model *m,
		void (*cb)(void *arg, unsigned int outstanding), void *arg)
{
	m->reset_cb = cb;
	m->reset_arg = arg;
}

void
nvme_model_cfg_default(struct nvme_model_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->mqes = 2047;
	c->to = 15;
	c->dstrd = 0;
	c->mpsmin = 0;
	c->mpsmax = 4;
	c->cmbs = true;
	c->vs = 0x00010400;			/* 1.4.0 */
	c->bar0_size = 16384;
	c->cmbloc = 2 | NVMM_CMBLOC_CDPMLS | NVMM_CMBLOC_CDPCILS; /* BAR2, offset 0 */
	c->cmbsz = 64u << NVMM_CMBSZ_SZ_SHIFT | 2u << NVMM_CMBSZ_SZU_SHIFT |
		NVMM_CMBSZ_SQS | NVMM_CMBSZ_LISTS | NVMM_CMBSZ_RDS |
		NVMM_CMBSZ_WDS;			/* 64 units of 1 MiB */
	c->cmb_bar_size = 64ull << 20;
	c->cmb_bar_bus = 0x7e0000000000ull;
	c->mdts = 7;
	c->rtd3e_us = 0;
	c->ready_delay_ms = 0;
	c->lba_shift = 9;
	c->nb_lbas = 32768;
	c->nsid = 1;
	c->nr_io_queues = 1;
}

/*
 * Zeroed memory, page aligned (as a BAR mapping is) and backed only
 * where touched: a test makes many models with a 64 MiB CMB, and
 * calloc() would fill it under MALLOC_PERTURB_ (meson test sets it).
 */
static uint8_t *
zmap(uint64_t size)
{
	void *p;

	if (size == 0 || size != (size_t)size)
		return NULL;
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void
zunmap(void *p, uint64_t size)
{
	if (p != NULL)
		munmap(p, (size_t)size);
}

static bool
cfg_ok(const struct nvme_model_cfg *c, uint64_t *cmb_off, uint64_t *cmb_size)
{
	uint64_t stride = 4ull << c->dstrd, unit;
	unsigned int szu = (c->cmbsz >> NVMM_CMBSZ_SZU_SHIFT) & 0xf;
	unsigned int bir = c->cmbloc & 7;

	*cmb_off = *cmb_size = 0;
	if (c->mqes == 0 || c->dstrd > 15 || c->mpsmin > c->mpsmax ||
	    c->mpsmax > 15 || c->mdts > 30)
		return false;
	if (c->bar0_size % 4 != 0 || c->bar0_size > UINT32_MAX ||
	    c->bar0_size < NVMM_REG_DBS + 2 * NVMM_NQ * stride)
		return false;
	if (c->lba_shift < 9 || c->lba_shift > 16 || c->nb_lbas == 0 ||
	    c->nb_lbas > (UINT64_MAX >> 1) >> c->lba_shift)
		return false;
	if (c->nsid == 0 || c->nsid >= 0xfffffffeu ||
	    c->nr_io_queues > NVME_MODEL_MAX_IO_QUEUES)
		return false;
	if (c->cmb_bar_bus & 0xfff ||
	    c->cmb_bar_bus + c->cmb_bar_size < c->cmb_bar_bus)
		return false;
	if (c->cmbsz == 0)
		return true;
	/* A CMB in BAR0 (or BAR0's upper half) is not what this model maps. */
	if (szu > 6 || bir < 2 || bir > 5 || c->cmb_bar_size == 0)
		return false;
	unit = 4096ull << (4 * szu);
	*cmb_off = (uint64_t)(c->cmbloc >> 12) * unit;
	*cmb_size = (uint64_t)(c->cmbsz >> 12) * unit;
	/*
	 * The CMB must start inside its BAR; it may claim to run past the
	 * end, so that a test can model a controller whose registers lie.
	 */
	return *cmb_size != 0 && *cmb_off < c->cmb_bar_size;
}

struct nvme_model *
nvme_model_create(const struct nvme_model_cfg *c)
{
	struct nvme_model *m;
	uint64_t off, size;

	if (c == NULL || !cfg_ok(c, &off, &size))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->cfg = *c;
	if (m->cfg.nr_io_queues == 0)
		m->cfg.nr_io_queues = 1;
	m->cmb_off = off;
	m->cmb_size = size;
	m->stride = 4u << c->dstrd;
	/* A guard page past BAR0, so a host's stray store hits model memory. */
	m->bar0 = zmap(c->bar0_size + 4096);
	m->cmb = c->cmb_bar_size ? zmap(c->cmb_bar_size) : NULL;
	m->disk = zmap(c->nb_lbas << c->lba_shift);
	if (m->bar0 == NULL || (c->cmb_bar_size && m->cmb == NULL) ||
	    m->disk == NULL) {
		nvme_model_destroy(m);
		return NULL;
	}
	m->cap = c->mqes | 1ull << 16 |		/* CQR: contiguous queues */
		(uint64_t)c->to << 24 | (uint64_t)c->dstrd << 32 |
		1ull << 37 |			/* CSS: NVM command set */
		(uint64_t)c->mpsmin << 48 | (uint64_t)c->mpsmax << 52 |
		(c->cmbs ? 1ull << 57 : 0);
	m->ps = 4096u << c->mpsmin;
	/* Legacy controllers decode their CMB from the start. */
	if (!c->cmbs && size != 0) {
		m->win_on = true;
		m->win_base = c->cmb_bar_bus + off;
	}
	sync_regs(m);
	return m;
}

void
nvme_model_destroy(struct nvme_model *m)
{
	if (m == NULL)
		return;
	zunmap(m->bar0, m->cfg.bar0_size + 4096);
	zunmap(m->cmb, m->cfg.cmb_bar_size);
	zunmap(m->disk, m->cfg.nb_lbas << m->cfg.lba_shift);
	free(m->rec);
	free(m->seg);
	free(m);
}

volatile uint8_t *
nvme_model_bar0(struct nvme_model *m)
{
	return m->bar0;
}

uint8_t *
nvme_model_cmb_bar(struct nvme_model *m)
{
	return m->cmb;
}

uint8_t *
nvme_model_disk(struct nvme_model *m)
{
	return m->disk;
}

void
nvme_model_stats(const struct nvme_model *m, struct nvme_model_stats *s)
{
	unsigned int q;

	*s = m->st;
	s->outstanding = m->nrec;
	s->io_queues = 0;
	for (q = 1; q < NVMM_NQ; q++)
		s->io_queues += m->sq[q].live;
	s->enabled = m->en;
}

unsigned int
nvme_model_violations(const struct nvme_model *m, const char **first)
{
	if (first != NULL)
		*first = m->nviol ? m->viol_first : NULL;
	return m->nviol;
}

const char *
nvme_model_last_violation(const struct nvme_model *m)
{
	return m->nviol ? m->viol_last : NULL;
}

void
nvme_model_clear_violations(struct nvme_model *m)
{
	m->nviol = 0;
	m->viol_first[0] = m->viol_last[0] = '\0';
}
