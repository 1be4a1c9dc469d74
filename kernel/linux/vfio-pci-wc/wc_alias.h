/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-device state of vfio-pci-wc: the table of WC aliases a user asked for,
 * and the entry points main.c forwards to.
 */
#ifndef VFIO_PCI_WC_ALIAS_H
#define VFIO_PCI_WC_ALIAS_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/vfio_pci_core.h>

#include "uapi/vfio_pci_wc.h"

/*
 * A BAR holds at most the MSI-X table and the PBA, so at most two page
 * ranges of it are kept out of every alias mapping.
 */
#define WC_MAX_EXCLUDED	2

/* Page-aligned byte range [start, end) within a BAR. */
struct wc_range {
	u64 start;
	u64 end;
};

/* Physical byte range [start, start + len) a memory type is reserved for. */
struct wc_phys_range {
	resource_size_t start;
	resource_size_t len;
};

/*
 * One alias.  Slots fill in request order and are only cleared when the
 * device is closed, so a slot's contents never change while anyone can
 * use the device fd.
 */
struct wc_alias {
	u32 bar;			/* aliased BAR index, 0..5 */
	u32 attr;			/* VFIO_PCI_WC_ATTR_* */
	struct wc_phys_range memtype;	/* what the request reserved (x86) */
};

struct wc_alias_table {
	/*
	 * Serialises requests against each other and against the plain-index
	 * paths that make or use the kernel's mapping of a BAR (read/write,
	 * ioeventfd): that mapping takes the memory type in force when it is
	 * made, and on x86 a request replaces it, so neither may happen while
	 * a request is between its checks and its commit.  Taken for writing by requests and held across the
	 * write-back of the answer, so it is never taken under mmap_lock;
	 * mmap relies on @lock instead.
	 */
	struct rw_semaphore request_sem;
	/*
	 * Protects the slots.  Never held across copy_{to,from}_user(): the
	 * mmap path takes it under mmap_lock, so faulting on user memory while
	 * holding it would invert that order.  A request reserves the memory
	 * type and commits its slot under it, and a plain-index mmap on x86
	 * holds it across the core's mmap, so neither sees the other half
	 * done.
	 */
	struct mutex lock;
	unsigned int count;			/* slots in use */
	struct wc_alias slot[VFIO_PCI_WC_NUM_BARS];
	s8 slot_of_bar[VFIO_PCI_WC_NUM_BARS];	/* -1: no alias */
	/*
	 * x86: BARs whose plain index was mmapped or given an ioeventfd since
	 * the device was opened.  Both keep the BAR's uncached type beyond
	 * the driver's reach (user page tables, the core's saved address), so
	 * such a BAR is refused WC until the device is closed.  Set under
	 * @lock (mmap) or with request_sem held for reading (ioeventfd).
	 */
	unsigned long plain_pinned;
	/* MSI-X table/PBA pages per BAR, computed when the device opens. */
	struct wc_range excluded[VFIO_PCI_WC_NUM_BARS][WC_MAX_EXCLUDED];
	unsigned int nr_excluded[VFIO_PCI_WC_NUM_BARS];
};

struct vfio_pci_wc_device {
	struct vfio_pci_core_device core;	/* must stay first */
	struct wc_alias_table aliases;
};

static inline struct vfio_pci_wc_device *
to_wc_device(struct vfio_device *core_vdev)
{
	return container_of(core_vdev, struct vfio_pci_wc_device, core.vdev);
}

void wc_alias_table_init(struct vfio_pci_wc_device *wdev);
void wc_alias_table_destroy(struct vfio_pci_wc_device *wdev);
void wc_alias_open(struct vfio_pci_wc_device *wdev);
void wc_alias_close(struct vfio_pci_wc_device *wdev);

bool wc_alias_lookup(struct vfio_pci_wc_device *wdev, unsigned int index,
		     struct wc_alias *out);
bool wc_bar_is_aliased(struct vfio_pci_wc_device *wdev, unsigned int bar);
bool wc_range_hits_excluded(struct vfio_pci_wc_device *wdev, u32 bar,
			    u64 start, u64 end);

int wc_feature_bars(struct vfio_pci_wc_device *wdev, u32 flags,
		    void __user *arg, size_t argsz);
int wc_feature_request(struct vfio_pci_wc_device *wdev, u32 flags,
		       void __user *arg, size_t argsz);

int wc_alias_fixup_device_info(struct vfio_pci_wc_device *wdev,
			       struct vfio_device_info __user *arg);
int wc_alias_region_fill(struct vfio_pci_wc_device *wdev,
			 const struct wc_alias *alias, unsigned int index,
			 struct vfio_region_info *info,
			 struct vfio_info_cap *caps);
int wc_alias_region_info(struct vfio_pci_wc_device *wdev,
			 const struct wc_alias *alias, unsigned int index,
			 struct vfio_region_info __user *arg);
ssize_t wc_alias_rw(struct vfio_pci_wc_device *wdev,
		    const struct wc_alias *alias, char __user *buf,
		    size_t count, loff_t *ppos, bool iswrite);

int wc_plain_mmap(struct vfio_pci_wc_device *wdev, unsigned int bar,
		  struct vm_area_struct *vma);
ssize_t wc_plain_rw(struct vfio_pci_wc_device *wdev, unsigned int bar,
		    char __user *buf, size_t count, loff_t *ppos,
		    bool iswrite);
int wc_plain_ioeventfd(struct vfio_pci_wc_device *wdev, unsigned int cmd,
		       unsigned long arg);

#endif /* VFIO_PCI_WC_ALIAS_H */
