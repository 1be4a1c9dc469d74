// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci-wc: a vfio-pci variant driver with opt-in write-combining.
 *
 * Built on vfio_pci_core exactly as vfio-pci is: same binding (driver
 * override or new_id), same IOMMU group handling, same device fd.  The
 * only additions are two VFIO_DEVICE_FEATURE indexes through which a user
 * asks for a write-combining alias of a prefetchable BAR (wc_alias.c) and
 * the alias region that answers (wc_mmap.c).  A user who never asks gets
 * byte-identical answers to vfio-pci: every callback below passes straight
 * to the core unless the request is about an alias that user created, or
 * (x86) about the plain index of a BAR that has one, which keeps uncached
 * behaviour (wc_alias.c).
 *
 * Differences from vfio-pci that remain: no Intel IGD OpRegion regions
 * (vfio_pci_igd_init() is not exported), no device denylist, no SR-IOV
 * enabling, and the core's module-wide parameters (nointxmask, disable_vga,
 * disable_idle_d3) are whatever vfio-pci set, or the core's defaults.
 */

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include "compat.h"
#include "wc_alias.h"
#include "wc_mmap.h"

#define DRIVER_NAME	"vfio-pci-wc"

static int vfio_pci_wc_init_dev(struct vfio_device *core_vdev)
{
	/* Our table first: release runs it down even if the core fails. */
	wc_alias_table_init(to_wc_device(core_vdev));
	return vfio_pci_core_init_dev(core_vdev);
}

static void vfio_pci_wc_release_dev(struct vfio_device *core_vdev)
{
	/* Before the core: on 6.1 vfio_pci_core_release_dev() frees us. */
	wc_alias_table_destroy(to_wc_device(core_vdev));
	vfio_pci_core_release_dev(core_vdev);
}

static int vfio_pci_wc_open_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);
	int ret;

	ret = vfio_pci_core_enable(&wdev->core);
	if (ret) {
		pci_warn(wdev->core.pdev, "cannot enable device: %d\n", ret);
		return ret;
	}
	wc_alias_open(wdev);
	vfio_pci_core_finish_enable(&wdev->core);
	return 0;
}

static void vfio_pci_wc_close_device(struct vfio_device *core_vdev)
{
	vfio_pci_core_close_device(core_vdev);
	wc_alias_close(to_wc_device(core_vdev));
}

static long vfio_pci_wc_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
			      unsigned long arg)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);
	struct vfio_region_info __user *region_arg;
	struct wc_alias alias;
	u32 index;
	long ret;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		ret = vfio_pci_core_ioctl(core_vdev, cmd, arg);
		if (ret)
			return ret;
		return wc_alias_fixup_device_info(wdev, (void __user *)arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		region_arg = (void __user *)arg;
		if (get_user(index, &region_arg->index))
			return -EFAULT;
		if (wc_alias_lookup(wdev, index, &alias))
			return wc_alias_region_info(wdev, &alias, index,
						    region_arg);
		break;
	case VFIO_DEVICE_IOEVENTFD:
		return wc_plain_ioeventfd(wdev, cmd, arg);
	}
	return vfio_pci_core_ioctl(core_vdev, cmd, arg);
}

#if VFIO_PCI_WC_CORE_REGION_INFO
static int vfio_pci_wc_region_info_caps(struct vfio_device *core_vdev,
					struct vfio_region_info *info,
					struct vfio_info_cap *caps)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);
	struct wc_alias alias;

	if (wc_alias_lookup(wdev, info->index, &alias))
		return wc_alias_region_fill(wdev, &alias, info->index, info,
					    caps);
	return vfio_pci_ioctl_get_region_info(core_vdev, info, caps);
}
#define VFIO_PCI_WC_REGION_INFO_OP				\
	.get_region_info_caps	= vfio_pci_wc_region_info_caps,
#else
#define VFIO_PCI_WC_REGION_INFO_OP
#endif

static int vfio_pci_wc_device_feature(struct vfio_device *core_vdev,
				      u32 flags, void __user *arg,
				      size_t argsz)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);

	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_PCI_WC_BARS:
		return wc_feature_bars(wdev, flags, arg, argsz);
	case VFIO_DEVICE_FEATURE_PCI_WC_REQUEST:
		return wc_feature_request(wdev, flags, arg, argsz);
	default:
		return vfio_pci_core_ioctl_feature(core_vdev, flags, arg,
						   argsz);
	}
}

static unsigned int vfio_pci_wc_pos_index(loff_t pos)
{
	return VFIO_PCI_OFFSET_TO_INDEX((u64)pos);
}

static ssize_t vfio_pci_wc_read(struct vfio_device *core_vdev,
				char __user *buf, size_t count, loff_t *ppos)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);
	unsigned int index = vfio_pci_wc_pos_index(*ppos);
	struct wc_alias alias;

	if (count && wc_alias_lookup(wdev, index, &alias))
		return wc_alias_rw(wdev, &alias, buf, count, ppos, false);
	if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		return wc_plain_rw(wdev, index, buf, count, ppos, false);
	return vfio_pci_core_read(core_vdev, buf, count, ppos);
}

static ssize_t vfio_pci_wc_write(struct vfio_device *core_vdev,
				 const char __user *buf, size_t count,
				 loff_t *ppos)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);
	unsigned int index = vfio_pci_wc_pos_index(*ppos);
	struct wc_alias alias;

	if (count && wc_alias_lookup(wdev, index, &alias))
		return wc_alias_rw(wdev, &alias, (char __user *)buf, count,
				   ppos, true);
	if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		return wc_plain_rw(wdev, index, (char __user *)buf, count,
				   ppos, true);
	return vfio_pci_core_write(core_vdev, buf, count, ppos);
}

static int vfio_pci_wc_mmap(struct vfio_device *core_vdev,
			    struct vm_area_struct *vma)
{
	struct vfio_pci_wc_device *wdev = to_wc_device(core_vdev);
	unsigned int index = vma->vm_pgoff >>
			     (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);
	struct wc_alias alias;

	if (wc_alias_lookup(wdev, index, &alias))
		return wc_alias_mmap(wdev, &alias, vma);
	if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		return wc_plain_mmap(wdev, index, vma);
	return vfio_pci_core_mmap(core_vdev, vma);
}

static const struct vfio_device_ops vfio_pci_wc_ops = {
	.name		= DRIVER_NAME,
	.init		= vfio_pci_wc_init_dev,
	.release	= vfio_pci_wc_release_dev,
	.open_device	= vfio_pci_wc_open_device,
	.close_device	= vfio_pci_wc_close_device,
	.ioctl		= vfio_pci_wc_ioctl,
	VFIO_PCI_WC_REGION_INFO_OP
	.device_feature	= vfio_pci_wc_device_feature,
	.read		= vfio_pci_wc_read,
	.write		= vfio_pci_wc_write,
	.mmap		= vfio_pci_wc_mmap,
	.request	= vfio_pci_core_request,
	.match		= vfio_pci_core_match,
	VFIO_PCI_WC_MATCH_TOKEN_OP
	VFIO_PCI_WC_IOMMUFD_OPS
};

static int vfio_pci_wc_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct vfio_pci_wc_device *wdev;
	int ret;

	wdev = vfio_alloc_device(vfio_pci_wc_device, core.vdev, &pdev->dev,
				 &vfio_pci_wc_ops);
	if (IS_ERR(wdev)) {
		pci_err(pdev, "cannot allocate VFIO device: %ld\n",
			PTR_ERR(wdev));
		return PTR_ERR(wdev);
	}

	/* The core finds its device through drvdata. */
	dev_set_drvdata(&pdev->dev, &wdev->core);
	ret = vfio_pci_core_register_device(&wdev->core);
	if (ret) {
		pci_err(pdev, "cannot register with VFIO: %d\n", ret);
		vfio_put_device(&wdev->core.vdev);
		return ret;
	}
	return 0;
}

static void vfio_pci_wc_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);

	/* Waits for the last user: aliases are gone by then (close). */
	vfio_pci_core_unregister_device(vdev);
	vfio_put_device(&vdev->vdev);
}

/*
 * Like vfio-pci: match nothing by ID, bind only where userspace points us
 * (driver_override, or new_id through the PCI core's dynamic IDs).  No
 * MODULE_DEVICE_TABLE: the catch-all entry would give this module the same
 * "vfio_pci:" modalias as vfio-pci, and this driver is loaded on purpose.
 */
static const struct pci_device_id vfio_pci_wc_table[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_ANY_ID, PCI_ANY_ID) },
	{}
};

static struct pci_driver vfio_pci_wc_driver = {
	.name			= DRIVER_NAME,
	.id_table		= vfio_pci_wc_table,
	.probe			= vfio_pci_wc_probe,
	.remove			= vfio_pci_wc_remove,
	.err_handler		= &vfio_pci_core_err_handlers,
	.driver_managed_dma	= true,
};

module_pci_driver(vfio_pci_wc_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("dpdk-wc");
MODULE_DESCRIPTION("VFIO PCI variant driver with opt-in write-combining BAR aliases");
/* From the VERSION file (Kbuild): the package's version under DKMS. */
MODULE_VERSION(VFIO_PCI_WC_VERSION);
