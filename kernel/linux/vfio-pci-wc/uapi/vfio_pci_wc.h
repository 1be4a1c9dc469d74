/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR BSD-3-Clause */
/*
 * vfio-pci-wc: opt-in write-combining (WC) aliases of PCI BARs.
 *
 * A device bound to the vfio-pci-wc variant driver behaves exactly like one
 * bound to vfio-pci until its user asks for WC.  The user asks per BAR,
 * through the existing VFIO_DEVICE_FEATURE ioctl on the device fd, and gets
 * back the index of a new device region: an *alias* of that BAR whose mmap()
 * is write-combining.  The original (plain) BAR region index keeps the
 * behaviour of vfio-pci, with one exception on x86 while an alias exists
 * (see "The plain BAR index" below).
 *
 * This header needs only <linux/types.h> and <linux/vfio.h>, so userspace
 * can include it without kernel sources.
 *
 * Numbering
 * ---------
 * Upstream VFIO allocates device feature indexes, region-info capability ids
 * and generic (non-vendor) region types as small consecutive integers from
 * the bottom of their spaces (feature 0..10, capability 1..5, region type
 * 1..3 as of Linux 6.12).  An out-of-tree driver that picks "the next free
 * number" would collide with the next upstream addition, so every number
 * below is taken from one block near the top of each space, tagged 0xfe00:
 *
 *  - feature indexes: 0xfe00-0xfeff of the 16-bit VFIO_DEVICE_FEATURE_MASK
 *    space.  0xff00-0xffff is left alone for other out-of-tree users who
 *    also think of "the top".
 *  - region-info capability id: 0xfe00 of the 16-bit capability id space.
 *  - region type: 0x7ffffe00.  Bit 31 clear, so it is not in upstream's
 *    vendor space (VFIO_REGION_TYPE_PCI_VENDOR_TYPE | PCI vendor id).  That
 *    scheme is keyed by the vendor of the *device* and each vendor numbers
 *    its own subtypes (Intel IGD already uses subtypes 1..4 under 0x8086),
 *    so reusing the device's vendor id would make our (type, subtype) pair
 *    mean something else on some devices; and the project owns no PCI
 *    vendor id of its own.  A value at the top of the generic half cannot
 *    be reached by upstream's consecutive allocation.
 *
 * Feature VFIO_DEVICE_FEATURE_PCI_WC_REQUEST is a SET feature that also
 * writes its result back into the payload, as upstream's
 * VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE does with its data_fd: the VFIO core
 * rejects GET|SET together (without PROBE) before a driver sees the ioctl.
 *
 * PROBE (VFIO_DEVICE_FEATURE_PROBE) answers without side effects: 0 for
 * WC_BARS with GET and for WC_REQUEST with SET, EINVAL for the other
 * direction of either (the VFIO core's check of the operations a feature
 * supports).  On a kernel without vfio-pci-wc (plain vfio-pci or another
 * variant driver) both features fail with ENOTTY whatever the direction,
 * so "PROBE with SET on WC_REQUEST returns 0" tells the two apart.
 *
 * Every payload starts with its own argsz, although the feature header
 * already gives the kernel the payload's size: the header is only read,
 * while the inner argsz is written back with the number of bytes the
 * kernel filled in.  That is what lets a struct grow at its end later: a
 * newer program on an older kernel learns how much of its larger struct
 * was filled, and a newer kernel can still accept this version's size from
 * an older program.  On input it must be at least the struct's size and at
 * most the payload's.
 *
 * Fields this version gives no meaning (reserved, flags without a defined
 * bit) must be 0 on input, so that they can gain one later: a non-zero
 * value is EINVAL, never silently ignored.
 *
 * num_regions
 * -----------
 * VFIO_DEVICE_GET_INFO counts aliases in num_regions once they exist, so
 * num_regions of a device fd can grow after open, but only through that
 * user's own requests.  A user that never requests (QEMU, which reads
 * num_regions once when it sets a device up; plain DPDK) sees the value
 * vfio-pci reports, for the whole life of the open device.  A user that
 * requests gets the alias' region index in the answer and need not read
 * num_regions again; one that does (another process sharing the device fd)
 * finds the aliases after the standard and device-specific regions.
 * Aliases are only dropped when the last device fd is closed, so
 * num_regions never shrinks while the device is open.
 */
#ifndef _UAPI_VFIO_PCI_WC_H
#define _UAPI_VFIO_PCI_WC_H

#include <linux/types.h>
#include <linux/vfio.h>

/* Tag of the block every number below is taken from (see above). */
#define VFIO_PCI_WC_NUMBER_BLOCK		0xfe00

/* Number of standard BARs, i.e. region indexes 0..5 (VFIO_PCI_BAR*). */
#define VFIO_PCI_WC_NUM_BARS			6

/* Value of an alias index for a BAR that has no alias. */
#define VFIO_PCI_WC_NO_ALIAS			0xffffffffU

/*
 * Mapping attributes an alias can carry.  0 is never valid, so a zeroed
 * request is rejected rather than silently meaning something.  Values are
 * #defines, not an enum, to keep the ABI size fixed; more attributes (for
 * example write-through) may be added later, and WC_BARS says which ones
 * the running kernel knows (VFIO_PCI_WC_BARS_FLAG_ATTR()).
 */
#define VFIO_PCI_WC_ATTR_WC			1	/* write-combining */

/*
 * Bit of vfio_pci_wc_bars.flags saying that REQUEST knows attribute @attr
 * (1..15): bits 16..31 of the flags are the mask of known attributes.
 */
#define VFIO_PCI_WC_BARS_ATTR_SHIFT		16
#define VFIO_PCI_WC_BARS_FLAG_ATTR(attr)				\
	(1U << (VFIO_PCI_WC_BARS_ATTR_SHIFT + (attr)))

/*
 * VFIO_DEVICE_FEATURE_PCI_WC_BARS - GET: which BARs can get a WC alias.
 *
 * Payload: struct vfio_pci_wc_bars.  In: argsz = sizeof(struct
 * vfio_pci_wc_bars), the only field read.  Out: every other field; argsz
 * is set to the number of bytes the kernel filled in.
 *
 * flags:
 *  - VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC: the CPU can map WC at all;
 *  - bits 16..31, VFIO_PCI_WC_BARS_FLAG_ATTR(attr): REQUEST knows attribute
 *    attr.  (flags >> VFIO_PCI_WC_BARS_ATTR_SHIFT) is the mask of known
 *    attributes, bit n for attribute n; this version sets exactly
 *    VFIO_PCI_WC_BARS_FLAG_ATTR(VFIO_PCI_WC_ATTR_WC), on every platform.
 *    A known attribute can still be refused for a BAR or a platform (see
 *    wc_bars and the REQUEST errors); an unknown one is EPROTONOSUPPORT.
 *
 * A BAR is listed in wc_bars when all of these hold:
 *  - it is a 32- or 64-bit memory BAR (not I/O, not the upper half of a
 *    64-bit BAR, not empty),
 *  - it is prefetchable (no read side effects, so WC cannot change what the
 *    device sees beyond merging and reordering writes),
 *  - the platform can map it WC: x86 with PAT enabled, or arm64 (Normal-NC);
 *  - on x86 additionally, because PAT gives one memory type to every mapping
 *    of a physical page:
 *      - the BAR starts and ends on a page boundary, i.e. it owns every
 *        page it touches.  A BAR smaller than a page, or one not aligned
 *        to pages, shares a page with whatever the platform put next to it
 *        (another BAR of this or another device, the MSI-X table): ioremap
 *        and page tables work on whole pages, so a WC reservation of the
 *        BAR's bytes would make that neighbour's mappings WC as well.
 *      - the BAR holds neither the MSI-X table nor the PBA, whose kernel
 *        mapping must stay uncached.
 *
 * Errors: EINVAL  payload smaller than the struct, argsz smaller than the
 *                 struct or larger than the payload, SET requested.
 *         EFAULT  payload not accessible.
 */
#define VFIO_DEVICE_FEATURE_PCI_WC_BARS		(VFIO_PCI_WC_NUMBER_BLOCK + 0)

struct vfio_pci_wc_bars {
	__u32	argsz;		/* in: sizeof(struct); out: bytes filled */
	__u32	flags;		/* out: VFIO_PCI_WC_BARS_FLAG_* */
#define VFIO_PCI_WC_BARS_FLAG_PLATFORM_WC	(1 << 0) /* CPU can map WC */
	/* bits 16..31: VFIO_PCI_WC_BARS_FLAG_ATTR(a) of each known attribute */
	__u32	wc_bars;	/* out: bit n set: BAR n may be requested */
	__u32	aliased_bars;	/* out: bit n set: BAR n already has an alias */
	/* out: region index of BAR n's alias, or VFIO_PCI_WC_NO_ALIAS */
	__u32	alias_index[VFIO_PCI_WC_NUM_BARS];
};

/*
 * VFIO_DEVICE_FEATURE_PCI_WC_REQUEST - SET: create (or find) the WC alias
 * of one BAR and return its region index.
 *
 * Payload: struct vfio_pci_wc_request.  In: argsz, flags (0), bar_index,
 * attr, region_index (0), reserved (0).  Out: region_index, reserved = 0,
 * argsz = bytes the kernel filled in.
 *
 * Requesting a BAR that already has an alias returns the same region index
 * (idempotent; pass region_index 0 again).  The alias lives until the last
 * device fd is closed; the next open starts without aliases.
 *
 * A request that fails changes nothing: no alias, no memory type, no
 * region.  The answer is written back before the alias is committed, so a
 * payload the kernel can read but not write fails with EFAULT and leaves
 * the device as it was; after a later failure the payload is written back
 * as it came, as far as it is writable.
 *
 * Errors (each has one meaning, so userspace can tell them apart):
 *   EINVAL      malformed: payload or argsz smaller than the struct, argsz
 *               larger than the payload, flags, region_index or reserved
 *               not 0, attr 0, bar_index > 5 (that includes the ROM (6),
 *               VGA (7) and -1), GET requested.  Checked before attr is
 *               looked up, so a malformed call is EINVAL whatever its attr.
 *   EPROTONOSUPPORT  well-formed, but attr is not an attribute this kernel
 *               knows (not in the WC_BARS mask): try another attribute.
 *   ENXIO       the BAR is not there or is not memory: an I/O BAR, an
 *               unimplemented BAR, the upper half of a 64-bit BAR.
 *   EPERM       the BAR is memory but not prefetchable: WC could merge or
 *               reorder accesses to registers with side effects, refused.
 *   EOPNOTSUPP  this platform cannot map the BAR WC: not x86 or arm64, x86
 *               without PAT, or (x86) the BAR does not own its whole pages
 *               or holds the MSI-X table or PBA (see WC_BARS).
 *   EBUSY       (x86) the BAR's physical range already carries another
 *               memory type: its plain region index was mmapped or given
 *               an ioeventfd since the device was opened (user page tables
 *               and ioeventfds keep the uncached type until the device is
 *               closed), or another kernel user maps it.  read()/write()
 *               through the plain index before the request do not count.
 *               Request WC before mmapping the BAR.
 *   ENOMEM      out of memory, or the BAR could not be mapped to check the
 *               memory type reserved for it.
 *   EFAULT      payload not readable, or the answer could not be written
 *               back (nothing was created).
 *   ENOTTY      not vfio-pci-wc.
 */
#define VFIO_DEVICE_FEATURE_PCI_WC_REQUEST	(VFIO_PCI_WC_NUMBER_BLOCK + 1)

struct vfio_pci_wc_request {
	__u32	argsz;		/* in: sizeof(struct); out: bytes filled */
	__u32	flags;		/* in: must be 0, none defined yet */
	__u32	bar_index;	/* in: VFIO_PCI_BAR0_REGION_INDEX..BAR5 */
	__u32	attr;		/* in: VFIO_PCI_WC_ATTR_* */
	__u32	region_index;	/* in: 0; out: region index of the alias */
	__u32	reserved;	/* in: 0; out: 0 */
};

/*
 * The alias region.
 *
 * Its index comes after every region vfio-pci itself reports; once an alias
 * exists, VFIO_DEVICE_GET_INFO counts it in num_regions.  Before the first
 * request nothing differs from vfio-pci.
 *
 * VFIO_DEVICE_GET_REGION_INFO on the alias reports:
 *  - size: the BAR's size; offset: as for any region;
 *  - flags: READ | WRITE | CAPS, plus MMAP when the BAR itself is mmappable;
 *  - VFIO_REGION_INFO_CAP_TYPE: VFIO_REGION_TYPE_PCI_WC /
 *    VFIO_REGION_SUBTYPE_PCI_WC_BAR_ALIAS;
 *  - VFIO_REGION_INFO_CAP_SPARSE_MMAP (when MMAP is set): the areas that
 *    may be mmapped.  The pages holding the MSI-X table and PBA are never
 *    among them and mmap over them fails with EINVAL (the plain BAR index
 *    may allow it: an alias must never make the MSI-X table WC);
 *  - VFIO_REGION_INFO_CAP_PCI_WC_ALIAS: which BAR, with which attribute.
 *
 * mmap() of the alias maps the BAR write-combining (x86: PAT WC; arm64:
 * Normal-NC) with every protection of the plain BAR: the mapping is zapped
 * while memory decode is disabled or the device is reset, access then
 * raises SIGBUS, and it faults back in afterwards.  mmap past the end of the
 * BAR, over the MSI-X table/PBA pages, or of an alias never requested fails
 * with EINVAL.
 *
 * read()/write() at the alias offset go to the BAR, with the same bounds
 * and MSI-X protections as the plain BAR index.  On x86 they go through the
 * kernel's (then WC) mapping of the BAR; a write() has left the CPU's
 * write-combining buffers when it returns.
 *
 * The plain BAR index
 * -------------------
 * x86: PAT allows one memory type per physical page, and after a request
 * the BAR's pages are WC for every mapping, the kernel's own included.  So
 * that the plain index never silently becomes WC, while BAR n has an alias:
 *  - mmap() of BAR n's plain index fails with EBUSY (the mirror image of a
 *    request failing with EBUSY after the plain index was mmapped);
 *  - VFIO_DEVICE_IOEVENTFD creating an ioeventfd on BAR n fails with EBUSY
 *    (its writes would go through the WC mapping with nothing to flush
 *    them); removing one (fd -1) works;
 *  - read()/write() of BAR n's plain index still work and reach the device
 *    as through an uncached mapping: one naturally aligned access of at
 *    most 4 bytes at a time, each finished (full barrier) before the next
 *    is issued, so none are merged or reordered.
 * Once the last device fd is closed and the alias is gone, the plain index
 * behaves as under vfio-pci again.  Other BARs are never affected.
 *
 * arm64: WC is a property of each mapping (Normal-NC versus Device), so the
 * plain index is not affected by an alias at all: its mmap is Device
 * memory, its read()/write() and ioeventfds work as under vfio-pci.
 */
#define VFIO_REGION_TYPE_PCI_WC			(0x7fff0000U | VFIO_PCI_WC_NUMBER_BLOCK)
#define VFIO_REGION_SUBTYPE_PCI_WC_BAR_ALIAS	(1)

#define VFIO_REGION_INFO_CAP_PCI_WC_ALIAS	(VFIO_PCI_WC_NUMBER_BLOCK + 0)

struct vfio_region_info_cap_pci_wc_alias {
	struct vfio_info_cap_header header;	/* version 1 */
	__u32	flags;		/* none defined yet, 0 */
	__u32	bar_index;	/* region index of the aliased BAR */
	__u32	attr;		/* VFIO_PCI_WC_ATTR_* of the alias mapping */
	__u32	reserved;	/* 0 */
};

#endif /* _UAPI_VFIO_PCI_WC_H */
