/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe command and completion layouts, opcodes and the Identify fields the
 * driver reads (NVMe base and NVM command set specifications).
 */
#ifndef NVME_CMB_SPEC_H
#define NVME_CMB_SPEC_H

#include <stdint.h>

/* Admin opcodes. */
#define NVME_ADM_DELETE_SQ	0x00
#define NVME_ADM_CREATE_SQ	0x01
#define NVME_ADM_DELETE_CQ	0x04
#define NVME_ADM_CREATE_CQ	0x05
#define NVME_ADM_IDENTIFY	0x06
#define NVME_ADM_SET_FEATURES	0x09

/* NVM opcodes. */
#define NVME_NVM_FLUSH		0x00
#define NVME_NVM_WRITE		0x01
#define NVME_NVM_READ		0x02

/* Identify CNS values. */
#define NVME_ID_CNS_NS		0x00
#define NVME_ID_CNS_CTRL	0x01
#define NVME_ID_CNS_NS_ACTIVE	0x02

#define NVME_FEAT_NUM_QUEUES	0x07

/* Submission queue entry: 64 bytes. */
struct nvme_sqe {
	uint8_t opc;
	uint8_t flags;		/* FUSE 1:0, PSDT 7:6 (0: PRPs) */
	uint16_t cid;
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr;
	uint64_t prp1;
	uint64_t prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

/* Completion queue entry: 16 bytes. */
struct nvme_cqe {
	uint32_t dw0;
	uint32_t dw1;
	uint16_t sqhd;
	uint16_t sqid;
	uint16_t cid;
	uint16_t status;	/* phase in bit 0, status field in 15:1 */
};

_Static_assert(sizeof(struct nvme_sqe) == 64, "SQ entries are 64 bytes");
_Static_assert(sizeof(struct nvme_cqe) == 16, "CQ entries are 16 bytes");

/* Generic status: Command Aborted due to SQ Deletion. */
#define NVME_SC_ABORT_SQ_DELETION 0x008

/* The status field of a CQE (SCT << 8 | SC), without phase, CRD, M, DNR. */
static inline uint16_t
nvme_cqe_status(uint16_t status)
{
	return (status >> 1) & 0x7ff;
}

/* Identify Controller offsets. */
#define NVME_IDC_SN	4	/* 20 bytes, ASCII */
#define NVME_IDC_MN	24	/* 40 bytes, ASCII */
#define NVME_IDC_MDTS	77
#define NVME_IDC_RTD3E	88	/* 32-bit, microseconds */
#define NVME_IDC_NN	516	/* 32-bit */

/* Identify Namespace offsets. */
#define NVME_IDN_NSZE	0	/* 64-bit */
#define NVME_IDN_NLBAF	25
#define NVME_IDN_FLBAS	26
#define NVME_IDN_LBAF	128	/* 4 bytes each: MS 15:0, LBADS 23:16 */

#endif /* NVME_CMB_SPEC_H */
