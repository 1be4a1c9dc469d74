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
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
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

	init_rwsem(&t->request_sem);
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
	struct wc_range r;
	struct wc_range *e;
	unsigned int i;
	u64 end;

	/* Offsets come from 32-bit registers: cannot overflow, but say so. */
	if (bar >= VFIO_PCI_WC_NUM_BARS || !len ||
	    check_add_overflow(off, len, &end))
		return;
	r.start = round_down(off, PAGE_SIZE);
	r.end = round_up(end, PAGE_SIZE);

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
	t->plain_pinned = 0;
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
		wc_memtype_release(&t->slot[i].memtype);
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

bool wc_bar_is_aliased(struct vfio_pci_wc_device *wdev, unsigned int bar)
{
	struct wc_alias_table *t = &wdev->aliases;
	bool aliased;

	if (bar >= VFIO_PCI_WC_NUM_BARS)
		return false;
	mutex_lock(&t->lock);
	aliased = t->slot_of_bar[bar] >= 0;
	mutex_unlock(&t->lock);
	return aliased;
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

/* Attributes a request may name: VFIO_PCI_WC_BARS_FLAG_ATTR() of each. */
static const u32 wc_known_attrs =
	VFIO_PCI_WC_BARS_FLAG_ATTR(VFIO_PCI_WC_ATTR_WC);

/*
 * 0 if @bar may get a WC alias on this platform, else the errno the uAPI
 * documents for the reason, with *@why saying it in words.  Argument
 * checks happen before this.
 */
static int wc_bar_eligibility(struct vfio_pci_wc_device *wdev, u32 bar,
			      const char **why)
{
	struct pci_dev *pdev = wdev->core.pdev;
	unsigned long flags = pci_resource_flags(pdev, bar);

	if (!wc_platform_can_wc()) {
		*why = "no write-combining on this platform";
		return -EOPNOTSUPP;
	}
	if (!(flags & IORESOURCE_MEM) || !pci_resource_len(pdev, bar) ||
	    (flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED))) {
		*why = "not a memory BAR";
		return -ENXIO;
	}
	if (!(flags & IORESOURCE_PREFETCH)) {
		*why = "not prefetchable";
		return -EPERM;
	}
	if (!wc_platform_shares_memtype())
		return 0;
	/*
	 * Where every mapping of a page must share one memory type (x86 PAT),
	 * a WC alias makes every mapping of the BAR's pages WC: the pages must
	 * hold nothing but this BAR, and not the MSI-X table or PBA the
	 * kernel itself maps.
	 */
	if (!wc_range_owns_pages(pci_resource_start(pdev, bar),
				 pci_resource_len(pdev, bar))) {
		*why = "does not fill whole pages, which it would share with other mappings";
		return -EOPNOTSUPP;
	}
	if (wdev->aliases.nr_excluded[bar]) {
		*why = "holds MSI-X table/PBA, cannot be WC on this platform";
		return -EOPNOTSUPP;
	}
	return 0;
}

int wc_feature_bars(struct vfio_pci_wc_device *wdev, u32 flags,
		    void __user *arg, size_t argsz)
{
	struct wc_alias_table *t = &wdev->aliases;
	struct vfio_pci_wc_bars info;
	unsigned int base, bar;
	const char *why;
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
	info.flags = wc_known_attrs;
	if (wc_platform_can_wc())
		info.flags |= VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC;

	base = wc_alias_base(wdev);
	mutex_lock(&t->lock);
	for (bar = 0; bar < VFIO_PCI_WC_NUM_BARS; bar++) {
		if (!wc_bar_eligibility(wdev, bar, &why))
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

/*
 * The checks that need nothing but the payload: EINVAL for a malformed
 * one, EPROTONOSUPPORT for a well-formed one naming an attribute this
 * driver does not know (so userspace can tell "try another attribute"
 * from "fix the call").
 */
static int wc_request_check(const struct vfio_pci_wc_request *req,
			    size_t argsz)
{
	if (req->argsz < sizeof(*req) || req->argsz > argsz)
		return -EINVAL;
	/* Fields without a meaning yet must be 0, so they can gain one. */
	if (req->flags || req->region_index || req->reserved)
		return -EINVAL;
	if (!req->attr || req->bar_index >= VFIO_PCI_WC_NUM_BARS)
		return -EINVAL;
	if (req->attr >= 32 - VFIO_PCI_WC_BARS_ATTR_SHIFT ||
	    !(wc_known_attrs & VFIO_PCI_WC_BARS_FLAG_ATTR(req->attr)))
		return -EPROTONOSUPPORT;
	return 0;
}

/* A failed request leaves the caller's payload as it came, if it can. */
static void wc_request_restore(struct pci_dev *pdev, void __user *arg,
			       const struct vfio_pci_wc_request *req)
{
	if (copy_to_user(arg, req, sizeof(*req)))
		pci_dbg(pdev, "WC request: payload not restored\n");
}

/*
 * A request either creates the alias and answers, or fails and leaves
 * the device as it was.  The answer is written back before anything is
 * committed, since writing it is the one step that can fail on the
 * caller's memory (EFAULT) and cannot be taken back.  request_sem keeps
 * other requests and the plain-index paths that map the BAR in the kernel
 * out for the whole time, so the slot predicted before the write-back is
 * the one committed after it.
 */
int wc_feature_request(struct vfio_pci_wc_device *wdev, u32 flags,
		       void __user *arg, size_t argsz)
{
	struct wc_alias_table *t = &wdev->aliases;
	struct pci_dev *pdev = wdev->core.pdev;
	struct vfio_pci_wc_request req, answer;
	struct wc_phys_range held = {};
	const char *why = NULL;
	bool exists;
	u32 bar;
	int slot;
	int ret;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				 sizeof(req));
	if (ret != 1)
		return ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;

	ret = wc_request_check(&req, argsz);
	if (ret) {
		pci_dbg(pdev, "WC request: %s (argsz %u flags %#x bar %u attr %u region %u reserved %u)\n",
			ret == -EPROTONOSUPPORT ? "unknown attribute" :
			"bad argument", req.argsz, req.flags, req.bar_index,
			req.attr, req.region_index, req.reserved);
		return ret;
	}
	bar = array_index_nospec(req.bar_index, VFIO_PCI_WC_NUM_BARS);

	down_write(&t->request_sem);
	mutex_lock(&t->lock);
	ret = wc_bar_eligibility(wdev, bar, &why);
	slot = t->slot_of_bar[bar];
	exists = slot >= 0;
	if (!exists)
		slot = t->count;	/* where a new alias will go */
	if (!ret && !exists && test_bit(bar, &t->plain_pinned)) {
		ret = -EBUSY;
		why = "its plain index was mmapped or given an ioeventfd since the device was opened, request WC before either";
	}
	mutex_unlock(&t->lock);
	if (ret)
		goto out_refused;

	answer = req;
	answer.argsz = sizeof(answer);
	answer.region_index = wc_alias_base(wdev) + slot;
	answer.reserved = 0;
	if (copy_to_user(arg, &answer, sizeof(answer))) {
		wc_request_restore(pdev, arg, &req);
		ret = -EFAULT;
		goto out_unlock;
	}
	if (exists)
		goto out_unlock;

	mutex_lock(&t->lock);
	ret = wc_memtype_reserve(&wdev->core, bar, &held);
	if (!ret) {
		t->slot[slot].bar = bar;
		t->slot[slot].attr = req.attr;
		t->slot[slot].memtype = held;
		t->slot_of_bar[bar] = slot;
		t->count++;
	}
	mutex_unlock(&t->lock);
	if (ret) {
		wc_request_restore(pdev, arg, &req);
		why = ret == -ENOMEM ? "out of memory" :
		      "already mapped with another memory type, request WC before using the BAR";
		goto out_refused;
	}
	up_write(&t->request_sem);

	pci_info_ratelimited(pdev, "BAR %u: write-combining alias is region %u\n",
			     bar, answer.region_index);
	return 0;

out_refused:
	pci_info_ratelimited(pdev, "BAR %u: write-combining refused: %s (%d)\n",
			     bar, why, ret);
out_unlock:
	up_write(&t->request_sem);
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

/*
 * Describe the alias in @info (offset, size, flags) and @caps (its type,
 * sparse-mmap areas and the alias capability).  Copying to userspace is
 * the caller's: the VFIO core's on kernels where it handles the ioctl
 * itself, wc_alias_region_info() below on the others.
 */
int wc_alias_region_fill(struct vfio_pci_wc_device *wdev,
			 const struct wc_alias *alias, unsigned int index,
			 struct vfio_region_info *info,
			 struct vfio_info_cap *caps)
{
	struct vfio_pci_core_device *vdev = &wdev->core;
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
	unsigned int nr_areas = 0;
	int ret;

	info->offset = VFIO_PCI_INDEX_TO_OFFSET(index);
	info->size = pci_resource_len(vdev->pdev, alias->bar);
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	ret = vfio_info_add_capability(caps, &cap_type.header,
				       sizeof(cap_type));
	if (ret)
		return ret;
	if (vdev->bar_mmap_supported[alias->bar])
		nr_areas = wc_sparse_areas(wdev, alias->bar, areas);
	if (nr_areas) {
		info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
		ret = wc_add_sparse_cap(caps, areas, nr_areas);
		if (ret)
			return ret;
	}
	return vfio_info_add_capability(caps, &cap_alias.header,
					sizeof(cap_alias));
}

int wc_alias_region_info(struct vfio_pci_wc_device *wdev,
			 const struct wc_alias *alias, unsigned int index,
			 struct vfio_region_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	ret = wc_alias_region_fill(wdev, alias, index, &info, &caps);
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

	/*
	 * On x86 the kernel's mapping of an aliased BAR is WC: make a write()
	 * leave the CPU's write-combining buffers before it returns.
	 */
	if (iswrite)
		wmb();
	if (done > 0)
		*ppos += done;
	return done;
}

/*
 * The plain BAR index of a BAR with an alias, on x86.  PAT gives every
 * mapping of a page one memory type, so once the alias exists the
 * kernel's own mapping of the BAR is WC, and so would be any new user
 * mapping of the plain index.  The plain index keeps what its users rely
 * on instead:
 *  - mmap() is refused with EBUSY, the errno a request gets in the
 *    opposite order (plain index used first);
 *  - read()/write() reach the device one access at a time, as through an
 *    uncached mapping (wc_rw_one_by_one());
 *  - a new ioeventfd is refused with EBUSY: the core would write its data
 *    through the WC mapping with nothing to flush it.
 * Elsewhere the plain index is not affected by an alias and these go
 * straight to the core.
 */

/*
 * Hand the core one naturally aligned piece of at most 4 bytes at a
 * time (the widest access its BAR read/write makes on x86) and fence
 * after each, so no two pieces merge in a write-combining buffer and each
 * has reached the device before the next is issued.
 */
static ssize_t wc_rw_one_by_one(struct vfio_device *core_vdev,
				char __user *buf, size_t count, loff_t *ppos,
				bool iswrite)
{
	size_t done = 0;

	while (done < count) {
		size_t left = count - done;
		loff_t pos = *ppos;
		ssize_t ret;
		size_t n;

		if (left >= 4 && IS_ALIGNED(pos, 4))
			n = 4;
		else if (left >= 2 && IS_ALIGNED(pos, 2))
			n = 2;
		else
			n = 1;

		if (iswrite)
			ret = vfio_pci_core_write(core_vdev, buf + done, n, &pos);
		else
			ret = vfio_pci_core_read(core_vdev, buf + done, n, &pos);
		mb();
		if (ret <= 0)
			return done ? done : ret;
		done += ret;
		*ppos += ret;
		if (fatal_signal_pending(current))
			return done;
		cond_resched();
	}
	return done;
}

int wc_plain_mmap(struct vfio_pci_wc_device *wdev, unsigned int bar,
		  struct vm_area_struct *vma)
{
	struct wc_alias_table *t = &wdev->aliases;
	int ret;

	if (!wc_platform_shares_memtype() || bar >= VFIO_PCI_WC_NUM_BARS)
		return vfio_pci_core_mmap(&wdev->core.vdev, vma);

	/*
	 * The core maps the BAR in the kernel on its first mmap, with the
	 * memory type in force then: hold the lock a request commits under,
	 * so the two cannot interleave.
	 */
	mutex_lock(&t->lock);
	if (t->slot_of_bar[bar] >= 0) {
		ret = -EBUSY;
	} else {
		ret = vfio_pci_core_mmap(&wdev->core.vdev, vma);
		if (!ret)
			set_bit(bar, &t->plain_pinned);
	}
	mutex_unlock(&t->lock);
	if (ret == -EBUSY)
		pci_info_ratelimited(wdev->core.pdev,
				     "BAR %u: plain mmap refused while its write-combining alias exists\n",
				     bar);
	return ret;
}

ssize_t wc_plain_rw(struct vfio_pci_wc_device *wdev, unsigned int bar,
		    char __user *buf, size_t count, loff_t *ppos,
		    bool iswrite)
{
	struct wc_alias_table *t = &wdev->aliases;
	struct vfio_device *core_vdev = &wdev->core.vdev;
	ssize_t ret;

	if (!wc_platform_shares_memtype() || bar >= VFIO_PCI_WC_NUM_BARS)
		goto core;

	/* The core may map the BAR in the kernel here: not during a request. */
	down_read(&t->request_sem);
	if (wc_bar_is_aliased(wdev, bar))
		ret = wc_rw_one_by_one(core_vdev, buf, count, ppos, iswrite);
	else if (iswrite)
		ret = vfio_pci_core_write(core_vdev, buf, count, ppos);
	else
		ret = vfio_pci_core_read(core_vdev, buf, count, ppos);
	up_read(&t->request_sem);
	return ret;

core:
	if (iswrite)
		return vfio_pci_core_write(core_vdev, buf, count, ppos);
	return vfio_pci_core_read(core_vdev, buf, count, ppos);
}

int wc_plain_ioeventfd(struct vfio_pci_wc_device *wdev, unsigned int cmd,
		       unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_ioeventfd, fd);
	struct wc_alias_table *t = &wdev->aliases;
	struct vfio_device_ioeventfd ev;
	u64 bar;
	int ret;

	if (!wc_platform_shares_memtype())
		return vfio_pci_core_ioctl(&wdev->core.vdev, cmd, arg);
	if (copy_from_user(&ev, (void __user *)arg, minsz))
		return -EFAULT;

	/*
	 * The core reads the argument again; a caller that changes it in
	 * between only gets an ioeventfd on its own aliased BAR, which
	 * misbehaves for nobody else.  Removing one (fd -1) is always fine.
	 */
	bar = VFIO_PCI_OFFSET_TO_INDEX(ev.offset);
	down_read(&t->request_sem);
	if (ev.argsz >= minsz && ev.fd >= 0 && wc_bar_is_aliased(wdev, bar)) {
		ret = -EBUSY;
	} else {
		ret = vfio_pci_core_ioctl(&wdev->core.vdev, cmd, arg);
		if (!ret && ev.fd >= 0 && bar < VFIO_PCI_WC_NUM_BARS)
			set_bit(bar, &t->plain_pinned);
	}
	up_read(&t->request_sem);
	return ret;
}
