/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the CPU and the memory-type bookkeeping allow, and the mmap() of an
 * alias region.
 */
#ifndef VFIO_PCI_WC_MMAP_H
#define VFIO_PCI_WC_MMAP_H

#include <linux/mm_types.h>
#include <linux/types.h>

#include "wc_alias.h"

bool wc_platform_can_wc(void);
bool wc_platform_shares_memtype(void);
bool wc_range_owns_pages(resource_size_t start, resource_size_t len);
int wc_memtype_reserve(struct vfio_pci_core_device *vdev, u32 bar,
		       struct wc_phys_range *held);
void wc_memtype_release(struct wc_phys_range *held);
int wc_alias_mmap(struct vfio_pci_wc_device *wdev,
		  const struct wc_alias *alias, struct vm_area_struct *vma);

#endif /* VFIO_PCI_WC_MMAP_H */
