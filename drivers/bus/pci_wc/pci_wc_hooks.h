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

struct rte_pci_device;
struct vfio_region_info;

/* Bus scan: check --pci-wc if EAL could not (shared build). <0 fails. */
int pci_wc_option_check(void);

/* Before a driver probes: take "pci_wc=" out of the device arguments. */
void pci_wc_devargs_take(struct rte_pci_device *dev);

/* rte_pci_unmap_device(): forget the device's BAR records. */
void pci_wc_dev_release(struct rte_pci_device *dev);

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

/* UIO: open resourceN_wc rather than resourceN? */
bool pci_wc_uio_bar_want(struct rte_pci_device *dev, int bar);

/* UIO, primary and secondary: the BAR is mapped at addr from path. */
void pci_wc_uio_bar_mapped(struct rte_pci_device *dev, int bar, void *addr,
		const char *path);

#endif /* PCI_WC_HOOKS_H */
