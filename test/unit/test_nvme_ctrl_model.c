/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe controller model (nvme_ctrl_model.c) on its own, before the
 * driver's tests trust it: a minimal host in this file brings it up
 * through its registers, creates queues, moves data with every PRP
 * shape, and breaks each CMB rule and each fault once. Data is checked
 * in the model's disk buffer byte for byte, so a model that drops or
 * misplaces a page fails here, not in a driver test.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvme_ctrl_model.h"
#include "test_nvme_cmb_check.h"

#define PS		4096u
#define R_CAP		0x00
#define R_VS		0x08
#define R_CC		0x14
#define R_CSTS		0x1c
#define R_AQA		0x24
#define R_ASQ		0x28
#define R_ACQ		0x30
#define R_CMBLOC	0x38
#define R_CMBSZ		0x3c
#define R_CMBMSC	0x50
#define R_CMBSTS	0x58
#define CC_EN		1u
#define CC_IOES		(6u << 16 | 4u << 20)	/* 64/16-byte entries */
#define CSTS_RDY	1u
#define CSTS_CFS	2u

struct tsqe {
	uint8_t opc, flags;
	uint16_t cid;
	uint32_t nsid, cdw2, cdw3;
	uint64_t mptr, prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

struct tcqe {
	uint32_t dw0, dw1;
	uint16_t sqhd, sqid, cid, status;
};

/* One queue pair as the host sees it. */
struct tq {
	uint16_t qid;
	uint8_t *sq, *cq;	/* CPU views */
	uint64_t sq_bus, cq_bus;
	uint32_t n, sq_tail, cq_head;
	uint8_t phase;
};

struct host {
	struct nvme_model *m;
	struct nvme_model_cfg cfg;
	volatile uint8_t *bar0;
	uint8_t *cmb;		/* CPU view of the CMB's first byte */
	uint64_t cmb_bus;	/* its bus address */
	uint32_t stride, ps;
	uint16_t cid;
	struct tq aq, io;
};

/* Host memory: aligned for any page size used here, freed per host. */
static void *allocs[64];
static unsigned int nallocs;

static uint8_t *
hmem(size_t n)
{
	size_t sz = (n + 65535) & ~(size_t)65535;
	uint8_t *p = aligned_alloc(65536, sz);

	if (p == NULL || nallocs == 64) {
		fprintf(stderr, "out of host memory\n");
		exit(2);
	}
	memset(p, 0, sz);
	allocs[nallocs++] = p;
	return p;
}

static uint64_t
bus(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void
msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
w32(struct host *h, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(h->bar0 + off) = v;
	nvme_model_reg_written(h->m, off, 4);
}

static uint32_t
r32(struct host *h, uint32_t off)
{
	nvme_model_reg_read(h->m, off);
	return *(volatile uint32_t *)(h->bar0 + off);
}

/* 64-bit registers as two dwords, high first (the low write acts). */
static void
w64(struct host *h, uint32_t off, uint64_t v)
{
	w32(h, off + 4, (uint32_t)(v >> 32));
	w32(h, off, (uint32_t)v);
}

static uint64_t
r64(struct host *h, uint32_t off)
{
	return r32(h, off) | (uint64_t)r32(h, off + 4) << 32;
}

static uint32_t
sq_db(const struct host *h, unsigned int qid)
{
	return 0x1000 + 2 * qid * h->stride;
}

static uint32_t
cq_db(const struct host *h, unsigned int qid)
{
	return 0x1000 + (2 * qid + 1) * h->stride;
}

static unsigned int
nviol(const struct host *h)
{
	return nvme_model_violations(h->m, NULL);
}

/* Whether the latest violation names the rule (NULL: there was none). */
static bool
viol_says(const struct host *h, const char *rule)
{
	const char *v = nvme_model_last_violation(h->m);

	return v != NULL && strstr(v, rule) != NULL;
}

static bool
wait_rdy(struct host *h, uint32_t want, unsigned int ms)
{
	while ((r32(h, R_CSTS) & CSTS_RDY) != want) {
		if (ms-- == 0)
			return false;
		msleep(1);
	}
	return true;
}

/* The model and the admin queues, not yet enabled. */
static bool
host_init(struct host *h, const struct nvme_model_cfg *cfg)
{
	uint64_t unit = 4096ull << (4 * ((cfg->cmbsz >> 8) & 0xf));

	memset(h, 0, sizeof(*h));
	h->cfg = *cfg;
	h->m = nvme_model_create(cfg);
	if (h->m == NULL)
		return false;
	h->bar0 = nvme_model_bar0(h->m);
	h->stride = 4u << cfg->dstrd;
	h->cmb = nvme_model_cmb_bar(h->m) + (cfg->cmbloc >> 12) * unit;
	h->cmb_bus = cfg->cmb_bar_bus + (cfg->cmbloc >> 12) * unit;
	h->aq.n = 16;
	h->aq.sq = hmem(16 * 64);
	h->aq.cq = hmem(16 * 16);
	h->aq.sq_bus = bus(h->aq.sq);
	h->aq.cq_bus = bus(h->aq.cq);
	return true;
}

static void
host_fini(struct host *h)
{
	nvme_model_destroy(h->m);
	while (nallocs != 0)
		free(allocs[--nallocs]);
	h->m = NULL;
}

/* CC.EN 0->1 with pages of 4 KiB << mps, and wait for CSTS.RDY. */
static bool
host_enable(struct host *h, unsigned int mps)
{
	h->ps = PS << mps;
	h->aq.sq_tail = h->aq.cq_head = 0;
	h->aq.phase = 1;
	memset(h->aq.cq, 0, h->aq.n * 16);	/* no stale phase tags */
	w32(h, R_AQA, (h->aq.n - 1) << 16 | (h->aq.n - 1));
	w64(h, R_ASQ, h->aq.sq_bus);
	w64(h, R_ACQ, h->aq.cq_bus);
	w32(h, R_CC, CC_EN | mps << 7 | CC_IOES);
	return wait_rdy(h, CSTS_RDY, 2000);
}

/* 1.4: CRE, then CBA | CMSE, the way a driver turns the CMB on. */
static void
host_cmb_on(struct host *h)
{
	w64(h, R_CMBMSC, 1);
	w64(h, R_CMBMSC, h->cmb_bus | 3);
}

static void
submit(struct host *h, struct tq *q, struct tsqe *c)
{
	c->cid = ++h->cid;
	memcpy(q->sq + q->sq_tail * 64, c, 64);
	q->sq_tail = (q->sq_tail + 1) % q->n;
	w32(h, sq_db(h, q->qid), q->sq_tail);
}

/* Takes the next completion if there is one; ring: release it at once. */
static bool
reap(struct host *h, struct tq *q, struct tcqe *e, bool ring)
{
	memcpy(e, q->cq + q->cq_head * 16, 16);
	if ((e->status & 1) != q->phase)
		return false;
	if (++q->cq_head == q->n) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	if (ring)
		w32(h, cq_db(h, q->qid), q->cq_head);
	return true;
}

static int
status_of(const struct tcqe *e)
{
	return (e->status >> 1) & 0x7ff;
}

/* Submits and reaps one command: its status, -1 when none came. */
static int
run(struct host *h, struct tq *q, struct tsqe *c, uint32_t *dw0)
{
	struct tcqe e;

	submit(h, q, c);
	if (!reap(h, q, &e, true))
		return -1;
	if (e.cid != c->cid || e.sqid != q->qid)
		return -2;
	if (dw0 != NULL)
		*dw0 = e.dw0;
	return status_of(&e);
}

static int
admin(struct host *h, uint8_t opc, uint32_t nsid, uint64_t prp1,
		uint32_t cdw10, uint32_t cdw11, uint32_t *dw0)
{
	struct tsqe c = { .opc = opc, .nsid = nsid, .prp1 = prp1,
			  .cdw10 = cdw10, .cdw11 = cdw11 };

	return run(h, &h->aq, &c, dw0);
}

/* Creates I/O pair 1 of n entries; the SQ and/or CQ in the CMB. */
static bool
host_io_queues(struct host *h, uint32_t n, bool sq_cmb, bool cq_cmb)
{
	struct tq *q = &h->io;

	q->qid = 1;
	q->n = n;
	q->sq_tail = q->cq_head = 0;
	q->phase = 1;
	if (cq_cmb) {
		q->cq = h->cmb + (32u << 20);
		q->cq_bus = h->cmb_bus + (32u << 20);
	} else {
		q->cq = hmem(n * 16);
		q->cq_bus = bus(q->cq);
	}
	if (sq_cmb) {
		q->sq = h->cmb + (31u << 20);
		q->sq_bus = h->cmb_bus + (31u << 20);
	} else {
		q->sq = hmem(n * 64);
		q->sq_bus = bus(q->sq);
	}
	return admin(h, 0x05, 0, q->cq_bus, (n - 1) << 16 | 1, 1, NULL) == 0 &&
		admin(h, 0x01, 0, q->sq_bus, (n - 1) << 16 | 1, 1u << 16 | 1,
		      NULL) == 0;
}

/* All of it: model, enable (4 KiB pages), CMB on, queue pair 1. */
static bool
host_up(struct host *h, const struct nvme_model_cfg *cfg, bool sq_cmb)
{
	if (!host_init(h, cfg) || !host_enable(h, 0))
		return false;
	if (cfg->cmbs && cfg->cmbsz != 0)
		host_cmb_on(h);
	return host_io_queues(h, 64, sq_cmb, false);
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t
le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * PRP1/PRP2 for [addr, addr + len) in pages of ps, the list (when one is
 * needed) starting loff bytes into the page at list_bus (CPU list), its
 * further pages following that one.
 */
static void
build_prps(uint64_t addr, uint64_t len, uint32_t ps, uint64_t list_bus,
		uint8_t *list, uint64_t loff, uint64_t *prp1, uint64_t *prp2)
{
	uint64_t first = ps - (addr % ps), rem, next, n;

	*prp1 = addr;
	*prp2 = 0;
	if (first >= len)
		return;
	rem = len - first;
	next = addr + first;
	if (rem <= ps) {
		*prp2 = next;
		return;
	}
	*prp2 = list_bus + loff;
	for (n = (rem + ps - 1) / ps; n != 0;) {
		uint64_t slots = (ps - loff) / 8, nd = n > slots ? slots - 1 : n, i;

		for (i = 0; i < nd; i++, next += ps)
			put64(list + loff + 8 * i, next);
		n -= nd;
		if (n != 0) {
			put64(list + loff + 8 * nd, list_bus + ps);
			list_bus += ps;
			list += ps;
			loff = 0;
		}
	}
}

static int
io(struct host *h, uint8_t opc, uint64_t slba, uint32_t nlb, uint64_t prp1,
		uint64_t prp2)
{
	struct tsqe c = { .opc = opc, .nsid = h->cfg.nsid, .prp1 = prp1,
			  .prp2 = prp2, .cdw10 = (uint32_t)slba,
			  .cdw11 = (uint32_t)(slba >> 32), .cdw12 = nlb - 1 };

	return run(h, &h->io, &c, NULL);
}

/* A write or read of nblk blocks at buf (CPU) / buf_bus, lists at list. */
static int
xfer(struct host *h, uint8_t opc, uint64_t slba, uint32_t nblk,
		uint64_t buf_bus, uint64_t list_bus, uint8_t *list, uint64_t loff)
{
	uint64_t prp1, prp2;

	build_prps(buf_bus, (uint64_t)nblk * 512, h->ps, list_bus, list, loff,
		   &prp1, &prp2);
	return io(h, opc, slba, nblk, prp1, prp2);
}

static void
fill(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + seed + (i >> 9));
}

/* ---- Registers ----------------------------------------------------------- */

static void
test_registers(void)
{
	struct nvme_model_cfg cfg;
	struct host h;
	uint64_t cap;
	const char *first;
	unsigned int n;

	nvme_model_cfg_default(&cfg);
	CHECK(host_init(&h, &cfg), "defaults: model created");
	cap = r64(&h, R_CAP);
	CHECK((cap & 0xffff) == 2047 && (cap >> 16 & 1) && (cap >> 24 & 0xff) == 15 &&
	      (cap >> 32 & 0xf) == 0 && (cap >> 37 & 1) &&
	      (cap >> 48 & 0xf) == 0 && (cap >> 52 & 0xf) == 4 && (cap >> 57 & 1),
	      "CAP: MQES 2047, CQR, TO 15, DSTRD 0, NVM, MPS 0..4, CMBS (0x%" PRIx64 ")",
	      cap);
	CHECK(r32(&h, R_VS) == 0x10400, "VS 1.4.0");
	CHECK(r32(&h, R_CMBLOC) == 0 && r32(&h, R_CMBSZ) == 0,
	      "1.4: CMBLOC/CMBSZ read 0 before CMBMSC.CRE");
	w64(&h, R_CMBMSC, 1);
	CHECK(r32(&h, R_CMBLOC) == cfg.cmbloc && r32(&h, R_CMBSZ) == cfg.cmbsz,
	      "1.4: CMBLOC/CMBSZ read the CMB with CRE (0x%x 0x%x)",
	      r32(&h, R_CMBLOC), r32(&h, R_CMBSZ));
	CHECK(cfg.cmbsz == 0x4021d && cfg.cmbloc == 0x62,
	      "default CMB: 64 x 1 MiB, SQS|LISTS|RDS|WDS, BAR2, CDPMLS|CDPCILS");
	w64(&h, R_CMBMSC, 0);
	CHECK(r32(&h, R_CMBLOC) == 0 && r32(&h, R_CMBSZ) == 0,
	      "1.4: CMBLOC/CMBSZ read 0 again once CRE is cleared");
	CHECK(nviol(&h) == 0, "no violations so far");

	w32(&h, R_CAP, 0x12345678);
	CHECK(r32(&h, R_CAP) == (uint32_t)cap && viol_says(&h, "read-only register CAP"),
	      "a write to CAP is undone and recorded");
	w32(&h, R_CMBSZ, 0);
	w64(&h, R_CMBMSC, 1);
	CHECK(r32(&h, R_CMBSZ) == cfg.cmbsz &&
	      viol_says(&h, "read-only register CMBSZ") && nviol(&h) == 2,
	      "a write to CMBSZ is undone and recorded");
	w64(&h, R_CMBMSC, 0);
	/* The host's store lands in the guard page after BAR0. */
	*(volatile uint32_t *)(h.bar0 + cfg.bar0_size) = 1;
	nvme_model_reg_written(h.m, (uint32_t)cfg.bar0_size, 4);
	CHECK(viol_says(&h, "past the end of BAR0"),
	      "a register write at bar0_size is recorded");
	nvme_model_reg_written(h.m, 0x14 + 2, 4);
	CHECK(viol_says(&h, "aligned dwords"), "an unaligned register write is recorded");
	w32(&h, 0x200, 5);
	CHECK(viol_says(&h, "reserved") && r32(&h, 0x200) == 0,
	      "a write to a reserved register is undone and recorded");
	w32(&h, sq_db(&h, 0), 1);
	CHECK(viol_says(&h, "not ready"), "a doorbell before CC.EN is recorded");
	n = nvme_model_violations(h.m, &first);
	CHECK(n == 6 && first != NULL && strstr(first, "CAP") != NULL,
	      "violations counted, the first one kept (%s)", first ? first : "-");
	nvme_model_clear_violations(h.m);
	CHECK(nvme_model_violations(h.m, &first) == 0 && first == NULL,
	      "violations cleared");
	host_fini(&h);

	cfg.mqes = 0;
	CHECK(nvme_model_create(&cfg) == NULL, "MQES 0 is refused");
	nvme_model_cfg_default(&cfg);
	cfg.cmbloc = (cfg.cmbloc & 0xfff) | 64u << 12;	/* starts past its BAR */
	CHECK(nvme_model_create(&cfg) == NULL, "a CMB starting past its BAR is refused");
}

/* ---- Bring-up and admin commands ------------------------------------------- */

static void
test_admin(void)
{
	struct nvme_model_cfg cfg;
	struct nvme_model_stats st;
	struct host h;
	struct tsqe c;
	uint8_t *id;
	uint32_t dw0 = 0xffffffff;

	nvme_model_cfg_default(&cfg);
	cfg.rtd3e_us = 1234567;
	host_init(&h, &cfg);
	CHECK(host_enable(&h, 0) && nviol(&h) == 0, "enable: CSTS.RDY follows at once");
	id = hmem(2 * PS);
	/* Identify data at an offset in its page needs PRP2, page aligned. */
	c = (struct tsqe){ .opc = 0x06, .prp1 = bus(id) + 0x100,
			   .prp2 = bus(id) + PS + 0x100, .cdw10 = 1 };
	CHECK(run(&h, &h.aq, &c, NULL) == NVMM_SC_PRP_OFFSET,
	      "Identify with PRP2 not page aligned: PRP Offset Invalid");
	memset(id, 0, 2 * PS);
	c.prp2 = bus(id) + PS;
	CHECK(run(&h, &h.aq, &c, NULL) == 0 &&
	      memcmp(id + 0x100 + 4, "MODEL0001", 9) == 0 &&
	      id[0x100 + 77] == 7 && le32(id + 0x100 + 516) == 1,
	      "Identify Controller across two pages (PRP1 at 0x100, PRP2)");
	CHECK(admin(&h, 0x06, 0, bus(id), 1, 0, NULL) == 0,
	      "Identify Controller succeeds");
	CHECK(memcmp(id + 4, "MODEL0001           ", 20) == 0 &&
	      memcmp(id + 24, "nvme_ctrl_model ", 16) == 0 && id[77] == 7 &&
	      le32(id + 88) == 1234567 && le32(id + 516) == 1 && id[512] == 0x66 && id[513] == 0x44,
	      "Identify Controller: SN, MN, MDTS 7, RTD3E, NN 1, SQES/CQES");
	memset(id, 0xee, PS);
	CHECK(admin(&h, 0x06, 1, bus(id), 0, 0, NULL) == 0 &&
	      le64(id) == 32768 && le64(id + 8) == 32768 &&
	      id[25] == 0 && id[26] == 0 && id[130] == 9,
	      "Identify Namespace: NSZE/NCAP 32768, one format, LBADS 9");
	CHECK(admin(&h, 0x06, 2, bus(id), 0, 0, NULL) == NVMM_SC_INVALID_NS,
	      "Identify Namespace 2: Invalid Namespace");
	CHECK(admin(&h, 0x06, 0, bus(id), 2, 0, NULL) == 0 &&
	      le32(id) == 1 && le32(id + 4) == 0,
	      "Identify active namespace list: just 1");
	CHECK(admin(&h, 0x06, 1, bus(id), 2, 0, NULL) == 0 && le32(id) == 0,
	      "active namespaces above 1: none");
	CHECK(admin(&h, 0x06, 0, bus(id), 9, 0, NULL) == NVMM_SC_INVALID_FIELD,
	      "Identify CNS 9: Invalid Field");
	CHECK(admin(&h, 0x09, 0, 0, 7, 0x00030003, &dw0) == 0 && dw0 == 0,
	      "Set Features Number of Queues: one of each granted");
	CHECK(admin(&h, 0x09, 0, 0, 6, 0, NULL) == NVMM_SC_INVALID_FIELD,
	      "Set Features of another feature: Invalid Field");
	CHECK(admin(&h, 0xc0, 0, 0, 0, 0, NULL) == NVMM_SC_INVALID_OPCODE,
	      "unknown admin opcode: Invalid Opcode");

	/* Queue creation's checks, then a good pair. */
	h.io.cq = hmem(64 * 16);
	h.io.sq = hmem(64 * 64);
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq) + 512, 63 << 16 | 1, 1, NULL) ==
	      NVMM_SC_PRP_OFFSET, "Create CQ at an unaligned base: PRP Offset Invalid");
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 63 << 16 | 2, 1, NULL) ==
	      NVMM_SC_QID_INVALID, "Create CQ 2 (one granted): Invalid Queue Identifier");
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 2048u << 16 | 1, 1, NULL) ==
	      NVMM_SC_QSIZE_INVALID, "Create CQ of MQES+2 entries: Invalid Queue Size");
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 63 << 16 | 1, 0, NULL) ==
	      NVMM_SC_INVALID_FIELD, "Create CQ with PC=0 (CAP.CQR): Invalid Field");
	CHECK(admin(&h, 0x01, 0, bus(h.io.sq), 63 << 16 | 1, 1u << 16 | 1, NULL) ==
	      NVMM_SC_CQ_INVALID, "Create SQ on a CQ that does not exist: CQ Invalid");
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 63 << 16 | 1, 1, NULL) == 0,
	      "Create CQ 1 in host memory");
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 63 << 16 | 1, 1, NULL) ==
	      NVMM_SC_QID_INVALID, "Create CQ 1 twice: Invalid Queue Identifier");
	CHECK(admin(&h, 0x01, 0, bus(h.io.sq), 63 << 16 | 1, 1u << 16 | 1, NULL) == 0,
	      "Create SQ 1 in host memory");
	nvme_model_stats(h.m, &st);
	CHECK(st.io_queues == 1 && st.enabled && st.enables == 1 && st.admin_cmds == 19,
	      "stats: 1 I/O queue, enabled once, 19 admin commands (%" PRIu64 ")",
	      st.admin_cmds);
	CHECK(admin(&h, 0x04, 0, 0, 1, 0, NULL) == NVMM_SC_QDEL_INVALID,
	      "Delete CQ 1 while SQ 1 uses it: Invalid Queue Deletion");
	CHECK(admin(&h, 0x00, 0, 0, 1, 0, NULL) == 0, "Delete SQ 1");
	CHECK(admin(&h, 0x00, 0, 0, 1, 0, NULL) == NVMM_SC_QID_INVALID,
	      "Delete SQ 1 again: Invalid Queue Identifier");
	CHECK(admin(&h, 0x04, 0, 0, 1, 0, NULL) == 0, "Delete CQ 1");
	nvme_model_stats(h.m, &st);
	CHECK(st.io_queues == 0 && nviol(&h) == 0, "no I/O queues left, no violations");

	/* Shutdown: complete at once, queues stay. */
	w32(&h, R_CC, r32(&h, R_CC) | 1u << 14);
	nvme_model_stats(h.m, &st);
	CHECK((r32(&h, R_CSTS) & 0xc) == 0x8 && st.shutdowns == 1,
	      "CC.SHN normal: CSTS.SHST complete at once");
	CHECK(admin(&h, 0x06, 0, bus(id), 1, 0, NULL) == 0,
	      "the admin queue still works after the shutdown");
	w32(&h, R_CC, 0);
	nvme_model_stats(h.m, &st);
	CHECK(!(r32(&h, R_CSTS) & 0xd) && st.resets == 1 && !st.enabled && nviol(&h) == 0,
	      "CC.EN 1->0: RDY and SHST clear, one reset, no violation");
	host_fini(&h);
}

/* ---- Data paths --------------------------------------------------------- */

static void
test_data(void)
{
	const uint64_t big = 3u << 20;		/* 3 MiB: 769 pages at offset */
	struct nvme_model_cfg cfg;
	struct nvme_model_stats st;
	struct host h;
	uint8_t *src, *dst, *list, *disk;
	int s;

	nvme_model_cfg_default(&cfg);
	cfg.mdts = 0;
	CHECK(host_up(&h, &cfg, false), "MDTS 0: up, queues in host memory");
	disk = nvme_model_disk(h.m);
	src = hmem(big + 2 * PS);
	dst = hmem(big + 2 * PS);
	list = hmem(8 * PS);
	fill(src, big + 2 * PS, 1);

	/* One block inside a page, PRP1 at a dword-aligned offset. */
	CHECK(xfer(&h, 0x01, 10, 1, bus(src) + 0x204, 0, NULL, 0) == 0 &&
	      memcmp(disk + 10 * 512, src + 0x204, 512) == 0,
	      "write 1 block, PRP1 at offset 0x204: on disk");
	/* Two pages: PRP2 is the second page. */
	CHECK(xfer(&h, 0x01, 100, 8, bus(src) + 0x800, 0, NULL, 0) == 0 &&
	      memcmp(disk + 100 * 512, src + 0x800, 4096) == 0,
	      "write 4 KiB at offset 0x800: PRP1 + PRP2 data");
	nvme_model_stats(h.m, &st);
	CHECK(st.prp_lists == 0 && st.writes == 2, "no list needed so far");
	/* 64 KiB with its list at 0xff0: one entry and a chain pointer. */
	CHECK(xfer(&h, 0x01, 200, 128, bus(src), bus(list), list, 0xff0) == 0 &&
	      memcmp(disk + 200 * 512, src, 65536) == 0,
	      "write 64 KiB, list at offset 0xff0 chained after one entry");
	nvme_model_stats(h.m, &st);
	CHECK(st.prp_lists == 1 && st.prp_list_pages == 2 && st.prp_chains == 1,
	      "one list of two pages, one chain pointer");

	/* 3 MiB at offset 0x200: 768 list entries, list at 0x800: 3 pages. */
	s = xfer(&h, 0x01, 1000, (uint32_t)(big / 512), bus(src) + 0x200, bus(list),
		 list, 0x800);
	CHECK(s == 0 && memcmp(disk + 1000 * 512, src + 0x200, big) == 0,
	      "write 3 MiB through a chained PRP list: byte-exact on disk (status %d)", s);
	nvme_model_stats(h.m, &st);
	CHECK(st.prp_lists == 2 && st.prp_list_pages == 5 && st.prp_chains == 3 &&
	      st.max_xfer_seen == big && st.host_data_bytes == 512 + 4096 + 65536 + big,
	      "list pages 3 and chains 2 more, max transfer 3 MiB, host data counted");
	/* Read it back into another layout: offset 0x40, list page-aligned. */
	s = xfer(&h, 0x02, 1000, (uint32_t)(big / 512), bus(dst) + 0x40, bus(list),
		 list, 0);
	CHECK(s == 0 && memcmp(dst + 0x40, src + 0x200, big) == 0,
	      "read 3 MiB back through another chained list: byte-exact");
	nvme_model_stats(h.m, &st);
	CHECK(st.reads == 1 && st.bytes_read == big && st.prp_chains == 4,
	      "one read, 3 MiB, one chain more (512-slot pages)");
	CHECK(io(&h, 0x00, 0, 1, 0, 0) == 0, "Flush succeeds");

	/* Errors: nothing is moved. */
	memset(disk + 5000 * 512, 0x5a, 8192);
	CHECK(io(&h, 0x01, 32767, 2, bus(src), bus(src) + PS) == NVMM_SC_LBA_RANGE,
	      "write past the last block: LBA Out of Range");
	h.cfg.nsid = 2;
	CHECK(io(&h, 0x01, 0, 1, bus(src), 0) == NVMM_SC_INVALID_NS,
	      "write to namespace 2: Invalid Namespace");
	h.cfg.nsid = 1;
	CHECK(io(&h, 0x01, 5000, 1, bus(src) + 2, 0) == NVMM_SC_PRP_OFFSET,
	      "PRP1 not dword aligned: PRP Offset Invalid");
	CHECK(io(&h, 0x01, 5000, 16, bus(src), bus(src) + PS + 8) == NVMM_SC_PRP_OFFSET,
	      "PRP2 data pointer with an offset: PRP Offset Invalid");
	build_prps(bus(src), 16384, PS, bus(list), list, 0, &(uint64_t){0},
		   &(uint64_t){0});
	put64(list + 8, bus(src) + 2 * PS + 0x100);
	CHECK(io(&h, 0x01, 5000, 32, bus(src), bus(list)) == NVMM_SC_PRP_OFFSET,
	      "a list entry with an offset: PRP Offset Invalid");
	CHECK(io(&h, 0x01, 5000, 32, bus(src), bus(list) + 4) == NVMM_SC_PRP_OFFSET,
	      "a list pointer not qword aligned: PRP Offset Invalid");
	CHECK(io(&h, 0x01, 5000, 16, bus(src), 0) == NVMM_SC_DATA_XFER &&
	      viol_says(&h, "not a host address"),
	      "PRP2 in the zero page: Data Transfer Error, recorded");
	CHECK(io(&h, 0x7f, 0, 1, 0, 0) == NVMM_SC_INVALID_OPCODE,
	      "unknown I/O opcode: Invalid Opcode");
	CHECK(disk[5000 * 512] == 0x5a && disk[5000 * 512 + 8191] == 0x5a,
	      "refused writes left the disk as it was");
	host_fini(&h);

	/* MDTS 7: 128 pages at most; everything in the CMB. */
	nvme_model_cfg_default(&cfg);
	CHECK(host_up(&h, &cfg, true), "defaults: up, SQ in the CMB");
	disk = nvme_model_disk(h.m);
	fill(h.cmb, 1u << 20, 7);
	s = xfer(&h, 0x01, 0, 1024, h.cmb_bus, h.cmb_bus + (2u << 20),
		 h.cmb + (2u << 20), 0x100);
	CHECK(s == 0 && memcmp(disk, h.cmb, 512 * 1024) == 0,
	      "write 512 KiB (MDTS) with data and list in the CMB: on disk");
	CHECK(xfer(&h, 0x01, 0, 1025, h.cmb_bus, h.cmb_bus + (2u << 20),
		   h.cmb + (2u << 20), 0) == NVMM_SC_INVALID_FIELD,
	      "one block more than MDTS: Invalid Field");
	s = xfer(&h, 0x02, 0, 1024, h.cmb_bus + (4u << 20) + 0x200,
		 h.cmb_bus + (2u << 20), h.cmb + (2u << 20), 0);
	CHECK(s == 0 && memcmp(h.cmb + (4u << 20) + 0x200, disk, 512 * 1024) == 0,
	      "read 512 KiB into the CMB: byte-exact");
	nvme_model_stats(h.m, &st);
	CHECK(st.cmb_data_bytes == 1u << 20 && st.host_data_bytes == 0 && nviol(&h) == 0,
	      "1 MiB of data moved in the CMB, none in host memory, no violations");
	host_fini(&h);
}

/* ---- CMB rules ------------------------------------------------------------ */

/* A write of 3 pages: data in the CMB or not, its list in the CMB or not. */
static int
write3(struct host *h, bool data_cmb, bool list_cmb)
{
	uint8_t *hbuf;
	uint64_t data = data_cmb ? h->cmb_bus : 0, list = h->cmb_bus + (1u << 20);
	uint8_t *list_cpu = h->cmb + (1u << 20);

	if (!data_cmb) {
		hbuf = hmem(4 * PS);
		data = bus(hbuf);
	}
	if (!list_cmb) {
		list_cpu = hmem(PS);
		list = bus(list_cpu);
	}
	return xfer(h, 0x01, 0, 24, data, list, list_cpu, 0);
}

static void
cmb_rule(const char *what, uint32_t cmbloc_clear, uint32_t cmbsz_clear,
		bool sq_cmb, uint8_t opc, bool data_cmb, bool list_cmb,
		const char *rule)
{
	struct nvme_model_cfg cfg;
	struct host h;
	int s;

	nvme_model_cfg_default(&cfg);
	cfg.cmbloc &= ~cmbloc_clear;
	cfg.cmbsz &= ~cmbsz_clear;
	if (!host_up(&h, &cfg, sq_cmb)) {
		CHECK(false, "%s: bring-up", what);
		host_fini(&h);
		return;
	}
	if (opc == 0x01) {
		s = write3(&h, data_cmb, list_cmb);
	} else {
		s = xfer(&h, opc, 0, 8, data_cmb ? h.cmb_bus : bus(hmem(PS)), 0,
			 NULL, 0);
	}
	if (rule == NULL)
		CHECK(s == 0 && nviol(&h) == 0, "%s: allowed (status 0x%x)", what, s);
	else
		CHECK(s == NVMM_SC_INVALID_CMB && nviol(&h) == 1 && viol_says(&h, rule),
		      "%s: status 0x%x, violation \"%s\"", what, s,
		      nvme_model_last_violation(h.m) ? nvme_model_last_violation(h.m) : "-");
	host_fini(&h);
}

static void
test_cmb_rules(void)
{
	struct nvme_model_cfg cfg;
	struct host h;
	int s;

	cmb_rule("write data in the CMB without WDS", 0, NVMM_CMBSZ_WDS, true,
		 0x01, true, true, "CMBSZ.WDS");
	cmb_rule("read data in the CMB without WDS", 0, NVMM_CMBSZ_WDS, true,
		 0x02, true, false, NULL);
	cmb_rule("read data in the CMB without RDS", 0, NVMM_CMBSZ_RDS, true,
		 0x02, true, false, "CMBSZ.RDS");
	cmb_rule("PRP list in the CMB without LISTS", 0, NVMM_CMBSZ_LISTS, true,
		 0x01, true, true, "CMBSZ.LISTS");
	cmb_rule("CDPMLS=0, data in the CMB, list in host memory",
		 NVMM_CMBLOC_CDPMLS, 0, true, 0x01, true, false, "CDPMLS");
	cmb_rule("CDPMLS=0, data in host memory, list in the CMB",
		 NVMM_CMBLOC_CDPMLS, 0, true, 0x01, false, true, "CDPMLS");
	cmb_rule("CDPMLS=0, data and list in the CMB", NVMM_CMBLOC_CDPMLS, 0,
		 true, 0x01, true, true, NULL);
	cmb_rule("CDPMLS=1, data in the CMB, list in host memory", 0, 0, true,
		 0x01, true, false, NULL);
	cmb_rule("CDPCILS=0, list in the CMB, SQ in host memory",
		 NVMM_CMBLOC_CDPCILS, 0, false, 0x01, true, true, "CDPCILS");
	cmb_rule("CDPCILS=0, list in the CMB, SQ in the CMB", NVMM_CMBLOC_CDPCILS,
		 0, true, 0x01, true, true, NULL);

	/* Queues in the CMB: SQS and CQS, and the window's edge. */
	nvme_model_cfg_default(&cfg);
	cfg.cmbsz &= ~NVMM_CMBSZ_SQS;
	host_init(&h, &cfg);
	host_enable(&h, 0);
	host_cmb_on(&h);
	CHECK(admin(&h, 0x05, 0, bus(hmem(PS)), 15 << 16 | 1, 1, NULL) == 0 &&
	      admin(&h, 0x01, 0, h.cmb_bus, 15 << 16 | 1, 1u << 16 | 1, NULL) ==
	      NVMM_SC_INVALID_CMB && viol_says(&h, "CMBSZ.SQS"),
	      "an SQ in the CMB without SQS: Invalid Use of CMB, recorded");
	CHECK(admin(&h, 0x05, 0, h.cmb_bus, 15 << 16 | 1, 1, NULL) ==
	      NVMM_SC_QID_INVALID, "the CQ created before the refused SQ stays");
	host_fini(&h);

	nvme_model_cfg_default(&cfg);
	host_init(&h, &cfg);
	host_enable(&h, 0);
	host_cmb_on(&h);
	CHECK(admin(&h, 0x05, 0, h.cmb_bus, 15 << 16 | 1, 1, NULL) ==
	      NVMM_SC_INVALID_CMB && viol_says(&h, "CMBSZ.CQS"),
	      "a CQ in the CMB without CQS: Invalid Use of CMB, recorded");
	CHECK(admin(&h, 0x05, 0, bus(hmem(PS)), 127 << 16 | 1, 1, NULL) == 0 &&
	      admin(&h, 0x01, 0, h.cmb_bus + (64u << 20) - PS, 127 << 16 | 1,
		    1u << 16 | 1, NULL) == NVMM_SC_INVALID_CMB &&
	      viol_says(&h, "straddles"),
	      "an SQ straddling the CMB window's end: refused, recorded");
	host_fini(&h);

	/* With CQS, completions land in the CMB. */
	nvme_model_cfg_default(&cfg);
	cfg.cmbsz |= NVMM_CMBSZ_CQS;
	CHECK(host_init(&h, &cfg) && host_enable(&h, 0), "CQS: up");
	host_cmb_on(&h);
	CHECK(host_io_queues(&h, 16, true, true) && io(&h, 0x00, 0, 1, 0, 0) == 0 &&
	      nviol(&h) == 0, "SQ and CQ in the CMB: a Flush completes in the CMB CQ");
	host_fini(&h);

	/* 8 KiB pages, a 12 KiB window: the second page straddles its end. */
	nvme_model_cfg_default(&cfg);
	cfg.cmbsz = 3u << 12 | NVMM_CMBSZ_SQS | NVMM_CMBSZ_LISTS |
		NVMM_CMBSZ_RDS | NVMM_CMBSZ_WDS;	/* 3 x 4 KiB */
	CHECK(host_init(&h, &cfg) && host_enable(&h, 1), "8 KiB pages: up");
	host_cmb_on(&h);
	h.io.qid = 1;
	h.io.n = 8;
	h.io.phase = 1;
	h.io.cq = hmem(PS);
	h.io.sq = hmem(PS);
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 7 << 16 | 1, 1, NULL) == 0 &&
	      admin(&h, 0x01, 0, bus(h.io.sq), 7 << 16 | 1, 1u << 16 | 1, NULL) == 0,
	      "8 KiB pages: queue pair in host memory");
	s = io(&h, 0x01, 0, 16, h.cmb_bus, 0);
	CHECK(s == 0, "8 KiB at the window's start: one page, fits (0x%x)", s);
	s = io(&h, 0x01, 0, 32, h.cmb_bus, h.cmb_bus + 8192);
	CHECK(s == NVMM_SC_INVALID_CMB && viol_says(&h, "straddles"),
	      "a data page straddling the window's end: refused, recorded (0x%x)", s);
	host_fini(&h);

	/* CBA other than the BAR's: CBAI, no window. */
	nvme_model_cfg_default(&cfg);
	host_init(&h, &cfg);
	host_enable(&h, 0);
	w64(&h, R_CMBMSC, 1);
	w64(&h, R_CMBMSC, (h.cmb_bus + (1u << 20)) | 3);
	CHECK((r32(&h, R_CMBSTS) & 1) && viol_says(&h, "CBAI"),
	      "CMBMSC with a wrong CBA: CMBSTS.CBAI, recorded");
	CHECK(admin(&h, 0x05, 0, bus(hmem(PS)), 15 << 16 | 1, 1, NULL) == 0 &&
	      admin(&h, 0x01, 0, h.cmb_bus, 15 << 16 | 1, 1u << 16 | 1, NULL) ==
	      NVMM_SC_INVALID_CMB && viol_says(&h, "outside the enabled CMB window"),
	      "an SQ at the CMB's address with the window off: refused, recorded");
	host_cmb_on(&h);
	CHECK(!(r32(&h, R_CMBSTS) & 1), "the right CBA clears CBAI");
	host_fini(&h);

	/* A CMB that claims more than its BAR holds. */
	nvme_model_cfg_default(&cfg);
	cfg.cmb_bar_size = 1u << 20;
	CHECK(host_up(&h, &cfg, false), "a 64 MiB CMB in a 1 MiB BAR: up");
	CHECK(io(&h, 0x01, 0, 8, h.cmb_bus + (2u << 20), 0) == NVMM_SC_DATA_XFER &&
	      viol_says(&h, "past the end of its BAR"),
	      "data in the window past the BAR's end: Data Transfer Error, recorded");
	host_fini(&h);

	/* Legacy scheme: registers readable at once, window open from the start. */
	nvme_model_cfg_default(&cfg);
	cfg.cmbs = false;
	host_init(&h, &cfg);
	CHECK(!(r64(&h, R_CAP) >> 57 & 1) && r32(&h, R_CMBLOC) == cfg.cmbloc &&
	      r32(&h, R_CMBSZ) == cfg.cmbsz, "legacy: CAP.CMBS 0, CMBLOC/CMBSZ at once");
	CHECK(host_enable(&h, 0) && host_io_queues(&h, 16, true, false) &&
	      xfer(&h, 0x01, 0, 8, h.cmb_bus, 0, NULL, 0) == 0 && nviol(&h) == 0,
	      "legacy: SQ and data in the CMB without CMBMSC");
	w64(&h, R_CMBMSC, 1);
	CHECK(viol_says(&h, "CAP.CMBS=0") && r64(&h, R_CMBMSC) == 0,
	      "legacy: a CMBMSC write is recorded and undone");
	host_fini(&h);
}

/* ---- Completion queue flow ------------------------------------------------ */

static void
test_cq_flow(void)
{
	struct nvme_model_cfg cfg;
	struct nvme_model_stats st;
	struct tsqe c = { .opc = 0x00, .nsid = 1 };
	struct tcqe e[5];
	struct host h;
	unsigned int i, got = 0;

	nvme_model_cfg_default(&cfg);
	host_init(&h, &cfg);
	host_enable(&h, 0);
	/* A CQ of 4 holds 3 completions; the SQ of 8 takes 5 commands. */
	h.io.qid = 1;
	h.io.n = 4;
	h.io.phase = 1;
	h.io.cq = hmem(4 * 16);
	h.io.sq = hmem(8 * 64);
	CHECK(admin(&h, 0x05, 0, bus(h.io.cq), 3 << 16 | 1, 1, NULL) == 0 &&
	      admin(&h, 0x01, 0, bus(h.io.sq), 7 << 16 | 1, 1u << 16 | 1, NULL) == 0,
	      "a CQ of 4 entries, an SQ of 8");
	for (i = 0; i < 5; i++) {
		c.cid = (uint16_t)(100 + i);
		memcpy(h.io.sq + i * 64, &c, 64);
	}
	w32(&h, sq_db(&h, 1), 5);
	while (got < 5 && reap(&h, &h.io, &e[got], false))
		got++;
	nvme_model_stats(h.m, &st);
	CHECK(got == 3 && st.outstanding == 2 && st.io_cmds == 5,
	      "5 consumed, 3 posted, 2 held while the CQ is full (%u posted)", got);
	w32(&h, cq_db(&h, 1), 1);
	while (got < 5 && reap(&h, &h.io, &e[got], false))
		got++;
	CHECK(got == 4, "releasing 1 of 3 entries makes room for 1 (%u)", got);
	w32(&h, cq_db(&h, 1), 0);
	while (got < 5 && reap(&h, &h.io, &e[got], false))
		got++;
	nvme_model_stats(h.m, &st);
	CHECK(got == 5 && st.outstanding == 0, "the last held completion follows");
	for (i = 0; i < 5; i++)
		if (e[i].cid != 100 + i || status_of(&e[i]) != 0 || e[i].sqid != 1)
			break;
	CHECK(i == 5 && (e[3].status & 1) == 1 && (e[4].status & 1) == 0 &&
	      e[4].sqhd == 5, "in order, phase flipped after the wrap, SQ head 5");
	w32(&h, cq_db(&h, 1), 3);
	CHECK(viol_says(&h, "releases entries not posted"),
	      "a CQ head past the tail is recorded");
	w32(&h, sq_db(&h, 1), 9);
	CHECK(viol_says(&h, "past the queue"), "an SQ tail past the queue is recorded");
	w32(&h, sq_db(&h, 3), 1);
	CHECK(viol_says(&h, "does not exist"),
	      "a doorbell of a queue that does not exist is recorded");
	nvme_model_reg_written(h.m, sq_db(&h, 1) + 2, 4);
	CHECK(viol_says(&h, "aligned dwords"), "an unaligned doorbell write is recorded");
	host_fini(&h);
}

/* ---- Faults --------------------------------------------------------------- */

static unsigned int reset_calls, reset_outstanding;

static void
on_reset(void *arg, unsigned int outstanding)
{
	(void)arg;
	reset_calls++;
	reset_outstanding = outstanding;
}

static void
test_faults(void)
{
	struct nvme_model_cfg cfg;
	struct nvme_model_stats st;
	struct tsqe c;
	struct tcqe e;
	struct host h;
	uint8_t *buf, *buf2;
	uint16_t cid_a;
	int s;

	nvme_model_cfg_default(&cfg);

	/* fail_next */
	CHECK(host_up(&h, &cfg, true), "fail_next: up");
	buf = hmem(PS);
	fill(buf, PS, 3);
	nvme_model_fail_next(h.m, false, 0x01, NVMM_SC_INTERNAL, 2);
	CHECK(xfer(&h, 0x01, 0, 8, bus(buf), 0, NULL, 0) == NVMM_SC_INTERNAL &&
	      xfer(&h, 0x01, 0, 8, bus(buf), 0, NULL, 0) == NVMM_SC_INTERNAL &&
	      nvme_model_disk(h.m)[0] == 0, "the next 2 writes fail, nothing written");
	CHECK(xfer(&h, 0x01, 0, 8, bus(buf), 0, NULL, 0) == 0 &&
	      memcmp(nvme_model_disk(h.m), buf, PS) == 0,
	      "the third write succeeds");
	buf2 = hmem(PS);
	CHECK(xfer(&h, 0x02, 0, 8, bus(buf2), 0, NULL, 0) == 0 &&
	      memcmp(buf2, buf, PS) == 0, "reads unaffected by a rule for writes");
	nvme_model_fail_next(h.m, true, 0x06, 0x105, 1);
	CHECK(admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == 0x105 &&
	      admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == 0,
	      "an admin rule with SCT 1 fails one Identify");

	/* IO_HANG, then deleting the SQ aborts the hung command. */
	nvme_model_fault(h.m, NVME_MODEL_IO_HANG);
	c = (struct tsqe){ .opc = 0x00, .nsid = 1 };
	CHECK(run(&h, &h.io, &c, NULL) == -1 && admin(&h, 0x06, 0, bus(buf), 1, 0,
						       NULL) == 0,
	      "IO_HANG: the Flush never completes, admin still does");
	nvme_model_stats(h.m, &st);
	CHECK(st.outstanding == 1, "IO_HANG: one command outstanding");
	CHECK(admin(&h, 0x00, 0, 0, 1, 0, NULL) == 0 && reap(&h, &h.io, &e, true) &&
	      e.cid == c.cid && status_of(&e) == NVMM_SC_ABORT_SQ_DEL,
	      "Delete SQ posts the hung command as aborted (SQ deletion)");
	nvme_model_stats(h.m, &st);
	CHECK(st.outstanding == 0 && st.io_queues == 0, "nothing outstanding, SQ gone");
	nvme_model_fault(h.m, NVME_MODEL_OK);

	/* LATE_ADMIN */
	nvme_model_fault(h.m, NVME_MODEL_LATE_ADMIN);
	c = (struct tsqe){ .opc = 0x06, .prp1 = bus(buf), .cdw10 = 1 };
	CHECK(run(&h, &h.aq, &c, NULL) == -1, "LATE_ADMIN: no completion at first");
	cid_a = c.cid;
	c = (struct tsqe){ .opc = 0x09, .cdw10 = 7 };
	submit(&h, &h.aq, &c);
	CHECK(reap(&h, &h.aq, &e, true) && e.cid == cid_a && status_of(&e) == 0,
	      "the held completion comes first at the next doorbell");
	CHECK(reap(&h, &h.aq, &e, true) && e.cid == c.cid && status_of(&e) == 0,
	      "then the new command's");
	CHECK(admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == 0, "one shot: then normal again");

	/* HANG, and the reset callback. */
	nvme_model_on_reset(h.m, on_reset, NULL);
	nvme_model_fault(h.m, NVME_MODEL_HANG);
	CHECK(admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == -1 &&
	      admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == -1,
	      "HANG: admin commands never complete");
	w32(&h, R_CC, 0);
	nvme_model_stats(h.m, &st);
	CHECK(reset_calls == 1 && reset_outstanding == 2 && st.outstanding == 0 &&
	      nviol(&h) == 0, "reset: callback with 2 outstanding, all dropped");
	nvme_model_fault(h.m, NVME_MODEL_OK);
	CHECK(host_enable(&h, 0) && admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == 0,
	      "re-enabled: admin works");

	/* FATAL */
	nvme_model_fault(h.m, NVME_MODEL_FATAL);
	nvme_model_stats(h.m, &st);
	CHECK((r32(&h, R_CSTS) & CSTS_CFS) && admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) ==
	      -1, "FATAL: CSTS.CFS, nothing processed");
	w32(&h, R_CC, 0);
	CHECK(!(r32(&h, R_CSTS) & CSTS_CFS) && reset_calls == 2 && nviol(&h) == 0,
	      "reset clears CFS");
	CHECK(host_enable(&h, 0) && admin(&h, 0x06, 0, bus(buf), 1, 0, NULL) == 0,
	      "after FATAL and a reset: works");

	/* REMOVED */
	nvme_model_stats(h.m, &st);
	nvme_model_fault(h.m, NVME_MODEL_REMOVED);
	CHECK(r32(&h, R_CSTS) == 0xffffffff && r64(&h, R_CAP) == UINT64_MAX &&
	      nvme_model_cmb_bar(h.m)[12345] == 0xff,
	      "REMOVED: registers and the CMB read all ones");
	c = (struct tsqe){ .opc = 0x06, .prp1 = bus(buf), .cdw10 = 1 };
	memcpy(h.aq.sq + h.aq.sq_tail * 64, &c, 64);
	w32(&h, sq_db(&h, 0), (h.aq.sq_tail + 1) % h.aq.n);
	{
		struct nvme_model_stats st2;

		nvme_model_stats(h.m, &st2);
		CHECK(st2.admin_cmds == st.admin_cmds && r32(&h, sq_db(&h, 0)) ==
		      0xffffffff && nviol(&h) == 0,
		      "REMOVED: a doorbell does nothing, reads back all ones");
	}
	host_fini(&h);

	/* NEVER_READY, and clearing EN too early. */
	host_init(&h, &cfg);
	nvme_model_fault(h.m, NVME_MODEL_NEVER_READY);
	w32(&h, R_AQA, 15 << 16 | 15);
	w64(&h, R_ASQ, h.aq.sq_bus);
	w64(&h, R_ACQ, h.aq.cq_bus);
	w32(&h, R_CC, CC_EN | CC_IOES);
	CHECK(!wait_rdy(&h, CSTS_RDY, 20),
	      "NEVER_READY: CSTS.RDY stays 0 after CC.EN");
	w32(&h, R_CC, 0);
	CHECK(viol_says(&h, "CC.EN cleared while CSTS.RDY=0"),
	      "clearing EN while RDY=0 is recorded");
	host_fini(&h);

	/* A slow controller: RDY follows after ready_delay_ms. */
	cfg.ready_delay_ms = 30;
	host_init(&h, &cfg);
	h.ps = PS;
	w32(&h, R_AQA, 15 << 16 | 15);
	w64(&h, R_ASQ, h.aq.sq_bus);
	w64(&h, R_ACQ, h.aq.cq_bus);
	w32(&h, R_CC, CC_EN | CC_IOES);
	CHECK(!(r32(&h, R_CSTS) & CSTS_RDY), "ready delay: RDY 0 right after CC.EN");
	w32(&h, R_CC, 0);
	CHECK(viol_says(&h, "CC.EN cleared while CSTS.RDY=0"),
	      "ready delay: clearing EN before RDY is recorded");
	msleep(40);
	nvme_model_clear_violations(h.m);
	CHECK(host_enable(&h, 0) && nviol(&h) == 0, "ready delay: RDY follows in time");
	w32(&h, R_CC, 0);
	CHECK(r32(&h, R_CSTS) & CSTS_RDY, "ready delay: RDY still 1 right after EN 1->0");
	w32(&h, R_CC, CC_EN | CC_IOES);
	CHECK(viol_says(&h, "CC.EN set while CSTS.RDY=1"),
	      "setting EN before the reset finished is recorded");
	host_fini(&h);

	/* An enable with the wrong entry sizes. */
	cfg.ready_delay_ms = 0;
	host_init(&h, &cfg);
	w32(&h, R_AQA, 15 << 16 | 15);
	w64(&h, R_ASQ, h.aq.sq_bus);
	w64(&h, R_ACQ, h.aq.cq_bus);
	w32(&h, R_CC, CC_EN);
	s = (int)r32(&h, R_CSTS);
	CHECK((s & CSTS_CFS) && !(s & CSTS_RDY) && viol_says(&h, "IOSQES"),
	      "CC.EN with IOSQES/IOCQES 0: CSTS.CFS, recorded");
	nvme_model_clear_violations(h.m);
	w32(&h, R_CC, 0);
	CHECK(nviol(&h) == 0 && !(r32(&h, R_CSTS) & CSTS_CFS),
	      "a failed controller may be reset with RDY=0");
	host_fini(&h);
}

int
main(void)
{
	test_registers();
	test_admin();
	test_data();
	test_cmb_rules();
	test_cq_flow();
	test_faults();
	return check_summary();
}
