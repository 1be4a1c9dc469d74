/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels vfio-pci-wc builds against (Debian's 6.1,
 * 6.12, 7.2 and 7.3; every check is a lower bound, so dkms.conf accepts
 * 6.1 to 7.x), kept here so the logic files carry no version checks.
 *
 * What differs but needs no code here, because the module reuses the core:
 *  - 6.1 vfio_pci_core_mmap() rewrites vm_pgoff to the BAR's physical PFN,
 *    faults with io_remap_pfn_range() and zaps through vdev->vma_list;
 *    6.12 keeps vm_pgoff as the file offset, faults with vmf_insert_pfn*()
 *    and zaps with unmap_mapping_range() over the BAR offsets of the device
 *    inode.  Pointing an alias VMA at its BAR's offset before calling the
 *    core puts it under whichever mechanism the running kernel has.
 *  - 6.1 vfio_pci_core_release_dev() frees the device, 6.12 leaves that to
 *    the VFIO core: our release hook runs its own teardown first either way.
 *  - 6.12 and 7.3 still export vfio_pci_core_*() and vfio_info_*() without
 *    a symbol namespace, so no MODULE_IMPORT_NS() is needed on any.
 *  - 7.3 faults BAR mappings through vfio_pci_vmf_insert_pfn(), huge
 *    (PMD/PUD) where the BAR allows, still with the cache bits of
 *    vma->vm_page_prot, so the repointed alias VMA faults in Normal-NC on
 *    arm64 as on 6.12.
 *  - 7.3 can export a BAR as a dma-buf (VFIO_DEVICE_FEATURE_DMA_BUF), but
 *    only for drivers that give the core a vfio_pci_device_ops with
 *    get_dmabuf_phys.  vfio-pci-wc gives none, so the feature answers
 *    EOPNOTSUPP under it: no second, uncached view of an aliased BAR is
 *    handed to an importer behind the alias' back.
 */
#ifndef VFIO_PCI_WC_COMPAT_H
#define VFIO_PCI_WC_COMPAT_H

#include <linux/version.h>
#include <linux/vfio.h>

/*
 * iommufd device ops: added in 6.2 (bind/unbind/attach), detach_ioas in
 * 6.6.  With CONFIG_IOMMUFD enabled the VFIO core refuses to register a
 * device that lacks them; without it the helper names are NULL macros.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define VFIO_PCI_WC_IOMMUFD_OPS					\
	.bind_iommufd	= vfio_iommufd_physical_bind,		\
	.unbind_iommufd	= vfio_iommufd_physical_unbind,		\
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,	\
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VFIO_PCI_WC_IOMMUFD_OPS					\
	.bind_iommufd	= vfio_iommufd_physical_bind,		\
	.unbind_iommufd	= vfio_iommufd_physical_unbind,		\
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,
#else
#define VFIO_PCI_WC_IOMMUFD_OPS
#endif

/*
 * Matching a device by name: from 6.17 vfio_pci_core_match() checks the
 * VF token through the driver's .match_token_uuid and calls it without
 * looking, so a driver that leaves it NULL oopses on the first
 * VFIO_GROUP_GET_DEVICE_FD.  The core's helper does what vfio-pci does.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define VFIO_PCI_WC_MATCH_TOKEN_OP				\
	.match_token_uuid = vfio_pci_core_match_token_uuid,
#else
#define VFIO_PCI_WC_MATCH_TOKEN_OP
#endif

/*
 * VFIO_DEVICE_GET_REGION_INFO: from 6.19 the VFIO core answers it itself
 * (argsz, copying, the capability chain) and asks the driver only for the
 * region's fields and capabilities, through .get_region_info_caps; the
 * command no longer reaches .ioctl.  Before, .ioctl handled it whole.
 * main.c supplies the op where the core has it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define VFIO_PCI_WC_CORE_REGION_INFO	1
#else
#define VFIO_PCI_WC_CORE_REGION_INFO	0
#endif

/*
 * The core's kernel mapping of a BAR, vdev->barmap[]: 6.1 and 6.12 make
 * it on first use (read/write, ioeventfd, mmap) and leave NULL until then,
 * which makes the next use try again; 7.3 maps every BAR when the device
 * is opened, marks one it could not map with an error pointer and never
 * tries again.  wc_mmap.c replaces that mapping on x86 and, if it cannot
 * map the BAR again, leaves what the running core expects for "unmapped".
 * (The eager mapping came after 6.12; 7.3 is the first line built for.)
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
#define VFIO_PCI_WC_BARMAP_NONE(err)	IOMEM_ERR_PTR(err)
#else
#define VFIO_PCI_WC_BARMAP_NONE(err)	NULL
#endif

#endif /* VFIO_PCI_WC_COMPAT_H */
