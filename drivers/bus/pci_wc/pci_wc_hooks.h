/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calls DPDK's PCI bus makes into dpdk-wc (the hook patch in
 * subprojects/packagefiles/dpdk/ places them). Each is one line at the
 * point where the bus decides or learns how a BAR is mapped; everything
 * they do lives in the pci_wc_*.c files beside this header.
 */
#ifndef PCI_WC_HOOKS_H
#define PCI_WC_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_errno.h>

struct rte_pci_device;
struct vfio_region_info;

/* Bus scan: check --pci-wc if EAL could not (shared build). <0 fails. */
int pci_wc_option_check(void);

/*
 * Bus scan: is the device's kernel driver (its sysfs name) a VFIO PCI
 * driver, vfio-pci or one of its variant drivers?
 */
bool pci_wc_kdrv_is_vfio(const char *driver);

/*
 * Before a driver probes: take "pci_wc=" out of the device arguments.
 * <0 (after one log line): the value is bad and the probe must fail.
 */
int pci_wc_devargs_take(struct rte_pci_device *dev);

/* rte_pci_unmap_device(), or a map that failed: forget the BARs. */
void pci_wc_dev_unmapped(struct rte_pci_device *dev);

/* pci_free(): forget everything about the device. */
void pci_wc_dev_release(struct rte_pci_device *dev);

/* The hot-unplug handler ran for the device. */
void pci_wc_dev_unplugged(struct rte_pci_device *dev);

/* VFIO, primary: a memory BAR the kernel will not let us mmap. */
void pci_wc_vfio_bar_unmappable(struct rte_pci_device *dev, int bar,
		const struct vfio_region_info *reg);

/*
 * VFIO, primary: decide the BAR's attribute; returns the region offset to
 * mmap (the BAR's own, or its WC alias's after a successful request).
 */
uint64_t pci_wc_vfio_bar_offset(struct rte_pci_device *dev, int fd, int bar,
		const struct vfio_region_info *reg);

/* VFIO, primary and secondary: the BAR is mapped at addr from offset. */
void pci_wc_vfio_bar_mapped(struct rte_pci_device *dev, int fd, int bar,
		void *addr, uint64_t offset);

/*
 * VFIO, primary: mmapping the BAR (*offset, *size at *addr) failed with
 * err. When that was the WC alias, record why, set *offset to the BAR's
 * own region and return true: the bus maps it again from there
 * (uncached). When that fails too, record the BAR as slow-path, set *size
 * to 0 and *addr to NULL, and return true: the bus skips the BAR. false:
 * the failure is not WC's doing, the bus fails as it always did.
 */
bool pci_wc_vfio_map_failed(struct rte_pci_device *dev, int bar,
		uint64_t *offset, uint64_t *size, void **addr, int err);

/* UIO: open resourceN_wc rather than resourceN? */
bool pci_wc_uio_bar_want(struct rte_pci_device *dev, int bar);

/*
 * UIO: mmapping path failed with err. When it was resourceN_wc, record
 * why and return true: the bus then maps resourceN (uncached).
 */
bool pci_wc_uio_map_failed(struct rte_pci_device *dev, int bar,
		const char *path, int err);

/* UIO, primary and secondary: the BAR is mapped at addr from path. */
void pci_wc_uio_bar_mapped(struct rte_pci_device *dev, int bar, void *addr,
		const char *path);

#endif /* PCI_WC_HOOKS_H */
