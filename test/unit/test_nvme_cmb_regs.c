/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the NVMe CMB driver's register decoding
 * (drivers/raw/nvme_cmb/nvme_cmb_regs.h) and queue ring arithmetic
 * (nvme_cmb_ring.h). The expected values are worked out by hand from the
 * field positions in the NVMe base specification, not from the headers,
 * so a wrong shift or mask there shows up here.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nvme_cmb_regs.h"
#include "nvme_cmb_ring.h"
#include "test_nvme_cmb_check.h"


static void
test_cap(void)
{
	/*
	 * CAP as QEMU's emulated NVMe controller reports it with a CMB:
	 * MQES 0x7ff (15:0), CQR (16), TO 0xf (31:24), DSTRD 0 (35:32),
	 * CSS bit 37 (NVM), MPSMIN 0 (51:48), MPSMAX 4 (55:52), CMBS (57).
	 * Low dword 0x0f0107ff; high dword 0x20 | 0x4 << 20 | 0x1 << 25.
	 */
	const uint64_t qemu = 0x024000200f0107ffull;
	struct nvme_cap c = nvme_cap_decode(qemu);

	CHECK(c.mqes == 2048, "qemu CAP: MQES 0x7ff -> %u entries", c.mqes);
	CHECK(c.cqr, "qemu CAP: CQR");
	CHECK(c.timeout_ms == 7500, "qemu CAP: TO 15 -> %u ms", c.timeout_ms);
	CHECK(c.dstrd == 4, "qemu CAP: DSTRD 0 -> %u bytes", c.dstrd);
	CHECK(c.css_nvm, "qemu CAP: CSS NVM (bit 37)");
	CHECK(c.mpsmin == 4096, "qemu CAP: MPSMIN 0 -> %u", c.mpsmin);
	CHECK(c.mpsmax == 65536, "qemu CAP: MPSMAX 4 -> %u", c.mpsmax);
	CHECK(c.cmbs, "qemu CAP: CMBS (bit 57)");

	/*
	 * Neighbours of every field set, the fields themselves clear or at
	 * other values: MQES 0xffff, AMS (18:17) set, TO 0, DSTRD 2,
	 * NSSRS (36) set, CSS bit 44 (no NVM), BPS (45), MPSMIN 1, MPSMAX 0,
	 * PMRS (56) set, CMBS clear.
	 */
	c = nvme_cap_decode(0x010130120006ffffull);
	CHECK(c.mqes == 65536, "CAP: MQES 0xffff -> %u", c.mqes);
	CHECK(!c.cqr, "CAP: AMS bits are not CQR");
	CHECK(c.timeout_ms == 0, "CAP: TO 0 -> %u", c.timeout_ms);
	CHECK(c.dstrd == 16, "CAP: DSTRD 2 -> %u bytes", c.dstrd);
	CHECK(!c.css_nvm, "CAP: NSSRS and CSS bit 44 are not CSS NVM");
	CHECK(c.mpsmin == 8192, "CAP: MPSMIN 1 -> %u", c.mpsmin);
	CHECK(c.mpsmax == 4096, "CAP: MPSMAX 0 -> %u", c.mpsmax);
	CHECK(!c.cmbs, "CAP: PMRS is not CMBS");

	c = nvme_cap_decode(0xff000000ull);
	CHECK(c.timeout_ms == 255 * 500 && c.mqes == 1,
		"CAP: TO 255 -> %u ms, MQES 0 -> %u", c.timeout_ms, c.mqes);
	c = nvme_cap_decode(0x0000000f00000000ull);
	CHECK(c.dstrd == 4u << 15, "CAP: DSTRD 15 -> %u bytes", c.dstrd);
	/* All four bits of each page size field: MPSMIN 8, MPSMAX 15. */
	c = nvme_cap_decode(0x00f8000000000000ull);
	CHECK(c.mpsmin == 1u << 20 && c.mpsmax == 1u << 27,
		"CAP: MPSMIN 8 -> %u, MPSMAX 15 -> %u", c.mpsmin, c.mpsmax);
}

static void
test_vs(void)
{
	CHECK(nvme_vs_major(0x00010400) == 1 && nvme_vs_minor(0x00010400) == 4,
		"VS 0x00010400 -> 1.4");
	CHECK(nvme_vs_major(0x00020000) == 2 && nvme_vs_minor(0x00020000) == 0,
		"VS 0x00020000 -> 2.0");
	CHECK(nvme_vs_major(0x000103ff) == 1 && nvme_vs_minor(0x000103ff) == 3,
		"VS 0x000103ff -> 1.3, tertiary ignored (%u.%u)",
		nvme_vs_major(0x000103ff), nvme_vs_minor(0x000103ff));
}

static void
test_cmb(void)
{
	/* SZ 64 (31:12), SZU 2 (11:8), WDS|RDS|LISTS|SQS (4,3,2,0). */
	const uint32_t sz = 0x0004021d;
	struct nvme_cmb_geom g;
	unsigned int bit;

	CHECK(nvme_cmbsz_unit(sz) == 1ull << 20, "CMBSZ SZU 2 -> 1 MiB");
	g = nvme_cmb_decode(0x2, sz);
	CHECK(g.size == 64ull << 20, "CMBSZ 64 x 1 MiB -> %" PRIu64, g.size);
	CHECK(g.bir == 2 && g.offset == 0, "CMBLOC BIR 2 OFST 0 -> bar %u off %"
		PRIu64, g.bir, g.offset);
	CHECK(g.sqs && !g.cqs && g.lists && g.rds && g.wds,
		"CMBSZ flags: sqs %d cqs %d lists %d rds %d wds %d",
		g.sqs, g.cqs, g.lists, g.rds, g.wds);

	/* OFST 3 units, and CMBLOC's flag bits (8:3) not taken as BIR. */
	g = nvme_cmb_decode(0x000031fa, sz);
	CHECK(g.bir == 2 && g.offset == 3ull << 20,
		"CMBLOC 0x31fa -> bar %u offset %#" PRIx64, g.bir, g.offset);
	g = nvme_cmb_decode(0xfffff004, sz);
	CHECK(g.bir == 4 && g.offset == 0xfffffull << 20,
		"CMBLOC OFST max -> bar %u offset %#" PRIx64, g.bir, g.offset);

	/* Every defined unit, then the reserved ones. */
	CHECK(nvme_cmbsz_unit(0x000) == 4096, "SZU 0 -> 4 KiB");
	CHECK(nvme_cmbsz_unit(0x100) == 64 << 10, "SZU 1 -> 64 KiB");
	CHECK(nvme_cmbsz_unit(0x300) == 16 << 20, "SZU 3 -> 16 MiB");
	CHECK(nvme_cmbsz_unit(0x400) == 256 << 20, "SZU 4 -> 256 MiB");
	CHECK(nvme_cmbsz_unit(0x500) == 4ull << 30, "SZU 5 -> 4 GiB");
	CHECK(nvme_cmbsz_unit(0x600) == 64ull << 30, "SZU 6 -> 64 GiB");
	CHECK(nvme_cmbsz_unit(0x700) == 0 && nvme_cmbsz_unit(0xf00) == 0,
		"SZU 7 and 15 are reserved -> 0");
	g = nvme_cmb_decode(0x00001002, 0x0004071d);
	CHECK(g.size == 0 && g.offset == 0,
		"reserved SZU -> size %" PRIu64 " offset %" PRIu64,
		g.size, g.offset);
	g = nvme_cmb_decode(0, 0xfffff600);
	CHECK(g.size == 0xfffffull << 36 && !g.sqs && !g.wds,
		"SZ max in 64 GiB units -> %#" PRIx64 ", no flags", g.size);
	g = nvme_cmb_decode(0, 0x00001002);
	CHECK(g.size == 4096 && g.cqs && !g.sqs && !g.lists,
		"CMBSZ CQS only, one 4 KiB unit");
	/* Each support bit alone: SQS 0, CQS 1, LISTS 2, RDS 3, WDS 4. */
	for (bit = 0; bit < 5; bit++) {
		g = nvme_cmb_decode(0, 0x00001000 | 1u << bit);
		CHECK(g.sqs == (bit == 0) && g.cqs == (bit == 1) &&
			g.lists == (bit == 2) && g.rds == (bit == 3) &&
			g.wds == (bit == 4),
			"CMBSZ bit %u alone: sqs %d cqs %d lists %d rds %d wds %d",
			bit, g.sqs, g.cqs, g.lists, g.rds, g.wds);
	}

	/* CMBMSC: CBA in 63:12, CMSE (1), CRE (0). */
	CHECK(nvme_cmbmsc_enable(0xfe000000ull) == 0xfe000003ull,
		"CMBMSC for 0xfe000000 -> %#" PRIx64,
		nvme_cmbmsc_enable(0xfe000000ull));
	CHECK(nvme_cmbmsc_enable(0x123456000ull) == 0x123456003ull,
		"CMBMSC above 4 GiB");
	CHECK(nvme_cmbmsc_enable(0x10000abcull) == 0x10000003ull,
		"CMBMSC drops an unaligned CBA's low bits");
}

static void
test_doorbells(void)
{
	uint32_t s4 = nvme_cap_decode(0).dstrd;
	uint32_t s16 = nvme_cap_decode(2ull << 32).dstrd;

	CHECK(nvme_sq_doorbell(0, s4) == 0x1000 &&
		nvme_cq_doorbell(0, s4) == 0x1004 &&
		nvme_sq_doorbell(1, s4) == 0x1008 &&
		nvme_cq_doorbell(1, s4) == 0x100c,
		"doorbells, DSTRD 0: %#x %#x %#x %#x",
		nvme_sq_doorbell(0, s4), nvme_cq_doorbell(0, s4),
		nvme_sq_doorbell(1, s4), nvme_cq_doorbell(1, s4));
	CHECK(s16 == 16 && nvme_sq_doorbell(0, s16) == 0x1000 &&
		nvme_cq_doorbell(0, s16) == 0x1010 &&
		nvme_sq_doorbell(1, s16) == 0x1020 &&
		nvme_cq_doorbell(1, s16) == 0x1030,
		"doorbells, DSTRD 2: %#x %#x %#x %#x",
		nvme_sq_doorbell(0, s16), nvme_cq_doorbell(0, s16),
		nvme_sq_doorbell(1, s16), nvme_cq_doorbell(1, s16));
	CHECK(nvme_sq_doorbell(5, s4) == 0x1028 &&
		nvme_cq_doorbell(5, s16) == 0x10b0,
		"doorbells, queue 5");
}

static void
test_cc(void)
{
	/* EN (0), MPS (10:7), IOSQES 6 (19:16), IOCQES 4 (23:20). */
	CHECK(nvme_cc_enable(4096) == 0x00460001, "CC for 4 KiB pages: %#x",
		nvme_cc_enable(4096));
	CHECK(nvme_cc_enable(8192) == 0x00460081, "CC for 8 KiB pages: %#x",
		nvme_cc_enable(8192));
	CHECK(nvme_cc_enable(65536) == 0x00460201, "CC for 64 KiB pages: %#x",
		nvme_cc_enable(65536));
	CHECK(nvme_log2(1) == 0 && nvme_log2(4096) == 12 &&
		nvme_log2(1ull << 40) == 40, "log2");
}

static void
test_ring_sq(void)
{
	struct nvme_ring r;
	uint16_t slot;
	bool ok = true;
	unsigned int i;

	nvme_ring_init(&r, 4);
	CHECK(r.tail == 0 && r.head == 0 && r.cq_head == 0 && r.phase == 1 &&
		nvme_ring_used(&r) == 0 && !nvme_ring_full(&r),
		"ring 4: starts empty, phase 1");

	/* Three usable slots of four: full with one free. */
	for (i = 0; i < 3; i++) {
		slot = nvme_ring_push(&r);
		ok = ok && slot == i && nvme_ring_used(&r) == i + 1 &&
			nvme_ring_full(&r) == (i == 2);
	}
	CHECK(ok && r.tail == 3, "ring 4: push 0, 1, 2; full after the third");

	/* The controller consumed two: head from the CQE's SQHD. */
	nvme_ring_cq_pop(&r, 2);
	CHECK(r.head == 2 && nvme_ring_used(&r) == 1 && !nvme_ring_full(&r),
		"ring 4: sqhd 2 -> head %u used %u", r.head,
		nvme_ring_used(&r));
	slot = nvme_ring_push(&r);
	CHECK(slot == 3 && r.tail == 0 && nvme_ring_used(&r) == 2,
		"ring 4: tail wraps to 0 after slot 3 (slot %u tail %u used %u)",
		slot, r.tail, nvme_ring_used(&r));
	slot = nvme_ring_push(&r);
	CHECK(slot == 0 && r.tail == 1 && nvme_ring_used(&r) == 3 &&
		nvme_ring_full(&r), "ring 4: full again across the wrap");

	/* tail behind head in index order. */
	nvme_ring_cq_pop(&r, 3);
	CHECK(r.head == 3 && nvme_ring_used(&r) == 2,
		"ring 4: tail 1 head 3 -> used %u", nvme_ring_used(&r));

	/* An SQHD past the ring is the controller's bug: ignore it. */
	nvme_ring_cq_pop(&r, 4);
	CHECK(r.head == 3, "ring 4: sqhd 4 ignored (head %u)", r.head);
	nvme_ring_cq_pop(&r, 0xffff);
	CHECK(r.head == 3, "ring 4: sqhd 0xffff ignored (head %u)", r.head);
	nvme_ring_cq_pop(&r, 1);
	CHECK(r.head == 1 && nvme_ring_used(&r) == 0 && !nvme_ring_full(&r),
		"ring 4: drained (head %u used %u)", r.head,
		nvme_ring_used(&r));
}

static void
test_ring_cq(void)
{
	struct nvme_ring r;
	unsigned int i, flips = 0, bad = 0;
	uint8_t before;

	nvme_ring_init(&r, 4);
	/* Three wraps: phase 1, 0, 1, then 0 after the last pop. */
	for (i = 0; i < 12; i++) {
		uint8_t want = (i / 4) % 2 == 0 ? 1 : 0;

		if (r.phase != want || r.cq_head != i % 4)
			bad++;
		before = r.phase;
		nvme_ring_cq_pop(&r, 0);
		if (r.phase != before) {
			flips++;
			/* Only when cq_head came back to 0. */
			if (r.cq_head != 0)
				bad++;
		} else if (r.cq_head == 0) {
			bad++;
		}
	}
	CHECK(bad == 0 && flips == 3 && r.phase == 0 && r.cq_head == 0,
		"cq: 12 pops over 4 entries flip the phase 3 times, at each wrap"
		" (flips %u bad %u)", flips, bad);

	nvme_ring_init(&r, 4);
	CHECK(nvme_ring_cqe_new(&r, 0x0001) && !nvme_ring_cqe_new(&r, 0x0000),
		"cqe_new, phase 1: status 1 new, 0 old");
	CHECK(nvme_ring_cqe_new(&r, 0x4003) && !nvme_ring_cqe_new(&r, 0xfffe),
		"cqe_new looks at bit 0 only");
	for (i = 0; i < 4; i++)
		nvme_ring_cq_pop(&r, 0);
	CHECK(r.phase == 0 && nvme_ring_cqe_new(&r, 0x0000) &&
		!nvme_ring_cqe_new(&r, 0x0001) && nvme_ring_cqe_new(&r, 0xfffe),
		"cqe_new, phase 0 after a wrap: the old phase is stale");
}

/*
 * A small controller model: it consumes the SQ in order and posts one
 * CQE per command with the phase it inverts at each wrap of its own; the
 * driver side uses only the ring helpers. Over many wraps of both, every
 * completion must be seen once, in order, and no stale entry taken.
 */
static void
test_ring_model(uint16_t size)
{
	struct nvme_ring r;
	uint16_t cq_status[64], cq_sqhd[64], cq_cid[64];
	uint16_t ctrl_sqhead = 0, ctrl_cqtail = 0, next_cid = 0, want_cid = 0;
	uint16_t cid_of_slot[64];
	uint8_t ctrl_phase = 1;
	unsigned int step, bad = 0, done = 0, i;

	for (i = 0; i < size; i++)
		cq_status[i] = 0;	/* phase 0: not new for phase 1 */
	nvme_ring_init(&r, size);
	for (step = 0; step < 40u * size; step++) {
		/* Submit as many as fit (never more than size: a bound). */
		for (i = 0; i < size && !nvme_ring_full(&r); i++)
			cid_of_slot[nvme_ring_push(&r)] = next_cid++;
		if (i == size)
			bad++;
		/* The controller completes up to 2 per step. */
		for (i = 0; i < 2 && ctrl_sqhead != r.tail; i++) {
			uint16_t next_tail = (uint16_t)((ctrl_cqtail + 1) % size);

			/* CQ full too: one slot stays free here as well. */
			if (next_tail == r.cq_head)
				break;
			cq_cid[ctrl_cqtail] = cid_of_slot[ctrl_sqhead];
			ctrl_sqhead = (uint16_t)((ctrl_sqhead + 1) % size);
			cq_sqhd[ctrl_cqtail] = ctrl_sqhead;
			cq_status[ctrl_cqtail] = ctrl_phase;
			ctrl_cqtail = next_tail;
			if (ctrl_cqtail == 0)
				ctrl_phase ^= 1;
		}
		/* The driver reaps what is new. */
		while (nvme_ring_cqe_new(&r, cq_status[r.cq_head])) {
			if (cq_cid[r.cq_head] != want_cid)
				bad++;
			want_cid++;
			done++;
			nvme_ring_cq_pop(&r, cq_sqhd[r.cq_head]);
			if (done > 40u * size * 2)
				break;	/* stale entries taken forever */
		}
	}
	CHECK(bad == 0 && done > 30u * size,
		"ring model, size %u: %u completions in order, %u bad",
		size, done, bad);
}

int
main(void)
{
	test_cap();
	test_vs();
	test_cmb();
	test_doorbells();
	test_cc();
	test_ring_sq();
	test_ring_cq();
	test_ring_model(2);
	test_ring_model(4);
	test_ring_model(7);
	test_ring_model(64);
	return check_summary();
}
