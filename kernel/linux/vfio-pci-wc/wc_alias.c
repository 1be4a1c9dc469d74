// SPDX-License-Identifier: GPL-2.0
/*
 * The alias table: which BARs may get a write-combining alias, the two
 * VFIO_DEVICE_FEATURE handlers that discover and create aliases, and how an
 * alias looks through VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO and
 * read()/write() on the device fd.
 *
 * Aliases are kept in a fixed table of this driver rather than registered
 * with vfio_pci_core_register_dev_region(): that helper reallocates
 * vdev->region, which other threads read without a lock while the device
 * is open, so it is only safe during open_device.  Instead the alias
 * indexes follow the core's own (VFIO_PCI_NUM_REGIONS + vdev->num_regions
 * onwards) and this file answers for them.
 */

#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include "wc_alias.h"
#include "wc_mmap.h"

/* The uAPI layout is ABI: catch accidental changes at build time. */
static_assert(sizeof(struct vfio_pci_wc_bars) == 40);
static_assert(sizeof(struct vfio_pci_wc_request) == 24);
static_assert(sizeof(struct vfio_region_info_cap_pci_wc_alias) == 24);

/* First region index after the ones the VFIO core reports itself. */
static unsigned int wc_alias_base(struct vfio_pci_wc_device *wdev)
{
	return VFIO_PCI_NUM_REGIONS + wdev->core.num_regions;
}

void wc_alias_table_init(struct vfio_pci_wc_device *wdev)
{
	struct wc_alias_table *t = &wdev->aliases;
	unsigned int bar;

	mutex_init(&t->lock);
	t->count = 0;
	for (bar = 0; bar < VFIO_PCI_WC_NUM_BARS; bar++) {
		t->slot_of_bar[bar] = -1;
		t->nr_excluded[bar] = 0;
	}
}

void wc_alias_table_destroy(struct vfio_pci_wc_device *wdev)
{
	mutex_destroy(&wdev->aliases.lock);
}

/* Keep [off, off + len) of @bar, widened to whole pages, out of aliases. */
static void wc_exclude(struct wc_alias_table *t, u32 bar, u64 off, u64 len)
{
	struct wc_range r = {
		.start = round_down(off, PAGE_SIZE),
		.end = round_up(off + len, PAGE_SIZE),
	};
	struct wc_range *e;
	unsigned int i;

	if (bar >= VFIO_PCI_WC_NUM_BARS || !len)
		return;

	for (i = 0; i < t->nr_excluded[bar]; i++) {
		e = &t->excluded[bar][i];
		if (r.start <= e->end && e->start <= r.end) {
			e->start = min(e->start, r.start);
			e->end = max(e->end, r.end);
			return;
		}
	}
	if (t->nr_excluded[bar] == WC_MAX_EXCLUDED)
		return;	/* cannot happen: one table and one PBA */

	t->excluded[bar][t->nr_excluded[bar]++] = r;
	/* Sorted by start, so the sparse areas come out in order. */
	if (t->nr_excluded[bar] == 2 &&
	    t->excluded[bar][1].start < t->excluded[bar][0].start)
		swap(t->excluded[bar][0], t->excluded[bar][1]);
}

/*
 * Find the MSI-X table and PBA from the device's own capability rather
 * than from the core's msix_* fields, which only describe the table.
 */
static void wc_find_msix(struct vfio_pci_wc_device *wdev)
{
	struct wc_alias_table *t = &wdev->aliases;
	struct pci_dev *pdev = wdev->core.pdev;
	u32 table, pba, entries;
	u16 flags;
	unsigned int bar;

	for (bar = 0; bar < VFIO_PCI_WC_NUM_BARS; bar++)
		t->nr_excluded[bar] = 0;

	if (!pdev->msix_cap)
		return;

	pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE, &table);
	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_PBA, &pba);
	entries = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;

	wc_exclude(t, table & PCI_MSIX_TABLE_BIR,
		   table & PCI_MSIX_TABLE_OFFSET,
		   (u64)entries * PCI_MSIX_ENTRY_SIZE);
	wc_exclude(t, pba & PCI_MSIX_PBA_BIR, pba & PCI_MSIX_PBA_OFFSET,
		   (u64)DIV_ROUND_UP(entries, 64) * sizeof(u64));
}

void wc_alias_open(struct vfio_pci_wc_device *wdev)
{
	struct wc_alias_table *t = &wdev->aliases;

	mutex_lock(&t->lock);
	wc_find_msix(wdev);
	mutex_unlock(&t->lock);
}

/*
 * The last device fd is gone, so no mapping, read or write of an alias can
 * still be in flight: drop the aliases and their memory-type reservations.
 * The next user starts from plain vfio-pci behaviour again.
 */
void wc_alias_close(struct vfio_pci_wc_device *wdev)
{
	struct wc_alias_table *t = &wdev->aliases;
	unsigned int i;

	mutex_lock(&t->lock);
	for (i = 0; i < t->count; i++) {
		wc_memtype_release(wdev->core.pdev, t->slot[i].bar);
		t->slot_of_bar[t->slot[i].bar] = -1;
	}
	t->count = 0;
	mutex_unlock(&t->lock);
}

bool wc_alias_lookup(struct vfio_pci_wc_device *wdev, unsigned int index,
		     struct wc_alias *out)
{
	struct wc_alias_table *t = &wdev->aliases;
	unsigned int base = wc_alias_base(wdev);
	bool found = false;

	if (index < base)
		return false;

	mutex_lock(&t->lock);
	if (index - base < t->count) {
		*out = t->slot[array_index_nospec(index - base, t->count)];
		found = true;
	}
	mutex_unlock(&t->lock);
	return found;
}

bool wc_range_hits_excluded(struct vfio_pci_wc_device *wdev, u32 bar,
			    u64 start, u64 end)
{
	struct wc_alias_table *t = &wdev->aliases;
	unsigned int i;

	for (i = 0; i < t->nr_excluded[bar]; i++)
		if (start < t->excluded[bar][i].end &&
		    t->excluded[bar][i].start < end)
			return true;
	return false;
}

/*
 * 0 if @bar may get a WC alias on this platform, else the errno the uAPI
 * documents for the reason.  Argument checks happen before this.
 */
static int wc_bar_eligibility(struct vfio_pci_wc_device *wdev, u32 bar)
{
	struct pci_dev *pdev = wdev->core.pdev;
	unsigned long flags = pci_resource_flags(pdev, bar);

	if (!wc_platform_can_wc())
		return -EOPNOTSUPP;
	if (!(flags & IORESOURCE_MEM) || !pci_resource_len(pdev, bar) ||
	    (flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED)))
		return -ENXIO;
	if (!(flags & IORESOURCE_PREFETCH))
		return -EPERM;
	/*
	 * Where every mapping of a page must share one memory type (x86 PAT),
	 * a WC alias makes the whole BAR WC, including the kernel's own
	 * mapping of the MSI-X table: refuse such BARs there.
	 */
	if (wc_platform_shares_memtype() && wdev->aliases.nr_excluded[bar])
		return -EOPNOTSUPP;
	return 0;
}

static const char *wc_reason(int err)
{
	switch (err) {
	case -ENXIO:
		return "not a memory BAR";
	case -EPERM:
		return "not prefetchable";
	case -EOPNOTSUPP:
		return wc_platform_can_wc() ?
			"holds MSI-X table/PBA, cannot be WC on this platform" :
			"no write-combining on this platform";
	case -EBUSY:
		return "already mapped with another memory type, request WC before using the BAR";
	default:
		return "error";
	}
}

int wc_feature_bars(struct vfio_pci_wc_device *wdev, u32 flags,
		    void __user *arg, size_t argsz)
{
	struct wc_alias_table *t = &wdev->aliases;
	struct vfio_pci_wc_bars info;
	unsigned int base, bar;
	u32 uargsz;
	int ret;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_GET,
				 sizeof(info));
	if (ret != 1)
		return ret;

	if (get_user(uargsz, (u32 __user *)arg))
		return -EFAULT;
	if (uargsz < sizeof(info) || uargsz > argsz)
		return -EINVAL;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	if (wc_platform_can_wc())
		info.flags |= VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC;

	base = wc_alias_base(wdev);
	mutex_lock(&t->lock);
	for (bar = 0; bar < VFIO_PCI_WC_NUM_BARS; bar++) {
		if (!wc_bar_eligibility(wdev, bar))
			info.wc_bars |= BIT(bar);
		if (t->slot_of_bar[bar] < 0) {
			info.alias_index[bar] = VFIO_PCI_WC_NO_ALIAS;
		} else {
			info.alias_index[bar] = base + t->slot_of_bar[bar];
			info.aliased_bars |= BIT(bar);
		}
	}
	mutex_unlock(&t->lock);

	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

int wc_feature_request(struct vfio_pci_wc_device *wdev, u32 flags,
		       void __user *arg, size_t argsz)
{
	struct wc_alias_table *t = &wdev->aliases;
	struct pci_dev *pdev = wdev->core.pdev;
	struct vfio_pci_wc_request req;
	bool created = false;
	u32 bar;
	int slot;
	int ret;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				 sizeof(req));
	if (ret != 1)
		return ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;

	if (req.argsz < sizeof(req) || req.argsz > argsz || req.flags ||
	    req.attr != VFIO_PCI_WC_ATTR_WC ||
	    req.bar_index >= VFIO_PCI_WC_NUM_BARS) {
		pci_dbg(pdev, "WC request: bad argument (argsz %u flags %#x bar %u attr %u)\n",
			req.argsz, req.flags, req.bar_index, req.attr);
		return -EINVAL;
	}
	bar = array_index_nospec(req.bar_index, VFIO_PCI_WC_NUM_BARS);

	mutex_lock(&t->lock);
	ret = wc_bar_eligibility(wdev, bar);
	if (ret)
		goto out_unlock;

	slot = t->slot_of_bar[bar];
	if (slot < 0) {
		ret = wc_memtype_reserve(pdev, bar);
		if (ret)
			goto out_unlock;

		slot = t->count;
		t->slot[slot].bar = bar;
		t->slot[slot].attr = req.attr;
		t->slot_of_bar[bar] = slot;
		t->count++;
		created = true;
	}
	req.region_index = wc_alias_base(wdev) + slot;
	mutex_unlock(&t->lock);

	if (created)
		pci_info(pdev, "BAR %u: write-combining alias is region %u\n",
			 bar, req.region_index);

	req.argsz = sizeof(req);
	req.reserved = 0;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;

out_unlock:
	mutex_unlock(&t->lock);
	pci_info_ratelimited(pdev, "BAR %u: write-combining refused: %s (%d)\n",
			     bar, wc_reason(ret), ret);
	return ret;
}

/* Once an alias exists, num_regions has to count it; nothing before. */
int wc_alias_fixup_device_info(struct vfio_pci_wc_device *wdev,
			       struct vfio_device_info __user *arg)
{
	struct wc_alias_table *t = &wdev->aliases;
	unsigned int count;

	mutex_lock(&t->lock);
	count = t->count;
	mutex_unlock(&t->lock);

	if (!count)
		return 0;
	if (put_user(wc_alias_base(wdev) + count, &arg->num_regions))
		return -EFAULT;
	return 0;
}

/*
 * The areas of the alias that may be mmapped: the BAR minus the pages of
 * the MSI-X table and PBA, each clipped to the BAR's size.  Returns how
 * many areas were written to @areas.
 */
static unsigned int wc_sparse_areas(struct vfio_pci_wc_device *wdev, u32 bar,
				    struct vfio_region_sparse_mmap_area *areas)
{
	struct wc_alias_table *t = &wdev->aliases;
	u64 len = pci_resource_len(wdev->core.pdev, bar);
	u64 end = PAGE_ALIGN(len);
	unsigned int nr = 0, i;
	u64 pos = 0;

	for (i = 0; i <= t->nr_excluded[bar]; i++) {
		u64 stop = i < t->nr_excluded[bar] ?
			   t->excluded[bar][i].start : end;

		stop = min(stop, end);
		if (stop > pos) {
			areas[nr].offset = pos;
			areas[nr].size = min(stop, len) - pos;
			nr++;
		}
		if (i < t->nr_excluded[bar])
			pos = max(pos, t->excluded[bar][i].end);
	}
	return nr;
}

static int wc_add_sparse_cap(struct vfio_info_cap *caps,
			     const struct vfio_region_sparse_mmap_area *areas,
			     unsigned int nr)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_info_cap_header *header;

	header = vfio_info_cap_add(caps, struct_size(sparse, areas, nr),
				   VFIO_REGION_INFO_CAP_SPARSE_MMAP, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);

	sparse = container_of(header, struct vfio_region_info_cap_sparse_mmap,
			      header);
	sparse->nr_areas = nr;
	memcpy(sparse->areas, areas, nr * sizeof(areas[0]));
	return 0;
}

int wc_alias_region_info(struct vfio_pci_wc_device *wdev,
			 const struct wc_alias *alias, unsigned int index,
			 struct vfio_region_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_pci_core_device *vdev = &wdev->core;
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info_cap_type cap_type = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
		.type = VFIO_REGION_TYPE_PCI_WC,
		.subtype = VFIO_REGION_SUBTYPE_PCI_WC_BAR_ALIAS,
	};
	struct vfio_region_info_cap_pci_wc_alias cap_alias = {
		.header.id = VFIO_REGION_INFO_CAP_PCI_WC_ALIAS,
		.header.version = 1,
		.bar_index = alias->bar,
		.attr = alias->attr,
	};
	struct vfio_region_sparse_mmap_area areas[WC_MAX_EXCLUDED + 1];
	struct vfio_region_info info;
	unsigned int nr_areas = 0;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.offset = VFIO_PCI_INDEX_TO_OFFSET(index);
	info.size = pci_resource_len(vdev->pdev, alias->bar);
	info.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	ret = vfio_info_add_capability(&caps, &cap_type.header,
				       sizeof(cap_type));
	if (ret)
		goto out;
	if (vdev->bar_mmap_supported[alias->bar])
		nr_areas = wc_sparse_areas(wdev, alias->bar, areas);
	if (nr_areas) {
		info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
		ret = wc_add_sparse_cap(&caps, areas, nr_areas);
		if (ret)
			goto out;
	}
	ret = vfio_info_add_capability(&caps, &cap_alias.header,
				       sizeof(cap_alias));
	if (ret)
		goto out;

	info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
	if (info.argsz < sizeof(info) + caps.size) {
		/* Too small for the chain: say how much is needed. */
		info.argsz = sizeof(info) + caps.size;
		info.cap_offset = 0;
	} else {
		vfio_info_cap_shift(&caps, sizeof(info));
		if (copy_to_user(arg + 1, caps.buf, caps.size)) {
			ret = -EFAULT;
			goto out;
		}
		info.cap_offset = sizeof(info);
	}

	if (copy_to_user(arg, &info, minsz))
		ret = -EFAULT;
out:
	kfree(caps.buf);
	return ret;
}

/*
 * read()/write() at the alias offset go through the core's BAR path, so
 * bounds, the MSI-X table hole and the memory-enable check stay the core's.
 */
ssize_t wc_alias_rw(struct vfio_pci_wc_device *wdev,
		    const struct wc_alias *alias, char __user *buf,
		    size_t count, loff_t *ppos, bool iswrite)
{
	struct vfio_device *core_vdev = &wdev->core.vdev;
	u64 off = *ppos & VFIO_PCI_OFFSET_MASK;
	loff_t pos;
	ssize_t done;

	if (off >= pci_resource_len(wdev->core.pdev, alias->bar))
		return -EINVAL;

	pos = VFIO_PCI_INDEX_TO_OFFSET(alias->bar) + off;
	if (iswrite)
		done = vfio_pci_core_write(core_vdev, buf, count, &pos);
	else
		done = vfio_pci_core_read(core_vdev, buf, count, &pos);

	if (done > 0)
		*ppos += done;
	return done;
}
