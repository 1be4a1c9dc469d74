/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the two halves of the NVMe controller model share: register and
 * entry layouts, the model's state, and the few functions one half calls
 * in the other. Not for tests: they use nvme_ctrl_model.h.
 */
#ifndef NVME_CTRL_MODEL_INTERNAL_H
#define NVME_CTRL_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvme_ctrl_model.h"

#define NVMM_REG_CAP	0x00	/* 64-bit */
#define NVMM_REG_VS	0x08
#define NVMM_REG_INTMS	0x0c
#define NVMM_REG_INTMC	0x10
#define NVMM_REG_CC	0x14
#define NVMM_REG_CSTS	0x1c
#define NVMM_REG_AQA	0x24
#define NVMM_REG_ASQ	0x28	/* 64-bit */
#define NVMM_REG_ACQ	0x30	/* 64-bit */
#define NVMM_REG_CMBLOC	0x38
#define NVMM_REG_CMBSZ	0x3c
#define NVMM_REG_CMBMSC	0x50	/* 64-bit */
#define NVMM_REG_CMBSTS	0x58
#define NVMM_REG_DBS	0x1000

#define NVMM_CC_EN		(1u << 0)
#define NVMM_CSTS_RDY		(1u << 0)
#define NVMM_CSTS_CFS		(1u << 1)
#define NVMM_CSTS_SHST_MASK	(3u << 2)
#define NVMM_CSTS_SHST_DONE	(2u << 2)
#define NVMM_CMBMSC_CRE		(1ull << 0)
#define NVMM_CMBMSC_CMSE	(1ull << 1)
#define NVMM_CMBSTS_CBAI	(1u << 0)

#define NVMM_NQ		(1 + NVME_MODEL_MAX_IO_QUEUES)	/* qid 0 is admin */
#define NVMM_SQE_SIZE	64
#define NVMM_CQE_SIZE	16
#define NVMM_MAX_FAILS	8
#define NVMM_VIOL_LEN	200

/* An SQ entry and a CQ entry as they are in memory (little endian). */
struct nvmm_sqe {
	uint8_t opc;
	uint8_t flags;		/* FUSE 1:0, PSDT 7:6 */
	uint16_t cid;
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr, prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

struct nvmm_cqe {
	uint32_t dw0, dw1;
	uint16_t sqhd, sqid, cid, status;
};

_Static_assert(sizeof(struct nvmm_sqe) == NVMM_SQE_SIZE, "SQE is 64 bytes");
_Static_assert(sizeof(struct nvmm_cqe) == NVMM_CQE_SIZE, "CQE is 16 bytes");

/* One submission or completion queue. */
struct nvmm_queue {
	bool live;
	bool cmb;		/* in the CMB window when created */
	uint64_t base;		/* bus address */
	uint32_t size;		/* entries */
	uint32_t head, tail;
	uint16_t cqid;		/* SQ: the CQ it posts to */
	uint8_t phase;		/* CQ: phase tag of the entries posted now */
	unsigned int users;	/* CQ: SQs posting to it */
};

/*
 * A command consumed and not completed: hung by a fault, held by
 * LATE_ADMIN, or done and waiting for room in its CQ. Kept in consumption
 * order so completions on one CQ post in order.
 */
enum nvmm_state { NVMM_HUNG, NVMM_LATE, NVMM_READY };

struct nvmm_rec {
	uint32_t dw0;
	uint16_t sqid, cqid, cid, sqhd, status;
	enum nvmm_state state;
};

/* One contiguous piece of a command's data, after address decode. */
struct nvmm_seg {
	uint8_t *p;
	uint64_t len;
	bool cmb;
};

struct nvmm_fail {
	bool admin;
	uint8_t opc;
	uint16_t status;
	unsigned int count;
};

struct nvme_model {
	struct nvme_model_cfg cfg;
	uint8_t *bar0, *cmb, *disk;
	uint64_t cmb_off, cmb_size;	/* the CMB in its BAR, bytes (cfg) */
	uint32_t stride;		/* doorbell stride, bytes */

	/* Registers the model owns, and what it latched. */
	uint64_t cap;
	uint32_t cc, csts, intms, cmbsts;
	bool en;			/* CC.EN as latched */
	uint32_t ps;			/* page size from CC.MPS */
	bool rdy_pending, rdy_target;
	uint64_t rdy_due_ns;
	bool shst_pending;	/* a shutdown completes at shst_due_ns */
	uint64_t shst_due_ns;

	/* The CMB window the controller decodes DMA addresses with. */
	bool win_on;
	uint64_t win_base;

	struct nvmm_queue sq[NVMM_NQ], cq[NVMM_NQ];
	struct nvmm_rec *rec;
	unsigned int nrec, caprec;
	struct nvmm_seg *seg;
	unsigned int nseg, capseg;

	bool hang, io_hang, late_armed, removed, never_ready;
	struct nvmm_fail fail[NVMM_MAX_FAILS];
	void (*reset_cb)(void *arg, unsigned int outstanding);
	void *reset_arg;

	struct nvme_model_stats st;
	unsigned int nviol;
	char viol_first[NVMM_VIOL_LEN], viol_last[NVMM_VIOL_LEN];
};

/* Where a DMA goes: host memory, the CMB, or nowhere (a violation). */
enum nvmm_where { NVMM_HOST, NVMM_CMB, NVMM_BAD };

/* Records a violation: one line naming the rule, then details. */
void nvmm_viol(struct nvme_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* realloc()s an array to hold need elements, or aborts. */
void *nvmm_grow(void *p, unsigned int *cap, unsigned int need, size_t elem);

/* Address decode (nvme_ctrl_model.c). */
enum nvmm_where nvmm_decode(struct nvme_model *m, uint64_t addr, uint64_t len,
		const char *what, uint8_t **p, uint16_t *st);
uint16_t nvmm_place_queue(struct nvme_model *m, struct nvmm_queue *q,
		uint64_t base, uint32_t n, uint32_t esz, const char *what,
		uint32_t cmbsz_bit, const char *bit_name);
uint8_t *nvmm_queue_entry(struct nvme_model *m, const struct nvmm_queue *q,
		uint32_t idx, uint32_t esz, const char *what);

/* Commands (nvme_ctrl_model_cmd.c): doorbells already checked for range. */
void nvmm_sq_doorbell(struct nvme_model *m, uint16_t qid, uint32_t v);
void nvmm_cq_doorbell(struct nvme_model *m, uint16_t qid, uint32_t v);

#endif /* NVME_CTRL_MODEL_INTERNAL_H */
