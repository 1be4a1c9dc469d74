/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the NVMe CMB driver's PRP builder
 * (drivers/raw/nvme_cmb/nvme_cmb_prp.c, compiled in on its own).
 *
 * Every successful build is read back by walk(), which follows PRP1,
 * PRP2, the list and its chain pointers the way a controller does and
 * rebuilds the byte ranges they describe: checking those against
 * [addr, addr + len) tests what the controller would actually transfer,
 * not just the entry values the builder happens to produce.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvme_cmb_prp.h"
#include "test_nvme_cmb_check.h"


/* What a list slot holds before the build: never a valid entry here. */
#define POISON 0xdeadbeefdeadbee0ull

/* The list memory: large enough for 3 chained list pages of 8 KiB. */
#define LIST_CAP (3 * 8192 / 8)
static uint64_t list_mem[LIST_CAP];
#define LIST_BUS 0x7f0000000ull	/* where list_mem is, for the controller */

static void
poison_list(void)
{
	unsigned int i;

	for (i = 0; i < LIST_CAP; i++)
		list_mem[i] = POISON;
}

/*
 * Follow the PRPs as a controller would for a transfer of len bytes, and
 * check that the pages they name are the pages of [addr, addr + len) in
 * order, each contiguous with the one before. Also checks PRP2 = 0 for
 * one page, the chain pointers' values, that every list slot read is one
 * the builder reported (nb_list), and that all of them were read.
 * Returns NULL when all is well, else what went wrong (into why).
 */
static const char *
walk(uint64_t addr, uint32_t len, uint32_t ps, uint64_t list_bus,
		const struct nvme_prp *p, char *why, size_t whylen)
{
	uint64_t mask = ps - 1;
	uint64_t expect = addr;		/* next byte the PRPs must describe */
	uint64_t remaining = len;
	uint64_t first_len, bus, entry, seg;
	unsigned int slots_read = 0, chains = 0;
	unsigned long idx;

	if (p->prp1 != addr) {
		snprintf(why, whylen, "prp1 %#" PRIx64 " != addr", p->prp1);
		return why;
	}
	first_len = ps - (addr & mask);
	if (first_len > remaining)
		first_len = remaining;
	expect += first_len;
	remaining -= first_len;

	if (remaining == 0) {
		if (p->prp2 != 0 || p->nb_list != 0) {
			snprintf(why, whylen, "one page but prp2 %#" PRIx64
				" nb_list %u", p->prp2, p->nb_list);
			return why;
		}
		return NULL;
	}
	if (remaining <= ps) {
		/* PRP2 is the second data page itself. */
		if (p->prp2 != expect || p->nb_list != 0) {
			snprintf(why, whylen, "two pages: prp2 %#" PRIx64
				" want %#" PRIx64 " nb_list %u",
				p->prp2, expect, p->nb_list);
			return why;
		}
		return NULL;
	}

	/* PRP2 points at a list: read it entry by entry. */
	bus = p->prp2;
	if (bus != list_bus) {
		snprintf(why, whylen, "prp2 %#" PRIx64 " is not the list",
			bus);
		return why;
	}
	while (remaining > 0) {
		if ((bus & 7) != 0 || bus < list_bus ||
				(bus - list_bus) / 8 >= LIST_CAP) {
			snprintf(why, whylen, "list read at %#" PRIx64
				" outside the list memory", bus);
			return why;
		}
		idx = (unsigned long)((bus - list_bus) / 8);
		if (idx >= p->nb_list) {
			snprintf(why, whylen, "slot %lu read, nb_list %u",
				idx, p->nb_list);
			return why;
		}
		entry = list_mem[idx];
		slots_read++;
		/*
		 * The last qword of a list page is a chain pointer when more
		 * than one page of data is left to describe.
		 */
		if (((bus + 8) & mask) == 0 && remaining > ps) {
			chains++;
			if (entry != list_bus + (uint64_t)chains * ps) {
				snprintf(why, whylen, "chain %u at slot %lu is %#"
					PRIx64 ", want %#" PRIx64, chains, idx,
					entry, list_bus + (uint64_t)chains * ps);
				return why;
			}
			bus = entry;
			continue;
		}
		if ((entry & mask) != 0 || entry != expect) {
			snprintf(why, whylen, "slot %lu is %#" PRIx64
				", want page %#" PRIx64, idx, entry, expect);
			return why;
		}
		seg = remaining < ps ? remaining : ps;
		expect += seg;
		remaining -= seg;
		bus += 8;
	}
	if (expect != addr + len) {
		snprintf(why, whylen, "described up to %#" PRIx64 ", want %#"
			PRIx64, expect, addr + len);
		return why;
	}
	if (slots_read != p->nb_list) {
		snprintf(why, whylen, "read %u slots, nb_list %u",
			slots_read, p->nb_list);
		return why;
	}
	/* Nothing past the reported entries may have been written. */
	if (p->nb_list < LIST_CAP && list_mem[p->nb_list] != POISON) {
		snprintf(why, whylen, "slot %u written past nb_list",
			p->nb_list);
		return why;
	}
	return NULL;
}

/* Build and walk; one check. Returns nb_list, or -1. */
static int
build_ok(const char *what, uint64_t addr, uint32_t len, uint32_t ps,
		unsigned int want_list)
{
	struct nvme_prp p;
	char why[160];
	const char *bad;
	int ret;

	poison_list();
	memset(&p, 0xa5, sizeof(p));
	ret = nvme_prp_build(addr, len, ps, list_mem, LIST_CAP, LIST_BUS, &p);
	if (ret != 0) {
		CHECK(false, "%s: build returned %d", what, ret);
		return -1;
	}
	bad = walk(addr, len, ps, LIST_BUS, &p, why, sizeof(why));
	CHECK(bad == NULL && p.nb_list == want_list &&
		nvme_prp_list_entries((uint32_t)(addr & (ps - 1)), len, ps) ==
			want_list,
		"%s: addr %#" PRIx64 " len %u page %u -> prp2 %#" PRIx64
		" nb_list %u (want %u)%s%s", what, addr, len, ps, p.prp2,
		p.nb_list, want_list, bad ? ": " : "", bad ? bad : "");
	return bad == NULL ? (int)p.nb_list : -1;
}

static void
test_small(void)
{
	const uint64_t base = 0x100000000ull;	/* above 4 GiB on purpose */
	static const uint32_t offs[] = { 4, 508, 4092 };
	unsigned int i;
	char what[64];

	build_ok("one byte", base, 1, 4096, 0);
	build_ok("one page exactly", base, 4096, 4096, 0);
	build_ok("page + 1", base, 4097, 4096, 0);
	build_ok("two pages exactly", base, 8192, 4096, 0);
	build_ok("two pages + 1", base, 8193, 4096, 2);
	build_ok("three pages exactly", base, 3 * 4096, 4096, 2);
	build_ok("len 13", base, 13, 4096, 0);
	build_ok("len 8191", base, 8191, 4096, 0);
	build_ok("len 12289", base, 12289, 4096, 3);

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint32_t off = offs[i], in_first = 4096 - off;

		snprintf(what, sizeof(what), "off %u, 1 page", off);
		build_ok(what, base + off, in_first, 4096, 0);
		snprintf(what, sizeof(what), "off %u, 2 pages", off);
		build_ok(what, base + off, in_first + 1, 4096, 0);
		build_ok(what, base + off, in_first + 4096, 4096, 0);
		snprintf(what, sizeof(what), "off %u, 3 pages", off);
		build_ok(what, base + off, in_first + 4097, 4096, 2);
		build_ok(what, base + off, in_first + 8192, 4096, 2);
		snprintf(what, sizeof(what), "off %u, len 13", off);
		build_ok(what, base + off, 13, 4096, 0);
		/* Any nonzero offset pushes 8191 bytes into a third page. */
		snprintf(what, sizeof(what), "off %u, len 8191", off);
		build_ok(what, base + off, 8191, 4096, 2);
	}

	/* 8 KiB pages: the same shapes at twice the size. */
	build_ok("8k: one page", base, 8192, 8192, 0);
	build_ok("8k: off 4092 len 8192", base + 4092, 8192, 8192, 0);
	build_ok("8k: off 8188 len 8", base + 8188, 8, 8192, 0);
	build_ok("8k: off 8188 len 8197", base + 8188, 8197, 8192, 2);
	build_ok("8k: 3 pages", base, 3 * 8192, 8192, 2);
	build_ok("8k: len 16385", base, 16385, 8192, 2);
	build_ok("64k page: 3 pages", base, 3 * 65536, 65536, 2);
}

/* Values read straight from the list, besides the walk. */
static void
test_list_layout(uint32_t ps)
{
	const unsigned int epp = ps / 8;	/* entries per list page */
	const uint64_t base = 0x20000000ull;
	char what[96];
	uint32_t len;
	int ret;

	/* epp data pages after the first: the list page exactly full. */
	len = (epp + 1) * ps;
	snprintf(what, sizeof(what), "%u: list page exactly full", ps);
	ret = build_ok(what, base, len, ps, epp);
	CHECK(ret == (int)epp && list_mem[epp - 1] == base + epp * ps,
		"%u: full list page ends with a data page, not a chain "
		"(slot %u = %#" PRIx64 ")", ps, epp - 1, list_mem[epp - 1]);

	/* Same page count with an offset: one more page to describe. */
	snprintf(what, sizeof(what), "%u: off 4, one entry past a list page",
		ps);
	ret = build_ok(what, base + 4, len, ps, epp + 2);
	CHECK(ret == (int)epp + 2 &&
		list_mem[epp - 2] == base + (epp - 1) * ps &&
		list_mem[epp - 1] == LIST_BUS + ps &&
		list_mem[epp] == base + epp * ps &&
		list_mem[epp + 1] == base + (epp + 1) * ps,
		"%u: chain slot %u -> %#" PRIx64 ", continuation %#" PRIx64
		" %#" PRIx64, ps, epp - 1, list_mem[epp - 1], list_mem[epp],
		list_mem[epp + 1]);

	/*
	 * One data page more than a list page holds, page aligned: the
	 * chain takes the last slot, so two data entries follow it.
	 */
	len = (epp + 2) * ps;
	snprintf(what, sizeof(what), "%u: one data entry past a list page",
		ps);
	ret = build_ok(what, base, len, ps, epp + 2);
	CHECK(ret == (int)epp + 2 && list_mem[epp - 1] == LIST_BUS + ps &&
		list_mem[epp - 2] == base + (epp - 1) * ps &&
		list_mem[epp] == base + epp * ps &&
		list_mem[epp + 1] == base + (epp + 1) * ps,
		"%u: chain at slot %u = %#" PRIx64 ", then %#" PRIx64 " %#"
		PRIx64, ps, epp - 1, list_mem[epp - 1], list_mem[epp],
		list_mem[epp + 1]);

	/* The second list page full too: still only one chain pointer. */
	len = (2 * epp - 1 + 1) * ps;
	snprintf(what, sizeof(what), "%u: two list pages, second full", ps);
	ret = build_ok(what, base, len, ps, 2 * epp);
	CHECK(ret == (int)(2 * epp) &&
		list_mem[2 * epp - 1] == base + (2 * epp - 1) * ps,
		"%u: second list page ends with data (%#" PRIx64 ")", ps,
		list_mem[2 * epp - 1]);

	/* One more: a second chain pointer, into the third list page. */
	len = (2 * epp + 1) * ps;
	snprintf(what, sizeof(what), "%u: three list pages", ps);
	ret = build_ok(what, base, len, ps, 2 * epp + 2);
	CHECK(ret == (int)(2 * epp + 2) &&
		list_mem[2 * epp - 1] == LIST_BUS + 2 * (uint64_t)ps &&
		list_mem[2 * epp] == base + (2 * epp - 1) * (uint64_t)ps,
		"%u: second chain %#" PRIx64 " then %#" PRIx64, ps,
		list_mem[2 * epp - 1], list_mem[2 * epp]);
}

static void
test_errors(void)
{
	const uint64_t base = 0x40000000ull;
	struct nvme_prp p, before;
	unsigned int need, i;
	bool untouched;
	int ret;

	memset(&before, 0x5a, sizeof(before));

	/* -ENOSPC: one slot short, with and without a chain. */
	need = nvme_prp_list_entries(0, 11 * 4096, 4096);
	CHECK(need == 10, "list_entries for 11 pages = %u", need);
	poison_list();
	p = before;
	ret = nvme_prp_build(base, 11 * 4096, 4096, list_mem, need - 1,
		LIST_BUS, &p);
	untouched = memcmp(&p, &before, sizeof(p)) == 0;
	for (i = 0; i < LIST_CAP; i++)
		untouched = untouched && list_mem[i] == POISON;
	CHECK(ret == -ENOSPC && untouched,
		"list_cap %u for %u entries: %d, out and list untouched: %d",
		need - 1, need, ret, untouched);
	ret = nvme_prp_build(base, 11 * 4096, 4096, list_mem, need,
		LIST_BUS, &p);
	CHECK(ret == 0 && p.nb_list == need, "list_cap exactly %u: %d",
		need, ret);

	need = nvme_prp_list_entries(0, 514 * 4096, 4096);
	CHECK(need == 514, "list_entries for 514 pages = %u (chain counted)",
		need);
	ret = nvme_prp_build(base, 514 * 4096, 4096, list_mem, 513,
		LIST_BUS, &p);
	CHECK(ret == -ENOSPC, "chain pointer counted against list_cap: %d",
		ret);
	ret = nvme_prp_build(base, 3 * 4096, 4096, list_mem, 0, LIST_BUS,
		&p);
	CHECK(ret == -ENOSPC, "list_cap 0 with a list needed: %d", ret);

	/* -EINVAL, each alone. */
	ret = nvme_prp_build(base, 0, 4096, list_mem, LIST_CAP, LIST_BUS, &p);
	CHECK(ret == -EINVAL, "len 0: %d", ret);
	ret = nvme_prp_build(base + 2, 16, 4096, list_mem, LIST_CAP, LIST_BUS,
		&p);
	CHECK(ret == -EINVAL, "addr %% 4 == 2: %d", ret);
	ret = nvme_prp_build(base + 1, 16, 4096, list_mem, LIST_CAP, LIST_BUS,
		&p);
	CHECK(ret == -EINVAL, "addr %% 4 == 1: %d", ret);
	ret = nvme_prp_build(base, 16, 1000, list_mem, LIST_CAP, LIST_BUS, &p);
	CHECK(ret == -EINVAL, "page_size 1000: %d", ret);
	ret = nvme_prp_build(base, 16, 2048, list_mem, LIST_CAP, LIST_BUS, &p);
	CHECK(ret == -EINVAL, "page_size 2048 (power of two, too small): %d",
		ret);
	ret = nvme_prp_build(base, 16, 12288, list_mem, LIST_CAP, LIST_BUS,
		&p);
	CHECK(ret == -EINVAL, "page_size 12288: %d", ret);
	ret = nvme_prp_build(base, 16, 0, list_mem, LIST_CAP, LIST_BUS, &p);
	CHECK(ret == -EINVAL, "page_size 0: %d", ret);
	ret = nvme_prp_build(base, 3 * 4096, 4096, list_mem, LIST_CAP,
		LIST_BUS + 8, &p);
	CHECK(ret == -EINVAL, "list_bus not page aligned: %d", ret);
	ret = nvme_prp_build(base, 3 * 8192, 8192, list_mem, LIST_CAP,
		LIST_BUS + 4096, &p);
	CHECK(ret == -EINVAL, "list_bus 4 KiB aligned, page 8 KiB: %d", ret);
	ret = nvme_prp_build(base, 3 * 4096, 4096, NULL, LIST_CAP, LIST_BUS,
		&p);
	CHECK(ret == -EINVAL, "list NULL with a list needed: %d", ret);
	ret = nvme_prp_build(base, 16, 4096, list_mem, LIST_CAP, LIST_BUS,
		NULL);
	CHECK(ret == -EINVAL, "out NULL: %d", ret);
	ret = nvme_prp_build(UINT64_MAX - 3, 4, 4096, list_mem, LIST_CAP,
		LIST_BUS, &p);
	CHECK(ret == -EINVAL, "addr + len wraps: %d", ret);
	ret = nvme_prp_build(0xfffffffffffff000ull, 0x3000, 4096, list_mem,
		LIST_CAP, LIST_BUS, &p);
	CHECK(ret == -EINVAL, "addr + len wraps, list needed: %d", ret);

	/* What a list-less transfer does not need is not checked. */
	ret = nvme_prp_build(UINT64_MAX - 3, 3, 4096, list_mem, LIST_CAP,
		LIST_BUS, &p);
	CHECK(ret == 0 && p.prp1 == UINT64_MAX - 3 && p.prp2 == 0,
		"last bytes of the address space, no wrap: %d", ret);
	ret = nvme_prp_build(base, 8192, 4096, NULL, 0, LIST_BUS + 8, &p);
	CHECK(ret == 0 && p.prp2 == base + 4096 && p.nb_list == 0,
		"two pages need no list, so no list checks: %d", ret);
	ret = nvme_prp_build(base, 16, 65536, NULL, 0, 0, &p);
	CHECK(ret == 0 && p.prp2 == 0, "64 KiB page: %d", ret);
}

/*
 * nvme_prp_list_entries() against the build, and the walk, over offsets
 * and lengths around every page and list-page boundary.
 */
static void
test_matrix(uint32_t ps)
{
	const unsigned int epp = ps / 8;
	const uint32_t offs[] = { 0, 4, 8, 12, 508, ps / 2, ps - 8, ps - 4 };
	const int deltas[] = { -4, -1, 0, 1, 4 };
	unsigned int combos = 0, bad = 0, oi, di, pages;
	/* Past three list pages: two chain pointers. */
	const unsigned int max_pages = 2 * (epp - 1) + 4;
	char why[160];

	for (oi = 0; oi < sizeof(offs) / sizeof(offs[0]); oi++) {
		for (pages = 1; pages <= max_pages; pages++) {
			for (di = 0; di < sizeof(deltas) / sizeof(deltas[0]);
					di++) {
				uint64_t addr = 0x300000000ull + offs[oi];
				int64_t l = (int64_t)pages * ps - offs[oi] +
					deltas[di];
				uint32_t len;
				struct nvme_prp p = { 0, 0, 0 };
				unsigned int want;
				const char *w;
				int ret;

				if (l <= 0)
					continue;
				len = (uint32_t)l;
				want = nvme_prp_list_entries(offs[oi], len, ps);
				poison_list();
				ret = nvme_prp_build(addr, len, ps, list_mem,
					LIST_CAP, LIST_BUS, &p);
				w = ret == 0 ? walk(addr, len, ps, LIST_BUS, &p,
					why, sizeof(why)) : "build failed";
				combos++;
				if (ret == 0 && w == NULL && p.nb_list == want)
					continue;
				if (++bad <= 10)
					printf("FAIL: page %u off %u len %u: ret %d "
						"nb_list %u list_entries %u %s\n",
						ps, offs[oi], len, ret, p.nb_list,
						want, w ? w : "");
			}
		}
	}
	CHECK(bad == 0 && combos > 1000,
		"page %u: list_entries == nb_list and the walk covers "
		"[addr, addr+len) for %u (off, len), %u bad", ps, combos, bad);
}

static void
test_list_entries(void)
{
	/* Straight values, by hand. */
	CHECK(nvme_prp_list_entries(0, 1, 4096) == 0, "entries: 1 byte");
	CHECK(nvme_prp_list_entries(0, 8192, 4096) == 0, "entries: 2 pages");
	CHECK(nvme_prp_list_entries(4, 8192, 4096) == 2,
		"entries: 2 pages at offset 4 touch 3");
	CHECK(nvme_prp_list_entries(0, 513 * 4096, 4096) == 512,
		"entries: 513 pages fill one list page");
	CHECK(nvme_prp_list_entries(0, 514 * 4096, 4096) == 514,
		"entries: 514 pages need a chain");
	CHECK(nvme_prp_list_entries(0, 1024 * 4096, 4096) == 1024,
		"entries: 1024 pages: 511 + chain + 512");
	CHECK(nvme_prp_list_entries(0, 1025 * 4096, 4096) == 1026,
		"entries: 1025 pages: two chains");
	/* 2^20 pages: 2^20 - 1 entries, 511 per list page but the last. */
	CHECK(nvme_prp_list_entries(0, UINT32_MAX, 4096) == 1048575 + 2052,
		"entries: 4 GiB - 1 (%u)",
		nvme_prp_list_entries(0, UINT32_MAX, 4096));
	CHECK(nvme_prp_list_entries(0, 0, 4096) == 0, "entries: len 0");
	CHECK(nvme_prp_list_entries(0, 3 * 4096, 1000) == 0,
		"entries: bad page size");
}

int
main(void)
{
	test_small();
	test_list_layout(4096);
	test_list_layout(8192);
	test_errors();
	test_list_entries();
	test_matrix(4096);
	test_matrix(8192);
	return check_summary();
}
