/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe controller registers (BAR0) and the decoding of the ones the driver
 * reads: offsets and field positions from the NVMe base specification.
 * Pure functions of register values, so the unit tests can check them.
 */
#ifndef NVME_CMB_REGS_H
#define NVME_CMB_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define NVME_REG_CAP	0x00	/* 64-bit */
#define NVME_REG_VS	0x08
#define NVME_REG_INTMS	0x0c
#define NVME_REG_CC	0x14
#define NVME_REG_CSTS	0x1c
#define NVME_REG_AQA	0x24
#define NVME_REG_ASQ	0x28	/* 64-bit */
#define NVME_REG_ACQ	0x30	/* 64-bit */
#define NVME_REG_CMBLOC	0x38
#define NVME_REG_CMBSZ	0x3c
#define NVME_REG_CMBMSC	0x50	/* 64-bit */
#define NVME_REG_CMBSTS	0x58
#define NVME_REG_DBS	0x1000

#define NVME_CC_EN		(1u << 0)
#define NVME_CC_CSS_NVM		(0u << 4)
#define NVME_CC_MPS_SHIFT	7
#define NVME_CC_AMS_RR		(0u << 11)
#define NVME_CC_SHN_NORMAL	(1u << 14)
#define NVME_CC_SHN_MASK	(3u << 14)
#define NVME_CC_IOSQES_SHIFT	16
#define NVME_CC_IOCQES_SHIFT	20

#define NVME_CSTS_RDY		(1u << 0)
#define NVME_CSTS_CFS		(1u << 1)
#define NVME_CSTS_SHST_MASK	(3u << 2)
#define NVME_CSTS_SHST_DONE	(2u << 2)

#define NVME_CMBMSC_CRE		(1ull << 0)
#define NVME_CMBMSC_CMSE	(1ull << 1)
#define NVME_CMBMSC_CBA_MASK	(~0xfffull)
#define NVME_CMBSTS_CBAI	(1u << 0)

/* CAP, decoded. */
struct nvme_cap {
	uint32_t mqes;		/* max queue entries (1-based) */
	bool cqr;		/* queues must be physically contiguous */
	uint32_t timeout_ms;	/* CAP.TO: worst-case CSTS.RDY transition */
	uint32_t dstrd;		/* doorbell stride, bytes */
	bool css_nvm;		/* NVM command set supported */
	uint32_t mpsmin;	/* smallest memory page size, bytes */
	uint32_t mpsmax;	/* largest memory page size, bytes */
	bool cmbs;		/* CMBLOC/CMBSZ/CMBMSC implemented (1.4+) */
};

static inline struct nvme_cap
nvme_cap_decode(uint64_t cap)
{
	struct nvme_cap c;

	c.mqes = (uint32_t)(cap & 0xffff) + 1;
	c.cqr = (cap >> 16) & 1;
	c.timeout_ms = (uint32_t)((cap >> 24) & 0xff) * 500;
	c.dstrd = 4u << ((cap >> 32) & 0xf);
	c.css_nvm = (cap >> 37) & 1;
	c.mpsmin = 4096u << ((cap >> 48) & 0xf);
	c.mpsmax = 4096u << ((cap >> 52) & 0xf);
	c.cmbs = (cap >> 57) & 1;
	return c;
}

/* VS: major in bits 31:16, minor in 15:8. */
static inline unsigned int nvme_vs_major(uint32_t vs) { return vs >> 16; }
static inline unsigned int nvme_vs_minor(uint32_t vs) { return (vs >> 8) & 0xff; }

/* CMBLOC and CMBSZ, decoded into bytes. */
struct nvme_cmb_geom {
	unsigned int bir;	/* BAR holding the CMB */
	uint64_t offset;	/* CMB's offset in that BAR, bytes */
	uint64_t size;		/* bytes; 0: no CMB */
	bool sqs, cqs, lists, rds, wds;
	/*
	 * NVMe 1.4 CMBLOC rules (0 on older controllers, where the bits are
	 * reserved): CDPMLS, a PRP list may be in other memory than its
	 * data; CDPCILS, a PRP list in the CMB may serve a command that is
	 * not. The others (CQMMS, CQPDS, CDMMMS, CQDA) never bind this
	 * driver: its queues are contiguous and whole, it moves no
	 * metadata, and every SQ entry store is a dword multiple.
	 */
	bool cdpmls, cdpcils;
};

/*
 * Size units of CMBSZ.SZU: 4 KiB << (4 * SZU), for SZU 0..6 (4 KiB to
 * 64 GiB); other values are reserved. Returns 0 for reserved.
 */
static inline uint64_t
nvme_cmbsz_unit(uint32_t cmbsz)
{
	unsigned int szu = (cmbsz >> 8) & 0xf;

	return szu <= 6 ? 4096ull << (4 * szu) : 0;
}

static inline struct nvme_cmb_geom
nvme_cmb_decode(uint32_t cmbloc, uint32_t cmbsz)
{
	struct nvme_cmb_geom g;
	uint64_t unit = nvme_cmbsz_unit(cmbsz);

	g.bir = cmbloc & 0x7;
	g.offset = (uint64_t)(cmbloc >> 12) * unit;
	g.size = (uint64_t)(cmbsz >> 12) * unit;
	g.sqs = cmbsz & 1;
	g.cqs = (cmbsz >> 1) & 1;
	g.lists = (cmbsz >> 2) & 1;
	g.rds = (cmbsz >> 3) & 1;
	g.wds = (cmbsz >> 4) & 1;
	g.cdpmls = (cmbloc >> 5) & 1;
	g.cdpcils = (cmbloc >> 6) & 1;
	return g;
}

/*
 * CMBMSC value that enables the CMB for controller memory space at bus
 * address cba (4 KiB aligned): CRE | CMSE | CBA.
 */
static inline uint64_t
nvme_cmbmsc_enable(uint64_t cba)
{
	return (cba & NVME_CMBMSC_CBA_MASK) | NVME_CMBMSC_CMSE | NVME_CMBMSC_CRE;
}

/* Whether [b, b + blen) meets the window [w, w + wlen). */
static inline bool
nvme_cmb_cmb_overlaps_raw(uint64_t w, uint64_t wlen, uint64_t b, uint64_t blen)
{
	return blen != 0 && wlen != 0 && b < w + wlen && w < b + blen;
}

/* Offset in BAR0 of submission queue qid's tail doorbell. */
static inline uint32_t
nvme_sq_doorbell(unsigned int qid, uint32_t dstrd)
{
	return NVME_REG_DBS + (2 * qid) * dstrd;
}

/* Offset in BAR0 of completion queue qid's head doorbell. */
static inline uint32_t
nvme_cq_doorbell(unsigned int qid, uint32_t dstrd)
{
	return NVME_REG_DBS + (2 * qid + 1) * dstrd;
}

/* log2 of a power of two (page sizes, entry sizes). */
static inline unsigned int
nvme_log2(uint64_t v)
{
	unsigned int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* CC for an enabled NVM controller with pages of page_size bytes. */
static inline uint32_t
nvme_cc_enable(uint32_t page_size)
{
	return NVME_CC_EN | NVME_CC_CSS_NVM | NVME_CC_AMS_RR |
		((nvme_log2(page_size) - 12) << NVME_CC_MPS_SHIFT) |
		(6u << NVME_CC_IOSQES_SHIFT) |	/* 64-byte SQ entries */
		(4u << NVME_CC_IOCQES_SHIFT);	/* 16-byte CQ entries */
}

#endif /* NVME_CMB_REGS_H */
