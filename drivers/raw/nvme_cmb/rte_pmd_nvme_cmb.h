/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * NVMe Controller Memory Buffer (CMB) rawdev PMD.
 *
 * The driver brings up an NVMe controller from its registers and runs one
 * I/O queue pair in polled mode. Its submission queue and its data buffers
 * can each live in host memory or in the controller's CMB; the CMB is
 * written through the mapping the PCI bus gave its BAR (write-combining
 * when the bus reports RTE_PCI_WC_ATTR_WC, uncached otherwise), with the MMIO
 * copy routines of wc_mmio.h, and one flush before every doorbell.
 *
 * Use through the rawdev API:
 *  - rte_rawdev_info_get() with dev_private pointing at a
 *    struct rte_pmd_nvme_cmb_info;
 *  - rte_rawdev_configure() (dev_private: struct rte_pmd_nvme_cmb_conf, or
 *    NULL for the device arguments' values), rte_rawdev_queue_setup(dev, 0,
 *    NULL, 0), rte_rawdev_start();
 *  - rte_rawdev_enqueue_buffers() with rte_rawdev_buf.buf_addr pointing at
 *    a struct rte_pmd_nvme_cmb_op, context NULL (queue 0);
 *    rte_rawdev_dequeue_buffers() returns the same buffers once their
 *    commands completed, with status and result filled in;
 *  - rte_rawdev_xstats_*() for the counters named RTE_PMD_NVME_CMB_XSTAT_*;
 *  - rte_rawdev_selftest().
 *
 * One thread at a time per device: none of these calls is safe against
 * another on the same device (different devices are independent). Only
 * the primary process drives the device; in a secondary process the
 * driver does not probe it (rte_pmd_nvme_cmb_dev_id() returns -ENODEV
 * there), since bringing a controller up starts with resetting it.
 */
#ifndef RTE_PMD_NVME_CMB_H
#define RTE_PMD_NVME_CMB_H

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Driver name, as EAL and rte_rawdev_info.driver_name show it. */
#define RTE_PMD_NVME_CMB_DRIVER_NAME "raw_nvme_cmb"

/** Device argument: where the I/O submission queue lives, "host" or "cmb". */
#define RTE_PMD_NVME_CMB_ARG_SQ "sq"
/** Device argument: where command data lives, "host" or "cmb". */
#define RTE_PMD_NVME_CMB_ARG_DATA "data"
/** Device argument: I/O queue depth, 2..1024 (entries; one stays free). */
#define RTE_PMD_NVME_CMB_ARG_QDEPTH "qdepth"
/** Device argument: command timeout in milliseconds, 1..60000. */
#define RTE_PMD_NVME_CMB_ARG_TIMEOUT "timeout_ms"
/**
 * Device argument: the largest op in bytes, a multiple of 4096 from 4096
 * to 8 MiB; default 512 KiB. Lowered to the controller's limit (Identify
 * MDTS) with a notice. Each command slot holds a buffer this large (in
 * host memory or the CMB, see data), so qdepth * max_xfer is the memory
 * a configuration takes.
 */
#define RTE_PMD_NVME_CMB_ARG_MAX_XFER "max_xfer"
/**
 * Device argument: "1" runs rte_rawdev_selftest() when the device is
 * probed, for applications that cannot call it (dpdk-testpmd, for one);
 * a failed selftest fails the probe. It overwrites the namespace's last
 * 64 blocks. "0", the default, does not.
 */
#define RTE_PMD_NVME_CMB_ARG_SELFTEST "self_test"

/** Where a queue or data buffer lives. */
enum rte_pmd_nvme_cmb_place {
	RTE_PMD_NVME_CMB_HOST = 0, /**< host memory (DMA by the controller) */
	RTE_PMD_NVME_CMB_CMB,      /**< the controller memory buffer */
};

/** Configuration for rte_rawdev_configure(). */
struct rte_pmd_nvme_cmb_conf {
	enum rte_pmd_nvme_cmb_place sq;   /**< I/O submission queue */
	enum rte_pmd_nvme_cmb_place data; /**< command data */
	uint16_t qdepth;                  /**< I/O queue entries */
	uint32_t timeout_ms;              /**< per-command timeout */
	uint32_t max_xfer;                /**< largest op, bytes (see max_xfer) */
};

/** Device information from rte_rawdev_info_get(). */
struct rte_pmd_nvme_cmb_info {
	uint32_t nsid;          /**< namespace the driver uses (the first active) */
	uint32_t lba_size;      /**< bytes per logical block */
	uint64_t nb_lbas;       /**< namespace size in logical blocks */
	uint32_t max_xfer;      /**< largest transfer of one op, bytes */
	uint32_t page_size;     /**< controller memory page size (CC.MPS) */
	uint16_t nvme_version_major; /**< VS */
	uint8_t nvme_version_minor;  /**< VS */
	char model[41];         /**< Identify Controller MN, trimmed */
	char serial[21];        /**< Identify Controller SN, trimmed */
	uint64_t cmb_size;      /**< bytes, 0 when the controller has no CMB */
	uint8_t cmb_bar;        /**< CMBLOC.BIR */
	uint64_t cmb_offset;    /**< CMBLOC.OFST in bytes */
	uint8_t cmb_legacy;     /**< 1: CMB readable without CMBMSC (pre-1.4) */
	uint8_t cmb_sqs, cmb_wds, cmb_rds; /**< CMBSZ support bits */
	uint8_t cmb_wc;         /**< 1: the CMB BAR is mapped write-combining */
	char cmb_reason[384];   /**< (RTE_PCI_WC_REASON_LEN) the bus's reason for the CMB BAR's attribute */
	struct rte_pmd_nvme_cmb_conf conf; /**< the configuration in force */
};

/** What an op asks for. */
enum rte_pmd_nvme_cmb_opcode {
	RTE_PMD_NVME_CMB_OP_WRITE = 1, /**< NVM Write: buf -> LBAs */
	RTE_PMD_NVME_CMB_OP_READ = 2,  /**< NVM Read: LBAs -> buf */
	RTE_PMD_NVME_CMB_OP_FLUSH = 3, /**< NVM Flush: make writes durable */
};

/** status: the command did not complete within timeout_ms. */
#define RTE_PMD_NVME_CMB_STATUS_TIMEOUT 0xffff
/** status: the driver rejected the op before submitting it (see result). */
#define RTE_PMD_NVME_CMB_STATUS_REJECTED 0xfffe
/**
 * status: the op was in flight when its queue was torn down (stop, and
 * so remove, which stops first): result -ECANCELED.
 */
#define RTE_PMD_NVME_CMB_STATUS_ABORTED 0xfffd

/**
 * One command. With conf.data host, a buffer of DPDK memory (rte_malloc)
 * that holds all of the op's blocks (len == nb_lbas * lba_size) and is
 * 4-byte aligned is transferred by the controller directly (zero copy;
 * page_offset is then unused). Otherwise the driver copies a write's data
 * from buf into its own buffer for the command (in host memory or the
 * CMB, per conf.data) before submission, and a read's data into buf after
 * completion, so buf can be any ordinary memory. len bytes are
 * transferred from/to buf; the rest of the last block is written as
 * zeroes and ignored on read.
 */
struct rte_pmd_nvme_cmb_op {
	/* in */
	uint8_t opcode;       /**< enum rte_pmd_nvme_cmb_opcode */
	uint16_t page_offset; /**< data's offset in its first page: a multiple
			       *   of 4 below the page size (PRP1 offset) */
	uint64_t lba;         /**< first logical block */
	uint32_t nb_lbas;     /**< blocks; 0 for flush */
	uint32_t len;         /**< bytes of buf; at most nb_lbas * lba_size */
	void *buf;            /**< write source / read destination */
	void *user;           /**< the application's; never touched */
	/* out */
	uint16_t status;      /**< NVMe status (SCT << 8 | SC), 0 = success,
			       *   or RTE_PMD_NVME_CMB_STATUS_* */
	int result;           /**< 0, or a negative errno (-ETIMEDOUT, -EINVAL,
			       *   -ERANGE past the namespace, -EIO) */
	uint32_t mmio_stores; /**< stores this op issued to the CMB and the
			       *   doorbell (entry + data + PRP list + 1) */
};

/** @name xstats names */
/**@{*/
#define RTE_PMD_NVME_CMB_XSTAT_COMMANDS "commands"
#define RTE_PMD_NVME_CMB_XSTAT_ERRORS "errors"
#define RTE_PMD_NVME_CMB_XSTAT_TIMEOUTS "timeouts"
#define RTE_PMD_NVME_CMB_XSTAT_BYTES_WRITTEN "bytes_written"
#define RTE_PMD_NVME_CMB_XSTAT_BYTES_READ "bytes_read"
#define RTE_PMD_NVME_CMB_XSTAT_DOORBELLS "doorbells"
#define RTE_PMD_NVME_CMB_XSTAT_FLUSHES "wc_flushes"
#define RTE_PMD_NVME_CMB_XSTAT_SQE_STORES "sqe_mmio_stores"
#define RTE_PMD_NVME_CMB_XSTAT_DATA_STORES "data_mmio_stores"
#define RTE_PMD_NVME_CMB_XSTAT_PRP_STORES "prp_list_mmio_stores"
#define RTE_PMD_NVME_CMB_XSTAT_CMB_BYTES_USED "cmb_bytes_used"
#define RTE_PMD_NVME_CMB_XSTAT_CMB_WC "cmb_bar_wc"
#define RTE_PMD_NVME_CMB_XSTAT_SQE_STORE_WIDTH "sqe_store_width"
/** Bytes of data=host ops copied through the driver's own buffers (0: zero copy). */
#define RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES "bounce_bytes"
/** Ops returned with RTE_PMD_NVME_CMB_STATUS_ABORTED. */
#define RTE_PMD_NVME_CMB_XSTAT_ABORTED "aborted"
/**@}*/

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The rawdev id of the nvme_cmb device with PCI name pci_name
 * ("0000:00:04.0"), or a negative errno: -ENODEV when there is none.
 */
__rte_experimental
int rte_pmd_nvme_cmb_dev_id(const char *pci_name);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Run one op to completion: submit it, then poll until it is back or its
 * timeout passed. Other ops of the application, in flight or waiting to
 * be dequeued, are left for rte_rawdev_dequeue_buffers(). Returns
 * op->result, -EPERM on a stopped device, -EBUSY when every command slot
 * is taken, -EINVAL when dev_id is not an nvme_cmb device.
 */
__rte_experimental
int rte_pmd_nvme_cmb_run(uint16_t dev_id, struct rte_pmd_nvme_cmb_op *op);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_NVME_CMB_H */
