/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_PCI_WC_H
#define RTE_PCI_WC_H

/**
 * @file
 * dpdk-wc PCI bus extension: how each BAR of a PCI device was mapped and
 * why, and a slow path for memory BARs that are not mmapped.
 *
 * The bus decides per BAR at map time from the EAL option --pci-wc (and a
 * per-device "pci_wc=" device argument), the driver's
 * RTE_PCI_DRV_WC_ACTIVATE flag and what the kernel offers (vfio-pci-wc's
 * WC request, UIO's resourceN_wc). Drivers and applications ask here what
 * a BAR actually got and pick their copy routines to match.
 *
 * Every call may be made from any thread: each answer is a copy of the
 * bus's record taken as a whole, never a half-updated one.
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_pci_device;

/** The attribute a BAR's mapping got. */
enum rte_pci_wc_attr {
	/** Not mapped: an I/O or empty BAR, all MSI-X table, or unplugged. */
	RTE_PCI_WC_ATTR_UNMAPPED = 0,
	/** mmapped uncached (x86 UC-, arm64 Device-nGnRE). */
	RTE_PCI_WC_ATTR_UC,
	/** mmapped write-combining (x86 WC, arm64 Normal Non-cacheable). */
	RTE_PCI_WC_ATTR_WC,
	/** Not mmappable: use rte_pci_wc_mmio_read() and _write(). */
	RTE_PCI_WC_ATTR_SLOW_PATH,
};

/** Through what the BAR is reached. */
enum rte_pci_wc_path {
	RTE_PCI_WC_PATH_NONE = 0,	/**< nothing */
	RTE_PCI_WC_PATH_VFIO,		/**< the BAR's own VFIO region */
	RTE_PCI_WC_PATH_VFIO_WC_ALIAS,	/**< vfio-pci-wc's WC alias region */
	RTE_PCI_WC_PATH_UIO,		/**< sysfs resourceN */
	RTE_PCI_WC_PATH_UIO_WC,		/**< sysfs resourceN_wc */
};

/** Room for a reason; every reason the bus writes fits whole. */
#define RTE_PCI_WC_REASON_LEN 384

/** What one BAR got, as rte_pci_wc_bar_info() reports it. */
struct rte_pci_wc_bar {
	unsigned int bar;	/**< BAR index, 0..5 */
	uint64_t size;		/**< bytes; 0 if the BAR is not implemented */
	uint64_t phys_addr;	/**< bus address */
	bool memory;		/**< a memory BAR (not I/O) */
	bool prefetchable;	/**< the BAR is marked prefetchable */
	/**
	 * The device was hot-unplugged: attr is then
	 * RTE_PCI_WC_ATTR_UNMAPPED and reason says what is left at addr.
	 */
	bool unplugged;
	enum rte_pci_wc_attr attr;	/**< the mapping's attribute */
	enum rte_pci_wc_path path;	/**< how it was reached */
	/** The mapping; NULL unless attr is UC or WC. */
	void *addr;
	uint32_t region;	/**< VFIO region index used, if path is VFIO */
	/** Why this attribute, one line, never cut. */
	char reason[RTE_PCI_WC_REASON_LEN];
};

/**
 * Tell what one BAR of a mapped device got.
 *
 * @param dev
 *   A device the PCI bus has mapped (its driver has RTE_PCI_DRV_NEED_MAPPING).
 * @param bar
 *   BAR index, 0..5.
 * @param info
 *   Filled with a copy of the bus's record of the BAR.
 * @return
 *   0; -EINVAL for a BAR index above 5 or a NULL argument; -ENODEV when
 *   the bus holds no mapping of dev (never mapped, unmapped, or freed).
 */
__rte_experimental
int rte_pci_wc_bar_info(const struct rte_pci_device *dev, unsigned int bar,
		struct rte_pci_wc_bar *info);

/**
 * @param attr
 *   An attribute.
 * @return
 *   "unmapped", "uc", "wc", "slow-path", or "?" for a value out of range.
 */
__rte_experimental
const char *rte_pci_wc_attr_name(enum rte_pci_wc_attr attr);

/**
 * @param path
 *   A path.
 * @return
 *   "none", "vfio", "vfio-wc-alias", "uio", "uio-wc", or "?".
 */
__rte_experimental
const char *rte_pci_wc_path_name(enum rte_pci_wc_path path);

/**
 * Read from a memory BAR through the VFIO device fd (pread on the BAR's
 * region), without a mapping: the path for BARs that cannot be mmapped
 * (smaller than a page or not page-aligned, or refused by the kernel).
 * It works on any memory BAR of a VFIO-bound device, in primary and
 * secondary processes alike.
 *
 * @param dev
 *   A device the PCI bus has mapped through VFIO.
 * @param bar
 *   BAR index, 0..5.
 * @param buf
 *   Where the bytes go.
 * @param len
 *   How many bytes.
 * @param offset
 *   Where in the BAR.
 * @return
 *   len; -EINVAL for a range outside the BAR or not a memory BAR;
 *   -ENODEV when the bus holds no mapping of dev; -ENOTSUP when dev is not
 *   bound to a VFIO driver; -EIO when the device refuses.
 */
__rte_experimental
ssize_t rte_pci_wc_mmio_read(const struct rte_pci_device *dev,
		unsigned int bar, void *buf, size_t len, uint64_t offset);

/**
 * Write to a memory BAR through the VFIO device fd (pwrite on the BAR's
 * region); see rte_pci_wc_mmio_read().
 *
 * @return
 *   len, or the negative errno values of rte_pci_wc_mmio_read().
 */
__rte_experimental
ssize_t rte_pci_wc_mmio_write(const struct rte_pci_device *dev,
		unsigned int bar, const void *buf, size_t len, uint64_t offset);

/**
 * Map one memory BAR again with the other attribute at the same virtual
 * address, for programs that compare both on one device (the test app).
 *
 * Primary process only, for a BAR mapped in one piece (no MSI-X table in
 * it), and the caller must have stopped every access to the BAR. On
 * x86, PAT gives a physical range one memory type and VFIO keeps its own
 * uncached kernel mapping of a BAR it has mapped until the device fd is
 * closed, so both directions fail there with -EBUSY once the BAR has been
 * mapped; to go from UC to WC, remove the device and probe it again with
 * WC wanted (rte_dev_remove(), then rte_dev_probe("<BDF>,pci_wc=all")).
 *
 * @param dev
 *   A device the PCI bus has mapped through VFIO.
 * @param bar
 *   BAR index, 0..5.
 * @param attr
 *   RTE_PCI_WC_ATTR_UC or RTE_PCI_WC_ATTR_WC.
 * @return
 *   0; -EINVAL for bad arguments; -ENODEV when dev is not mapped; -EPERM
 *   in a secondary process; -ENOTSUP when the BAR is not a whole VFIO
 *   mapping; -EBUSY (x86) as above; another negative errno from the
 *   kernel. On failure the BAR is left as it was where possible, and
 *   rte_pci_wc_bar_info() tells what it is now.
 */
__rte_experimental
int rte_pci_wc_bar_remap(struct rte_pci_device *dev, unsigned int bar,
		enum rte_pci_wc_attr attr);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PCI_WC_H */
