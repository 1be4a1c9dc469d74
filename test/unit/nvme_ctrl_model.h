/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A register-level model of one NVMe controller with a Controller Memory
 * Buffer, for unit tests of a host driver without a device.
 *
 * BAR0 and the CMB BAR are plain memory the model owns; the host reads and
 * writes them directly and calls nvme_model_reg_written() after every
 * register write and nvme_model_reg_read() before every register read.
 * The model is synchronous and deterministic: it does all its work inside
 * those calls and nvme_model_step(), never in a thread, so a test sees the
 * effect of a doorbell as soon as the write returns. Host memory is
 * addressed by bus address == CPU virtual address (IOVA-as-VA), except
 * inside the enabled CMB window, which maps to the model's CMB memory.
 *
 * It is strict on purpose: what the NVMe specification leaves undefined or
 * forbids the host is recorded as a violation (nvme_model_violations()),
 * so a test can assert that a driver never relies on it.
 *
 * Names are NVME_MODEL_ / NVMM_ / nvme_model_ so that a test can include
 * the driver's own NVMe headers beside this one.
 */
#ifndef NVME_CTRL_MODEL_H
#define NVME_CTRL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* What the controller reports; nvme_model_cfg_default() fills in all. */
struct nvme_model_cfg {
	uint16_t mqes;		/* CAP.MQES as the register holds it (0-based) */
	uint8_t to;		/* CAP.TO, 500 ms units */
	uint8_t dstrd;		/* CAP.DSTRD field: doorbell stride 4 << dstrd */
	uint8_t mpsmin, mpsmax;	/* CAP.MPSMIN/MPSMAX fields (page 4 KiB << n) */
	bool cmbs;		/* CAP.CMBS: the NVMe 1.4 CMB scheme */
	uint32_t vs;		/* VS register */
	uint64_t bar0_size;	/* bytes of BAR0 the host may touch */
	uint32_t cmbloc, cmbsz;	/* what the controller reports (0: no CMB),
				 * CMBLOC's restriction bits included */
	uint64_t cmb_bar_size;	/* bytes of the BAR holding the CMB */
	uint64_t cmb_bar_bus;	/* that BAR's bus address */
	uint8_t mdts;		/* Identify MDTS (0: no limit), units of MPSMIN */
	uint32_t rtd3e_us;	/* Identify RTD3E */
	uint32_t ready_delay_ms; /* CSTS.RDY follows CC.EN this long after
				  * the write (0: at once) */
	uint32_t lba_shift;	/* 9: 512-byte blocks */
	uint64_t nb_lbas;
	uint32_t nsid;		/* the one active namespace (1) */
	/* Additions. */
	uint32_t shutdown_delay_ms; /* CSTS.SHST reads complete this long
				     * after CC.SHN is set (0: at once), as
				     * a controller flushing its cache */
	uint16_t nr_io_queues;	/* I/O queue pairs Set Features grants,
				 * 1..NVME_MODEL_MAX_IO_QUEUES (0 reads as 1) */
};

#define NVME_MODEL_MAX_IO_QUEUES 4

/* CMBLOC and CMBSZ bits (NVMe 1.4), for building a cfg. */
#define NVMM_CMBLOC_CQMMS	(1u << 3)
#define NVMM_CMBLOC_CQPDS	(1u << 4)
#define NVMM_CMBLOC_CDPMLS	(1u << 5)
#define NVMM_CMBLOC_CDPCILS	(1u << 6)
#define NVMM_CMBSZ_SQS		(1u << 0)
#define NVMM_CMBSZ_CQS		(1u << 1)
#define NVMM_CMBSZ_LISTS	(1u << 2)
#define NVMM_CMBSZ_RDS		(1u << 3)
#define NVMM_CMBSZ_WDS		(1u << 4)
#define NVMM_CMBSZ_SZU_SHIFT	8
#define NVMM_CMBSZ_SZ_SHIFT	12

/*
 * Completion status values (SCT << 8 | SC) the model posts: generic ones
 * (SCT 0) and the queue commands' own (SCT 1, command specific).
 */
#define NVMM_SC_SUCCESS		0x000
#define NVMM_SC_INVALID_OPCODE	0x001
#define NVMM_SC_INVALID_FIELD	0x002
#define NVMM_SC_DATA_XFER	0x004	/* Data Transfer Error */
#define NVMM_SC_INTERNAL	0x006
#define NVMM_SC_ABORT_SQ_DEL	0x008	/* Command Aborted due to SQ Deletion */
#define NVMM_SC_INVALID_NS	0x00b
#define NVMM_SC_INVALID_CMB	0x012	/* Invalid Use of Controller Memory Buffer */
#define NVMM_SC_PRP_OFFSET	0x013	/* PRP Offset Invalid */
#define NVMM_SC_LBA_RANGE	0x080
#define NVMM_SC_CQ_INVALID	0x100	/* Create SQ: Completion Queue Invalid */
#define NVMM_SC_QID_INVALID	0x101
#define NVMM_SC_QSIZE_INVALID	0x102
#define NVMM_SC_QDEL_INVALID	0x10c	/* Delete CQ: an SQ still uses it */

/*
 * Like QEMU's emulated controller with a 64 MiB CMB in BAR2 (SQS, LISTS,
 * RDS, WDS; CDPMLS and CDPCILS set), NVMe 1.4 scheme, BAR0 16 KiB, MDTS 7,
 * 32768 blocks of 512 bytes in namespace 1, CMB BAR at bus address
 * 0x7e0000000000 (nothing Linux mmap()s by default, so host buffers never
 * alias it), one I/O queue pair.
 */
void nvme_model_cfg_default(struct nvme_model_cfg *c);

struct nvme_model;

/* NULL when the cfg is inconsistent or memory is short. */
struct nvme_model *nvme_model_create(const struct nvme_model_cfg *c);
void nvme_model_destroy(struct nvme_model *m);

/* BAR0: bar0_size bytes (a guard page after it catches stray writes). */
volatile uint8_t *nvme_model_bar0(struct nvme_model *m);
/* The CPU view of the BAR holding the CMB: cmb_bar_size bytes, 4 KiB aligned. */
uint8_t *nvme_model_cmb_bar(struct nvme_model *m);
/* The namespace's blocks: nb_lbas << lba_shift bytes. */
uint8_t *nvme_model_disk(struct nvme_model *m);

/* The host wrote len (4 or 8) bytes of BAR0 at off. */
void nvme_model_reg_written(struct nvme_model *m, uint32_t off, unsigned int len);
/* The host is about to read the dword of BAR0 at off. */
void nvme_model_reg_read(struct nvme_model *m, uint32_t off);
/* Do whatever is due (a CSTS.RDY transition after ready_delay_ms). */
void nvme_model_step(struct nvme_model *m);

enum nvme_model_fault {
	NVME_MODEL_OK,		/* turns off HANG, IO_HANG, NEVER_READY and an
				 * armed LATE_ADMIN; FATAL lasts until a reset,
				 * REMOVED for good */
	NVME_MODEL_HANG,	/* consume commands (admin and I/O), never
				 * complete them; keep them outstanding */
	NVME_MODEL_IO_HANG,	/* the same, I/O queues only */
	NVME_MODEL_LATE_ADMIN,	/* hold the next admin command's completion;
				 * post it first at the next admin SQ
				 * doorbell (one shot) */
	NVME_MODEL_REMOVED,	/* surprise removal: BAR0 and the CMB BAR read
				 * all ones from now on; nothing is processed */
	NVME_MODEL_FATAL,	/* CSTS.CFS; nothing processed until EN 1->0 */
	NVME_MODEL_NEVER_READY,	/* CSTS.RDY never follows CC.EN again */
};
void nvme_model_fault(struct nvme_model *m, enum nvme_model_fault f);

/*
 * The next count commands with opcode opc on the admin queue (admin) or
 * on any I/O queue complete with status (SCT << 8 | SC) without doing
 * anything. Up to 8 such rules at once; count 0 removes the rule.
 */
void nvme_model_fail_next(struct nvme_model *m, bool admin, uint8_t opc,
		uint16_t status, unsigned int count);

/*
 * cb is called at every CC.EN 1->0 transition, after the reset, with the
 * number of commands that were outstanding (consumed, not completed).
 */
void nvme_model_on_reset(struct nvme_model *m,
		void (*cb)(void *arg, unsigned int outstanding), void *arg);

struct nvme_model_stats {
	uint64_t admin_cmds, io_cmds;		/* consumed from the SQs */
	uint64_t writes, reads, flushes;	/* I/O commands that succeeded */
	uint64_t bytes_written, bytes_read;	/* disk side */
	uint64_t cmb_data_bytes, host_data_bytes; /* where I/O data was DMA'd
						   * from/to (admin data not
						   * counted) */
	uint64_t prp_lists, prp_list_pages, prp_chains; /* lists used, list
							 * pages read, chain
							 * pointers followed */
	uint64_t sq_doorbells, cq_doorbells, enables, resets, shutdowns;
	unsigned int outstanding;	/* consumed, not completed, all queues */
	unsigned int io_queues;		/* I/O SQs existing now */
	bool enabled;			/* CC.EN as latched */
	uint64_t max_xfer_seen;		/* largest data transfer of one I/O command */
};
void nvme_model_stats(const struct nvme_model *m, struct nvme_model_stats *s);

/*
 * Number of violations so far and the first one's text (NULL if none):
 * one line naming the rule, then details.
 */
unsigned int nvme_model_violations(const struct nvme_model *m, const char **first);
/* Additions: the latest violation's text (NULL if none), and a fresh start. */
const char *nvme_model_last_violation(const struct nvme_model *m);
void nvme_model_clear_violations(struct nvme_model *m);

#endif /* NVME_CTRL_MODEL_H */
