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

#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_memzone.h>
#include <rte_pci_wc.h>
#include <rte_rawdev.h>

#include "wc_mmio.h"
#include "nvme_cmb_regs.h"
#include "nvme_cmb_ring.h"
#include "nvme_cmb_spec.h"
#include "rte_pmd_nvme_cmb.h"
#include "nvme_cmb_args.h"

struct rte_pci_device;

extern int nvme_cmb_logtype;
#define NVME_CMB_LOG(level, dev, fmt, ...) \
	rte_log(RTE_LOG_ ## level, nvme_cmb_logtype, "nvme_cmb: %s: " fmt "\n", \
		(dev)->name, ##__VA_ARGS__)

/* Admin queue entries: the driver sends one admin command at a time. */
#define NVME_CMB_ADMIN_DEPTH 16

/*
 * A data-path error is logged at most once a second: a fault that fails
 * every op would otherwise log at the op rate. The lines it held back
 * are counted in the next one.
 */
#define NVME_CMB_LOG_DP(dev, fmt, ...) do { \
	if (nvme_cmb_log_dp_ok(dev)) \
		NVME_CMB_LOG(ERR, dev, fmt " (%" PRIu64 " similar lines held back)", \
			     ##__VA_ARGS__, nvme_cmb_log_dp_held(dev)); \
} while (0)

/* A block of DMA memory: in host memory (a memzone) or in the CMB. */
struct nvme_cmb_mem {
	void *va;		/* CPU address (CMB: in the BAR mapping) */
	uint64_t bus;		/* address the controller uses */
	size_t len;
	bool in_cmb;
	const struct rte_memzone *mz;	/* host memory only */
};

/* Where a command's PRP list goes, for a configuration. */
enum nvme_cmb_list_place {
	NVME_CMB_LIST_HOST,	/* host memory */
	NVME_CMB_LIST_CMB,	/* the CMB */
	NVME_CMB_LIST_NONE,	/* nowhere allowed: ops limited to no list */
};

/* One command slot, indexed by command identifier. */
struct nvme_cmb_slot {
	struct rte_rawdev_buf *buf;	/* NULL when free */
	struct rte_pmd_nvme_cmb_op *op;
	uint64_t deadline;	/* timer cycles */
	bool lost;		/* timed out: wait for its CQE before reuse */
	bool bounced;		/* a read's data comes back through data */
	bool *sync_done;	/* rte_pmd_nvme_cmb_run()'s op: set, not queued */
	struct nvme_cmb_mem data;	/* max_xfer + a page (part of a chunk) */
	struct nvme_cmb_mem list;	/* PRP list pages (part of a chunk) */
};

struct nvme_cmb_stats {
	uint64_t commands, errors, timeouts, aborted;
	uint64_t bytes_written, bytes_read, bounce_bytes;
	uint64_t doorbells, flushes;
	uint64_t sqe_stores, data_stores, prp_stores;
};

/* Host memory for the slots, several slots per memzone. */
#define NVME_CMB_CHUNK_BYTES (2u << 20)

struct nvme_cmb_ioq {
	bool created;
	uint16_t qid;
	uint16_t depth;
	struct nvme_ring ring;
	struct nvme_cmb_mem sq, cq;
	struct nvme_cmb_slot *slots;	/* depth of them */
	uint16_t *free_cids;		/* stack of free slots */
	uint16_t nb_free;
	uint16_t nb_lost;
	struct nvme_cmb_mem *chunks;	/* host memzones the slots live in */
	unsigned int nb_chunks;
	enum nvme_cmb_list_place list_place;
	uint32_t max_xfer;		/* largest op of this configuration */
	unsigned int list_cap;		/* PRP list entries a slot holds */
	uint32_t sqe_stores;		/* MMIO stores of one SQ entry */
	int32_t abort_why;		/* tearing down: result of aborted ops */
};

/* Completed ops not yet dequeued; outlives the queue pair that ran them. */
struct nvme_cmb_done {
	struct rte_rawdev_buf *bufs[NVME_CMB_QDEPTH_MAX];
	uint16_t head, nb;
};

struct nvme_cmb_dev {
	char name[32];		/* PCI name */
	struct rte_pci_device *pci;
	int socket;
	volatile uint8_t *bar0;
	uint64_t bar0_len;
	struct nvme_cap cap;
	uint32_t vs;
	uint32_t page_size;
	uint32_t mdts_bytes;	/* the controller's limit; 0: none */
	uint32_t shutdown_ms;	/* from RTD3E */
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
	struct rte_pmd_nvme_cmb_conf args_conf;	/* from the device arguments */
	struct nvme_cmb_ioq ioq;
	struct nvme_cmb_done done;
	uint64_t *list_tmp;	/* a CMB PRP list is built here, then stored */
	struct nvme_cmb_stats stats;
	uint64_t log_dp_next, log_dp_held;
	bool started;
	bool live;	/* brought up: close must shut it down */
	bool need_reset;	/* queues dropped by a disable: enable before use */
};

static inline bool
nvme_cmb_log_dp_ok(struct nvme_cmb_dev *d)
{
	uint64_t now = rte_get_timer_cycles();

	if (now < d->log_dp_next) {
		d->log_dp_held++;
		return false;
	}
	d->log_dp_next = now + rte_get_timer_hz();
	return true;
}

static inline uint64_t
nvme_cmb_log_dp_held(struct nvme_cmb_dev *d)
{
	uint64_t n = d->log_dp_held;

	d->log_dp_held = 0;
	return n;
}

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
int nvme_cmb_ctrl_disable(struct nvme_cmb_dev *d);
int nvme_cmb_ctrl_reenable(struct nvme_cmb_dev *d);
bool nvme_cmb_ctrl_gone(struct nvme_cmb_dev *d);
int nvme_cmb_admin(struct nvme_cmb_dev *d, struct nvme_sqe *cmd,
		uint32_t *dw0);

/* nvme_cmb_cmb.c */
int nvme_cmb_cmb_init(struct nvme_cmb_dev *d);
void nvme_cmb_cmb_fini(struct nvme_cmb_dev *d);
void nvme_cmb_cmb_reset(struct nvme_cmb_dev *d);
int nvme_cmb_mem_cmb(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m,
		const char *what, size_t len);
int nvme_cmb_cmb_enable(struct nvme_cmb_dev *d);
bool nvme_cmb_cmb_overlaps(const struct nvme_cmb_dev *d, uint64_t bus,
		uint64_t len);
enum nvme_cmb_list_place nvme_cmb_list_place(const struct nvme_cmb_geom *g,
		const struct rte_pmd_nvme_cmb_conf *conf);
int nvme_cmb_conf_check(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf);
uint32_t nvme_cmb_conf_max_xfer(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf);

/* nvme_cmb_io.c */
uint64_t nvme_cmb_slot_cmb_bytes(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf, uint32_t max_xfer);
int nvme_cmb_ioq_create(struct nvme_cmb_dev *d);
void nvme_cmb_ioq_destroy(struct nvme_cmb_dev *d, int32_t why);
int nvme_cmb_run_sync(struct nvme_cmb_dev *d, struct rte_pmd_nvme_cmb_op *op);
unsigned int nvme_cmb_ops_pending(const struct nvme_cmb_dev *d);
int nvme_cmb_enqueue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count);
int nvme_cmb_dequeue(struct nvme_cmb_dev *d, struct rte_rawdev_buf **bufs,
		unsigned int count);

/* nvme_cmb_selftest.c */
int nvme_cmb_selftest(uint16_t dev_id);

#endif /* NVME_CMB_DEV_H */
