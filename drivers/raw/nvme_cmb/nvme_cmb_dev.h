/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's private state, shared by its files: the controller
 * (nvme_cmb_ctrl.c), the CMB (nvme_cmb_cmb.c), the I/O queue pair
 * (nvme_cmb_io.c), the rawdev glue (nvme_cmb_rawdev.c) and the selftest.
 */
#ifndef NVME_CMB_DEV_H
#define NVME_CMB_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>
#include <rte_memzone.h>
#include <rte_pci_wc.h>
#include <rte_rawdev.h>

#include "wc_mmio.h"
#include "nvme_cmb_regs.h"
#include "nvme_cmb_ring.h"
#include "nvme_cmb_spec.h"
#include "rte_pmd_nvme_cmb.h"

struct rte_pci_device;

extern int nvme_cmb_logtype;
#define NVME_CMB_LOG(level, dev, fmt, ...) \
	rte_log(RTE_LOG_ ## level, nvme_cmb_logtype, "nvme_cmb: %s: " fmt "\n", \
		(dev)->name, ##__VA_ARGS__)

/* Admin queue entries: the driver sends one admin command at a time. */
#define NVME_CMB_ADMIN_DEPTH 16
/* Largest transfer of one op (further capped by MDTS). */
#define NVME_CMB_MAX_XFER (32 * 1024)

/* A block of DMA memory: in host memory (a memzone) or in the CMB. */
struct nvme_cmb_mem {
	void *va;		/* CPU address (CMB: in the BAR mapping) */
	uint64_t bus;		/* address the controller uses */
	size_t len;
	bool in_cmb;
	const struct rte_memzone *mz;	/* host memory only */
};

/* One command slot, indexed by command identifier. */
struct nvme_cmb_slot {
	struct rte_rawdev_buf *buf;	/* NULL when free */
	struct rte_pmd_nvme_cmb_op *op;
	uint64_t deadline;	/* timer cycles */
	bool lost;		/* timed out: wait for its CQE before reuse */
	struct nvme_cmb_mem data;	/* max_xfer + a page */
	struct nvme_cmb_mem list;	/* one page of PRP list */
};

struct nvme_cmb_stats {
	uint64_t commands, errors, timeouts;
	uint64_t bytes_written, bytes_read;
	uint64_t doorbells, flushes;
	uint64_t sqe_stores, data_stores, prp_stores;
};

struct nvme_cmb_ioq {
	bool created;
	uint16_t qid;
	uint16_t depth;
	struct nvme_ring ring;
	struct nvme_cmb_mem sq, cq;
	struct nvme_cmb_slot *slots;	/* depth of them */
	uint16_t *free_cids;		/* stack of free slots */
	uint16_t nb_free;
	struct rte_rawdev_buf **done;	/* completed, not yet dequeued */
	uint16_t done_head, nb_done;
	uint16_t nb_lost;
};

struct nvme_cmb_dev {
	char name[32];		/* PCI name */
	struct rte_pci_device *pci;
	volatile uint8_t *bar0;
	struct nvme_cap cap;
	uint32_t vs;
	uint32_t page_size;
	uint32_t max_xfer;
	uint32_t nsid;
	uint32_t lba_size;
	uint64_t nb_lbas;
	char model[41], serial[21];

	/* Admin queue pair (host memory). */
	struct nvme_ring aring;
	struct nvme_cmb_mem asq, acq;
	uint16_t admin_cid;

	/* The CMB. */
	bool cmb_present;
	bool cmb_legacy;
	struct nvme_cmb_geom cmb;
	volatile uint8_t *cmb_va;	/* CPU address of the CMB's first byte */
	uint64_t cmb_bus;		/* its bus address (CBA) */
	enum wc_mmio_attr cmb_attr;
	char cmb_reason[RTE_PCI_WC_REASON_LEN];
	uint64_t cmb_used;		/* bump allocator */
	unsigned int sqe_width;		/* widest store the SQE copy uses */

	struct rte_pmd_nvme_cmb_conf conf;
	struct nvme_cmb_ioq ioq;
	struct nvme_cmb_stats stats;
	bool started;
	bool live;	/* brought up: close must shut it down */
};

/*
 * Test builds only (NVME_CMB_REG_HOOKS): the unit test's controller model
 * is told of every register access, and answers rte_pci_wc_bar_info() for
 * the PCI device it stands for.
 */
#ifdef NVME_CMB_REG_HOOKS
void nvme_cmb_hook_reg_read(volatile const uint8_t *bar0, uint32_t off);
void nvme_cmb_hook_reg_written(volatile const uint8_t *bar0, uint32_t off);
int nvme_cmb_hook_bar_info(const struct rte_pci_device *dev, unsigned int bar,
		struct rte_pci_wc_bar *info);
#define nvme_cmb_bar_info nvme_cmb_hook_bar_info
#else
#define nvme_cmb_bar_info rte_pci_wc_bar_info
#endif

/* nvme_cmb_rawdev.c: probe and remove, also called by the unit tests. */
int nvme_cmb_dev_probe(struct rte_pci_device *pci);
int nvme_cmb_dev_remove(struct rte_pci_device *pci);

/* nvme_cmb_ctrl.c */
uint32_t nvme_cmb_rd32(const struct nvme_cmb_dev *d, uint32_t off);
uint64_t nvme_cmb_rd64(const struct nvme_cmb_dev *d, uint32_t off);
void nvme_cmb_wr32(struct nvme_cmb_dev *d, uint32_t off, uint32_t v);
void nvme_cmb_wr64(struct nvme_cmb_dev *d, uint32_t off, uint64_t v);
int nvme_cmb_mem_host(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m,
		const char *what, size_t len);
void nvme_cmb_mem_free(struct nvme_cmb_mem *m);
int nvme_cmb_ctrl_init(struct nvme_cmb_dev *d);
void nvme_cmb_ctrl_fini(struct nvme_cmb_dev *d);
int nvme_cmb_admin(struct nvme_cmb_dev *d, struct nvme_sqe *cmd,
		uint32_t *dw0);

/* nvme_cmb_cmb.c */
int nvme_cmb_cmb_init(struct nvme_cmb_dev *d);
void nvme_cmb_cmb_fini(struct nvme_cmb_dev *d);
void nvme_cmb_cmb_reset(struct nvme_cmb_dev *d);
int nvme_cmb_mem_cmb(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m,
		const char *what, size_t len);
int nvme_cmb_conf_check(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf);

/* nvme_cmb_io.c */
int nvme_cmb_ioq_create(struct nvme_cmb_dev *d);
void nvme_cmb_ioq_destroy(struct nvme_cmb_dev *d);
int nvme_cmb_enqueue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count);
int nvme_cmb_dequeue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count);
bool nvme_cmb_ioq_idle(const struct nvme_cmb_dev *d);

/* nvme_cmb_selftest.c */
int nvme_cmb_selftest(uint16_t dev_id);

#endif /* NVME_CMB_DEV_H */
