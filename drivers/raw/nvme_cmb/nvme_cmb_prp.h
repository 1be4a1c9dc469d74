/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PRP (physical region page) entries for one command's data. Pure logic:
 * the caller says where the data starts (a bus address, either host IOVA
 * or the CMB's bus address) and where the PRP list may go; the result is
 * PRP1, PRP2 and the list entries, which the caller then stores in host
 * memory or in the CMB (all PRPs of one command live on one side).
 */
#ifndef NVME_CMB_PRP_H
#define NVME_CMB_PRP_H

#include <stdint.h>

struct nvme_prp {
	uint64_t prp1;
	uint64_t prp2;		/* 0, the second page, or the list's address */
	unsigned int nb_list;	/* entries written to the list (0: none) */
};

/*
 * Describe a transfer of len bytes (len > 0) that starts at bus address
 * addr and is contiguous in bus address space, in pages of page_size
 * bytes (a power of two, 4 KiB or more):
 *  - addr must be a multiple of 4 (PRP1 may have an offset in its page);
 *  - one page: PRP1 only; two pages: PRP1 and PRP2 = the second page;
 *  - more: PRP2 = list_bus, and the page addresses after the first are
 *    written to list[] (list_bus must be page aligned; list[] is the CPU
 *    copy of the list memory at list_bus). When they do not fit in one
 *    list page, the last entry of each full list page points at the next
 *    list page (list_bus + n * page_size), as the specification chains
 *    them.
 * list_cap is list[]'s size in entries. Returns 0, or -EINVAL for bad
 * arguments, or -ENOSPC when the list would need more than list_cap
 * entries (chain pointers included).
 */
int nvme_prp_build(uint64_t addr, uint32_t len, uint32_t page_size,
		uint64_t *list, unsigned int list_cap, uint64_t list_bus,
		struct nvme_prp *out);

/*
 * List entries (chain pointers included) nvme_prp_build() needs for a
 * transfer of len bytes starting at offset off in its first page.
 */
unsigned int nvme_prp_list_entries(uint32_t off, uint32_t len,
		uint32_t page_size);

#endif /* NVME_CMB_PRP_H */
