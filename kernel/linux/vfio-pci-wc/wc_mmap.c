// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping an alias region write-combining.
 *
 * The mmap of an alias is the core's mmap of the aliased BAR with one
 * difference, the page protection.  Reusing vfio_pci_core_mmap() keeps
 * every protection the core gives a BAR: its fault handler refuses access
 * (SIGBUS) while memory decode is off or the device is in low power, its
 * zap on decode-disable and reset finds the VMA, and the next access
 * faults the mapping back in.  For that the VMA is pointed at the BAR's
 * own file offset before the core sees it:
 *  - 6.1: the core turns vm_pgoff into the physical PFN, faults with
 *    io_remap_pfn_range(vma->vm_page_prot) and zaps the VMAs it recorded
 *    at fault time in vdev->vma_list;
 *  - 6.12: vm_pgoff stays the file offset, faults use vmf_insert_pfn*()
 *    with vma->vm_page_prot, and zapping is unmap_mapping_range() over the
 *    BAR0..BAR5 offsets of the device inode, where the repointed VMA lies.
 *
 * Setting vm_page_prot to pgprot_writecombine() is all arm64 needs
 * (Normal-NC).  x86 with PAT needs more: the kernel keeps one memory type
 * per physical page in its memtype tree, and
 *  - 6.12 vmf_insert_pfn*() replace the cache bits of vm_page_prot with
 *    the type found in that tree for the page (track_pfn_insert() ->
 *    lookup_memtype()), UC- when nothing is reserved;
 *  - 6.1 io_remap_pfn_range() reserves the VMA's range with the type asked
 *    for, but silently takes over the type of any overlapping reservation;
 *  - and the core itself maps the whole BAR in the kernel with
 *    pci_iomap(), i.e. ioremap() UC-: 6.x on the BAR's first read/write,
 *    ioeventfd or mmap, 7.3 as soon as the device is opened.
 * So on x86 the request takes a WC reservation over the whole BAR, held
 * until the device is closed.  The core's kernel mapping, if it has one,
 * is the only user of the BAR's memory type that the driver can account
 * for, and it is replaced around the reservation (wc_core_unmap_bar(),
 * wc_core_remap_bar()): the new ioremap inherits WC (UC- requests may be
 * given WC), and every user mapping of the BAR faults in WC on every
 * kernel.  What cannot be replaced is a user mapping or an ioeventfd made
 * through the plain index: wc_alias.c refuses a request after either
 * (EBUSY), and the reservation itself is refused (EBUSY) when something
 * else already holds another type on the BAR.  Because the
 * tree holds byte ranges while every mapping covers whole pages, x86 only
 * aliases BARs that own whole pages (wc_range_owns_pages()), and never one
 * holding the MSI-X table (wc_alias.c): otherwise a neighbour sharing a
 * page, or the kernel's MSI-X mapping, would inherit WC.  For the same
 * reason the plain index of an aliased BAR refuses mmap (wc_alias.c).
 * With the reservation tied to the alias rather than to a VMA, VMAs may be
 * split, forked and zapped freely: untrack_pfn() on zap only drops the
 * per-VMA reservation 6.1 made at fault time, never ours.
 */

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/vfio_pci_core.h>

#include "compat.h"
#include "wc_mmap.h"

bool wc_platform_can_wc(void)
{
	/*
	 * Only the two architectures whose WC semantics this driver was
	 * written and tested for.  arch_can_pci_mmap_wc() is pat_enabled()
	 * on x86 (without PAT a WC request silently becomes UC-) and 1 on
	 * arm64.
	 */
	if (!IS_ENABLED(CONFIG_X86) && !IS_ENABLED(CONFIG_ARM64))
		return false;
	return arch_can_pci_mmap_wc();
}

bool wc_platform_shares_memtype(void)
{
	return IS_ENABLED(CONFIG_X86);
}

/*
 * Does [start, start + len) consist of whole pages?  ioremap() and user
 * page tables always map whole pages, while a memory-type reservation
 * covers exactly the bytes it is given: for a range that shares a page
 * with something else, a WC reservation would make that something else's
 * mappings of the page WC too (x86 hands the existing type to later
 * overlapping requests).
 */
bool wc_range_owns_pages(resource_size_t start, resource_size_t len)
{
	resource_size_t end;

	if (!len || check_add_overflow(start, len, &end))
		return false;
	return PAGE_ALIGNED(start) && PAGE_ALIGNED(end);
}

#ifdef CONFIG_X86
/*
 * Does the kernel mapping at @va use the WC cache mode?  This is how the
 * memtype reservation is verified: arch_io_reserve_memtype_wc() succeeds
 * even when an existing UC- reservation overlaps, it then records UC-.
 */
static bool wc_kernel_mapping_is_wc(const void __iomem *va)
{
	pgprotval_t got, want;
	unsigned int level;
	pte_t *pte;

	pte = lookup_address((unsigned long)va, &level);
	if (!pte)
		return false;

	got = pte_flags(*pte);
	if (level != PG_LEVEL_4K)
		got = protval_large_2_4k(got);
	want = pgprot_val(pgprot_writecombine(__pgprot(0)));

	return (got & _PAGE_CACHE_MASK) == (want & _PAGE_CACHE_MASK);
}

/*
 * Map one page of the reserved range WC and look at what we got: 0 if it
 * is WC, -EBUSY if another type won, -ENOMEM if it could not be mapped.
 */
static int wc_memtype_check(resource_size_t start, resource_size_t len)
{
	void __iomem *probe;
	bool is_wc;

	probe = ioremap_wc(start, min_t(resource_size_t, len, PAGE_SIZE));
	if (!probe)
		return -ENOMEM;
	is_wc = wc_kernel_mapping_is_wc(probe);
	iounmap(probe);
	return is_wc ? 0 : -EBUSY;
}
#else
static int wc_memtype_check(resource_size_t start, resource_size_t len)
{
	/* No memory-type tracking: the page protection decides alone. */
	return 0;
}
#endif

/*
 * Drop the core's kernel mapping of @bar, which holds the BAR's memory
 * type (UC-) for as long as it exists.  The caller excludes every path
 * that uses it (the request lock and semaphore, wc_alias.h), and the
 * BAR's resource stays requested for wc_core_remap_bar().  Returns
 * whether there was one.
 */
static bool wc_core_unmap_bar(struct vfio_pci_core_device *vdev, u32 bar)
{
	if (IS_ERR_OR_NULL(vdev->barmap[bar]))
		return false;
	pci_iounmap(vdev->pdev, vdev->barmap[bar]);
	vdev->barmap[bar] = NULL;
	return true;
}

/*
 * Give the core its kernel mapping back, with whatever memory type the BAR
 * has now: WC while our reservation exists, UC- otherwise.  0, or -ENOMEM
 * with the BAR left unmapped the way the running core expects (compat.h)
 * and its resource released.
 */
static int wc_core_remap_bar(struct vfio_pci_core_device *vdev, u32 bar)
{
	vdev->barmap[bar] = pci_iomap(vdev->pdev, bar, 0);
	if (vdev->barmap[bar])
		return 0;
	pci_release_selected_regions(vdev->pdev, 1 << bar);
	vdev->barmap[bar] = VFIO_PCI_WC_BARMAP_NONE(-ENOMEM);
	return -ENOMEM;
}

static int wc_memtype_take(resource_size_t start, resource_size_t len)
{
	int ret;

	ret = arch_io_reserve_memtype_wc(start, len);
	if (ret)
		return ret == -ENOMEM ? -ENOMEM : -EBUSY;
	ret = wc_memtype_check(start, len);
	if (ret)
		arch_io_free_memtype_wc(start, len);
	return ret;
}

/*
 * Reserve the whole BAR as WC for the lifetime of its alias and record
 * the range in @held, which wc_memtype_release() frees.  A no-op
 * (arch_io_reserve_memtype_wc() returns 0) where nothing tracks memory
 * types.  On failure the BAR's memory type and the core's mapping are as
 * they were (short of running out of memory while mapping it again).
 */
int wc_memtype_reserve(struct vfio_pci_core_device *vdev, u32 bar,
		       struct wc_phys_range *held)
{
	resource_size_t start = pci_resource_start(vdev->pdev, bar);
	resource_size_t len = pci_resource_len(vdev->pdev, bar);
	bool had_map = false;
	int ret, err;

	if (wc_platform_shares_memtype())
		had_map = wc_core_unmap_bar(vdev, bar);

	ret = wc_memtype_take(start, len);
	if (had_map) {
		err = wc_core_remap_bar(vdev, bar);
		if (err && !ret) {
			arch_io_free_memtype_wc(start, len);
			ret = err;
		}
	}
	if (ret)
		return ret;
	held->start = start;
	held->len = len;
	return 0;
}

void wc_memtype_release(struct wc_phys_range *held)
{
	if (!held->len)
		return;
	arch_io_free_memtype_wc(held->start, held->len);
	held->len = 0;
}

int wc_alias_mmap(struct vfio_pci_wc_device *wdev,
		  const struct wc_alias *alias, struct vm_area_struct *vma)
{
	struct vfio_pci_core_device *vdev = &wdev->core;
	u64 bar_end = PAGE_ALIGN(pci_resource_len(vdev->pdev, alias->bar));
	unsigned long region_pgoff = vma->vm_pgoff &
		((1UL << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);
	unsigned long alias_pgoff = vma->vm_pgoff;
	/* vm_get_page_prot(vm_flags) so far: no cache attribute chosen yet. */
	pgprot_t base_prot = vma->vm_page_prot;
	u64 start = (u64)region_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	u64 end;
	int ret;

	if (!vdev->bar_mmap_supported[alias->bar])
		return -EINVAL;
	if (check_add_overflow(start, len, &end) || end > bar_end)
		return -EINVAL;
	/* Unlike the plain BAR index, the alias never maps MSI-X pages. */
	if (wc_range_hits_excluded(wdev, alias->bar, start, end))
		return -EINVAL;

	vma->vm_pgoff = (VFIO_PCI_INDEX_TO_OFFSET(alias->bar) >> PAGE_SHIFT) +
			region_pgoff;
	ret = vfio_pci_core_mmap(&vdev->vdev, vma);
	if (ret) {
		vma->vm_pgoff = alias_pgoff;
		return ret;
	}

	/*
	 * The core chose pgprot_noncached().  On x86 the pgprot_*() cache
	 * helpers OR their bits in rather than replace them (UC- | WC would
	 * read as UC), so start again from the protection the VMA had before
	 * the core, and keep the core's other change: MMIO is never mapped
	 * encrypted.
	 */
	vma->vm_page_prot = pgprot_decrypted(pgprot_writecombine(base_prot));
	return 0;
}
