/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * WC on part of a BAR: the "pci_wc_range=BAR:OFFSET:LENGTH" device
 * argument and the rules a range must meet before the bus asks the kernel
 * for it. A prefetchable BAR often mixes registers that must stay uncached
 * with a memory-like area (push buffers, an NVMe CMB, an NTB window), so a
 * request names page-aligned slices; the page is the unit the kernel maps
 * and, on x86, the unit PAT gives one memory type. A range is the same
 * (BAR, offset, length) triple a dma-buf slice of a BAR is, so requests
 * keep mapping onto that interface field by field.
 *
 * Pure logic with no DPDK calls, so unit tests compile it on its own.
 */
#ifndef PCI_WC_RANGE_H
#define PCI_WC_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Name of the device argument key; it may be given several times. */
#define PCI_WC_RANGE_DEVARG_KEY "pci_wc_range"

/* Ranges one device may have, all its BARs together. */
#define PCI_WC_RANGES_MAX 8

/* The highest BAR index of a PCI type 0 header. */
#define PCI_WC_RANGE_BAR_MAX 5

/* Room for any message of this file's functions. */
#define PCI_WC_RANGE_MSG_LEN 256

/* Room for any text of pci_wc_range_format(). */
#define PCI_WC_RANGE_TEXT_LEN 64

struct pci_wc_range {
	unsigned int bar;	/* 0..PCI_WC_RANGE_BAR_MAX */
	uint64_t offset;	/* bytes from the start of the BAR */
	uint64_t length;	/* bytes; 0: to the end of the BAR */
};

/*
 * Parse one value "BAR:OFFSET:LENGTH": BAR in decimal, OFFSET and LENGTH
 * in decimal or 0x hex (no sign, no leading zero in decimal, so that
 * "010" is not read as octal by some and decimal by others); LENGTH may
 * be 0 (to the end of the BAR) or end in K, M or G (binary multiples).
 * OFFSET and LENGTH must be multiples of page_size (a power of two), and
 * the range must end at or before 2^64.
 *
 * Returns 0 and fills r; or -EINVAL (malformed, BAR past 5, not
 * page-aligned, bad page size) or -ERANGE (a number or the end past 64
 * bits), with one line "pci_wc_range=VALUE: why" in msg and r unchanged.
 */
int pci_wc_range_parse(const char *value, size_t page_size,
		struct pci_wc_range *r, char *msg, size_t len);

/*
 * Take every "pci_wc_range=VALUE" out of a device argument string
 * ("k=v,k=v"), in place with its comma, keeping the other items in their
 * order, and parse each VALUE into ranges, in the order given. A range
 * given twice with the same values is kept once. Overlaps are not seen
 * here: they need the BAR sizes (pci_wc_range_check()).
 *
 * Returns the number of ranges (0 when the key is absent or args is
 * NULL); or -1 for a bad value or more than PCI_WC_RANGES_MAX different
 * ranges, with one line in msg, and args and ranges left unchanged so the
 * caller can report it and fail the probe.
 */
int pci_wc_range_devargs_extract(char *args, size_t page_size,
		struct pci_wc_range ranges[PCI_WC_RANGES_MAX],
		char *msg, size_t len);

/*
 * The length in bytes a range covers in a BAR of bar_size bytes: its own
 * length, or for length 0 what is left of the BAR after its offset (0
 * when the offset is at or past the end). An explicit length is returned
 * as it is, even when it runs past the BAR: pci_wc_range_check() says so.
 */
uint64_t pci_wc_range_resolve(const struct pci_wc_range *r,
		uint64_t bar_size);

/*
 * "BAR 2 [0x1000, 0x11000)" into buf, the half-open byte range in hex;
 * "BAR 2 [0x1000, end of BAR)" for length 0 (resolve the range first to
 * name its end). Returns what snprintf returns.
 */
int pci_wc_range_format(const struct pci_wc_range *r, char *buf,
		size_t len);

/* MSI-X table and PBA: at most one of each in a BAR. */
#define PCI_WC_RANGE_EXCLUDE_MAX 2

/* What is known about the BAR a range is in. */
struct pci_wc_range_bar {
	uint64_t size;		/* bytes; 0: BAR not implemented */
	uint64_t phys_addr;	/* where the BAR starts in physical memory */
	bool memory;		/* a memory BAR, not I/O */
	bool prefetchable;
	/*
	 * The platform gives a physical page one memory type (x86 PAT): a
	 * BAR that does not own its whole pages cannot have WC at all.
	 */
	bool memtype_per_page;
	/*
	 * Byte ranges within the BAR that must stay uncached: the MSI-X
	 * table and PBA. Length 0: unused. pci_wc_range_check() widens
	 * them to whole pages, the unit a mapping has one attribute for.
	 */
	struct {
		uint64_t offset;
		uint64_t length;
	} exclude[PCI_WC_RANGE_EXCLUDE_MAX];
};

/* pci_wc_range_check(): r is valid and the same as one of others. */
#define PCI_WC_RANGE_SAME 1

/*
 * Can r have WC in a BAR described by bar, beside the ranges others
 * already has (those of other BARs are ignored; r itself may be among
 * them)? Every rule is checked on r resolved (pci_wc_range_resolve()):
 * the range must be non-empty, page-aligned and inside the BAR; in a BAR
 * smaller than a page the one range allowed is the whole BAR ("BAR:0:0"),
 * and none on a memtype_per_page platform; it must not share a page with
 * an excluded range, nor overlap another range of the same BAR.
 *
 * Returns 0 when r can be added, PCI_WC_RANGE_SAME when others has it
 * already (resolved, the same bytes), or a negative errno:
 *   -EINVAL      bad BAR index or page size, empty, past the end of the
 *                BAR, not page-aligned, not the whole of a sub-page BAR
 *   -EEXIST      overlaps another range of the same BAR
 *   -EOPNOTSUPP  touches an MSI-X page; or, on memtype_per_page, a BAR
 *                smaller than a page or not page-aligned
 *   -ENXIO       not a memory BAR
 *   -EPERM       not prefetchable
 * msg gets one line naming the BAR, the range in hex and why; on
 * PCI_WC_RANGE_SAME a line saying it is there already; "" on 0.
 */
int pci_wc_range_check(const struct pci_wc_range *r,
		const struct pci_wc_range_bar *bar,
		const struct pci_wc_range *others, unsigned int n_others,
		size_t page_size, char *msg, size_t len);

#endif /* PCI_WC_RANGE_H */
