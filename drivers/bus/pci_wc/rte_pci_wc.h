/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-wc PCI bus extension: how each BAR of a probed PCI device was
 * mapped, and why; a slow path for memory BARs that are not mmapped.
 *
 * The bus decides per BAR at map time from the EAL option --pci-wc (and a
 * per-device "pci_wc=" device argument), the driver's
 * RTE_PCI_DRV_WC_ACTIVATE flag and what the kernel offers (vfio-pci-wc's
 * WC request, UIO's resourceN_wc). Drivers and applications ask here what
 * a BAR actually got and pick their copy routines to match (lib/wc_mmio.h).
 */
#ifndef RTE_PCI_WC_H
#define RTE_PCI_WC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_pci_device;

/* What a BAR got. */
enum rte_pci_bar_attr {
	RTE_PCI_BAR_UNMAPPED = 0, /* not mapped: I/O, empty, or not probed */
	RTE_PCI_BAR_UC,		/* mmapped uncached (arm64: Device memory) */
	RTE_PCI_BAR_WC,		/* mmapped write-combining (arm64: Normal-NC) */
	RTE_PCI_BAR_SLOW_PATH,	/* not mmappable: rte_pci_wc_mmio_read/write */
};

/* Through what the BAR was reached. */
enum rte_pci_bar_path {
	RTE_PCI_BAR_PATH_NONE = 0,
	RTE_PCI_BAR_PATH_VFIO,		/* vfio-pci region of the BAR */
	RTE_PCI_BAR_PATH_VFIO_WC_ALIAS,	/* vfio-pci-wc WC alias region */
	RTE_PCI_BAR_PATH_UIO,		/* sysfs resourceN */
	RTE_PCI_BAR_PATH_UIO_WC,	/* sysfs resourceN_wc */
};

#define RTE_PCI_WC_REASON_LEN 128

struct rte_pci_bar_info {
	unsigned int bar;	/* 0..5 */
	uint64_t size;		/* bytes, 0 if the BAR is not implemented */
	uint64_t phys_addr;
	bool memory;		/* memory BAR (not I/O) */
	bool prefetchable;
	enum rte_pci_bar_attr attr;
	enum rte_pci_bar_path path;
	void *addr;		/* mapping, NULL unless UC or WC */
	uint32_t region;	/* VFIO region index used, if path is VFIO */
	char reason[RTE_PCI_WC_REASON_LEN]; /* why this attribute, one line */
};

/*
 * Fill info for one BAR of dev. Returns 0, or -EINVAL for a bar index
 * above 5 or a NULL argument, or -ENODEV when dev is not a device the
 * PCI bus has mapped.
 */
int rte_pci_wc_bar_info(const struct rte_pci_device *dev, unsigned int bar,
		struct rte_pci_bar_info *info);

/* "unmapped", "uc", "wc", "slow-path". */
const char *rte_pci_bar_attr_name(enum rte_pci_bar_attr attr);
/* "none", "vfio", "vfio-wc-alias", "uio", "uio-wc". */
const char *rte_pci_bar_path_name(enum rte_pci_bar_path path);

/*
 * Read or write len bytes at offset of a memory BAR through the VFIO
 * device fd (pread/pwrite on the BAR's region), without a mapping: the
 * path for BARs that cannot be mmapped (sub-page or not page-aligned, or
 * refused by the kernel). Works on any memory BAR of a VFIO-bound device.
 * Returns len, or a negative errno (-EINVAL out of range or not a memory
 * BAR, -ENOTSUP not VFIO, -EIO device error).
 */
ssize_t rte_pci_wc_mmio_read(const struct rte_pci_device *dev,
		unsigned int bar, void *buf, size_t len, uint64_t offset);
ssize_t rte_pci_wc_mmio_write(const struct rte_pci_device *dev,
		unsigned int bar, const void *buf, size_t len, uint64_t offset);

/*
 * Map one memory BAR again with another attribute (RTE_PCI_BAR_UC or
 * RTE_PCI_BAR_WC), at the same virtual address, for applications that
 * compare both on one device (the test app). Primary process only; the
 * caller must have stopped every access to the BAR. On x86 a BAR that
 * was made WC stays WC for every mapping until the device is closed, so
 * going from WC back to UC fails with -EBUSY. On failure the BAR is left
 * as it was where possible; info tells what it is now.
 */
int rte_pci_wc_bar_remap(struct rte_pci_device *dev, unsigned int bar,
		enum rte_pci_bar_attr attr);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PCI_WC_H */
