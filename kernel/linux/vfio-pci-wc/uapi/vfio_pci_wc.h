/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR BSD-3-Clause */
/*
 * vfio-pci-wc: opt-in write-combining (WC) aliases of PCI BARs.
 *
 * A device bound to the vfio-pci-wc variant driver behaves exactly like one
 * bound to vfio-pci until its user asks for WC.  The user asks per BAR,
 * through the existing VFIO_DEVICE_FEATURE ioctl on the device fd, and gets
 * back the index of a new device region: an *alias* of that BAR whose mmap()
 * is write-combining.  The original BAR region index keeps working as before.
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
 * On a kernel without vfio-pci-wc (plain vfio-pci or another variant
 * driver) both features fail with ENOTTY; PROBE (VFIO_DEVICE_FEATURE_PROBE
 * with GET or SET) returns 0 here, so it tells the two apart without side
 * effects.
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
 * example write-through) may be added later.
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
 * vfio_pci_wc_bars).  Out: every other field; argsz is set to the number
 * of bytes the kernel filled in.
 *
 * A BAR is listed in wc_bars when all of these hold:
 *  - it is a 32- or 64-bit memory BAR (not I/O, not the upper half of a
 *    64-bit BAR, not empty),
 *  - it is prefetchable (no read side effects, so WC cannot change what the
 *    device sees beyond merging and reordering writes),
 *  - the platform can map it WC: x86 with PAT enabled, or arm64 (Normal-NC);
 *    on x86 additionally the BAR holds neither the MSI-X table nor the PBA,
 *    because PAT gives one memory type to all mappings of a physical page
 *    and the kernel's own MSI-X mapping must stay uncached.
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
 * Payload: struct vfio_pci_wc_request.  In: argsz, flags, bar_index, attr.
 * Out: region_index, reserved = 0, argsz = bytes the kernel filled in.
 *
 * Requesting a BAR that already has an alias returns the same region index
 * (idempotent).  The alias lives until the last device fd is closed; the
 * next open starts without aliases.
 *
 * Errors (each has one meaning, so userspace can tell them apart):
 *   EINVAL      bad argument: payload or argsz smaller than the struct,
 *               argsz larger than the payload, flags != 0, unknown attr,
 *               bar_index > 5 (that includes the ROM (6), VGA (7) and -1),
 *               GET requested.
 *   ENXIO       the BAR is not there or is not memory: an I/O BAR, an
 *               unimplemented BAR, the upper half of a 64-bit BAR.
 *   EPERM       the BAR is memory but not prefetchable: WC could merge or
 *               reorder accesses to registers with side effects, refused.
 *   EOPNOTSUPP  this platform cannot map the BAR WC: not x86 or arm64, x86
 *               without PAT, or (x86) the BAR holds the MSI-X table or PBA.
 *   EBUSY       (x86) the BAR's physical range already carries another
 *               memory type: it was mmapped, read or written through its
 *               plain region index (the kernel then maps it uncached), or
 *               another kernel user maps it.  Request WC before touching
 *               the BAR.
 *   ENOMEM      out of memory.
 *   EFAULT      payload not accessible.
 *   ENOTTY      not vfio-pci-wc.
 */
#define VFIO_DEVICE_FEATURE_PCI_WC_REQUEST	(VFIO_PCI_WC_NUMBER_BLOCK + 1)

struct vfio_pci_wc_request {
	__u32	argsz;		/* in: sizeof(struct); out: bytes filled */
	__u32	flags;		/* in: must be 0, none defined yet */
	__u32	bar_index;	/* in: VFIO_PCI_BAR0_REGION_INDEX..BAR5 */
	__u32	attr;		/* in: VFIO_PCI_WC_ATTR_* */
	__u32	region_index;	/* out: region index of the alias */
	__u32	reserved;	/* out: 0 */
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
 *    among them and mmap over them fails with EINVAL, unlike the plain BAR
 *    index, which allows it since Linux 4.16;
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
 * and MSI-X protections as the plain BAR index.
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
