/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PRP entries for one command's data (see nvme_cmb_prp.h). No DPDK here:
 * the unit tests compile this file on its own.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvme_cmb_prp.h"

#define NVME_PRP_PAGE_MIN 4096u

static bool
prp_page_size_ok(uint32_t page_size)
{
	return page_size >= NVME_PRP_PAGE_MIN &&
		(page_size & (page_size - 1)) == 0;
}

/*
 * Pages touched by len bytes starting at offset off (< page_size) of the
 * first one. Done in 64 bits: off + len can pass 4 GiB.
 */
static uint64_t
prp_nb_pages(uint32_t off, uint32_t len, uint32_t page_size)
{
	return ((uint64_t)off + len + page_size - 1) / page_size;
}

/*
 * List slots for nb_data page addresses. Every list page but the last
 * gives its last slot to the pointer at the next one, so it carries one
 * address less; the last list page may be filled completely, since a
 * chain pointer is only needed when more entries follow.
 */
static uint64_t
prp_slots(uint64_t nb_data, uint32_t page_size)
{
	uint64_t per_page = page_size / sizeof(uint64_t);
	uint64_t chains;

	if (nb_data <= per_page)
		return nb_data;
	chains = (nb_data - per_page + (per_page - 2)) / (per_page - 1);
	return nb_data + chains;
}

unsigned int
nvme_prp_list_entries(uint32_t off, uint32_t len, uint32_t page_size)
{
	uint64_t pages;

	if (len == 0 || !prp_page_size_ok(page_size))
		return 0;
	/* Only the offset inside the first page matters. */
	pages = prp_nb_pages(off & (page_size - 1), len, page_size);
	if (pages <= 2)
		return 0;
	/* At most 2^20 + 1 pages for a 32-bit len: fits an unsigned int. */
	return (unsigned int)prp_slots(pages - 1, page_size);
}

int
nvme_prp_build(uint64_t addr, uint32_t len, uint32_t page_size,
		uint64_t *list, unsigned int list_cap, uint64_t list_bus,
		struct nvme_prp *out)
{
	uint64_t mask, first, pages, nb_data, slots, per_page, i, s;

	if (out == NULL || len == 0 || !prp_page_size_ok(page_size) ||
			(addr & 3) != 0 || addr > UINT64_MAX - len)
		return -EINVAL;

	mask = (uint64_t)page_size - 1;
	first = addr & ~mask;
	pages = prp_nb_pages((uint32_t)(addr & mask), len, page_size);

	if (pages == 1) {
		out->prp1 = addr;
		out->prp2 = 0;
		out->nb_list = 0;
		return 0;
	}
	if (pages == 2) {
		out->prp1 = addr;
		out->prp2 = first + page_size;
		out->nb_list = 0;
		return 0;
	}

	nb_data = pages - 1;
	slots = prp_slots(nb_data, page_size);
	per_page = page_size / sizeof(uint64_t);
	if (list == NULL || (list_bus & mask) != 0)
		return -EINVAL;
	/* The last list page must have a bus address too. */
	if ((slots - 1) / per_page > (UINT64_MAX - list_bus) / page_size)
		return -EINVAL;
	/* Check before writing, so a failure leaves list[] untouched. */
	if (slots > list_cap)
		return -ENOSPC;

	for (i = 0, s = 0; i < nb_data; i++, s++) {
		/*
		 * The last slot of a list page takes a data page only when
		 * that is the final entry; otherwise it links the next page.
		 */
		if (s % per_page == per_page - 1 && nb_data - i > 1) {
			list[s] = list_bus + (s / per_page + 1) * page_size;
			s++;
		}
		list[s] = first + (i + 1) * page_size;
	}

	out->prp1 = addr;
	out->prp2 = list_bus;
	out->nb_list = (unsigned int)slots;
	return 0;
}
