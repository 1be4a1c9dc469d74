/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nvme_cmb_check: a DPDK program for the guest rig that lets EAL probe
 * the NVMe with our nvme_cmb PMD and checks it through the rawdev API
 * only, as an application would. Built twice: nvme_cmb_check, static with
 * the PMD linked in, and nvme_cmb_check_shared, linked to DPDK's shared
 * libraries, which finds the PMD where an installed one lives (EAL's
 * default PMD directory) or through -d.
 *
 *   nvme_cmb_check [EAL args] -- [options]
 *     --expect-cmb ATTR      the CMB BAR as the PMD reports it: wc, uc, none
 *     --expect-legacy 0|1    the CMB scheme found (1: pre-1.4 CMBLOC/CMBSZ)
 *     --expect-pat T         x86: PAT type of the CMB BAR (write-combining,
 *                            uncached-minus), read while it is mapped
 *     --expect-no-dev        EAL init succeeds and no nvme_cmb rawdev exists
 *     --selftest             rte_rawdev_selftest() must pass
 *     --pattern SEED[,MAX]   write the seeded pattern (rig_pattern.h) for a
 *                            device that takes ops of MAX blocks (default
 *                            1024), read it back through the PMD and compare;
 *                            one placement after another (each the CMB
 *                            allows); with data=host each op also goes
 *                            straight from/to rte_malloc memory (the
 *                            bounce_bytes xstat must not move) and through
 *                            malloc'd memory (it must grow by the op's bytes)
 *     --loop SECONDS         write and read back RIG_PATTERN_LOOP_BLOCKS in a
 *                            loop, printing "loop: N ops ok" every 0.5 s;
 *                            fails on any failed op or a wait of more than
 *                            2 s for a completion
 *     --secondary BDF        run as a DPDK secondary process: the PMD leaves
 *                            the device to the primary, so there is no
 *                            nvme_cmb device for BDF (-ENODEV); nothing else
 *                            (nvme_cmb_check only: the shared build has no
 *                            link to the PMD's own functions)
 *     --bad-ops              ops past the namespace and with bad fields are
 *                            rejected before submission; the device goes on
 *     --timeout-op           the controller is disabled behind the PMD's back
 *                            (CC.EN = 0 through BAR0), so a write is never
 *                            completed: it must come back as timed out, in
 *                            about the device's timeout_ms, and close works
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_rawdev.h>
#include <bus_pci_driver.h>

#include "rig_guest.h"
#include "rig_pattern.h"
#include "rte_pmd_nvme_cmb.h"

/* Until the PMD's header names the counter, its name as the PMD gives it. */
#ifndef RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES
#define RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES "bounce_bytes"
#endif

/* --loop: the longest the device may go without completing an op. */
#define LOOP_MAX_GAP_MS 2000

static const char *
xstat_name(unsigned int i, struct rte_rawdev_xstats_name *names)
{
	return names[i].name;
}

static void
print_xstats(uint16_t id)
{
	struct rte_rawdev_xstats_name names[64];
	unsigned int ids[64];
	uint64_t vals[64];
	int n, i;

	n = rte_rawdev_xstats_names_get(id, names, RTE_DIM(names));
	if (n <= 0 || n > (int)RTE_DIM(names))
		return;
	for (i = 0; i < n; i++)
		ids[i] = i;
	if (rte_rawdev_xstats_get(id, ids, vals, n) != n)
		return;
	for (i = 0; i < n; i++)
		printf("xstat %s=%" PRIu64 "\n", xstat_name(i, names), vals[i]);
}

/* The id of the xstat called name, as an application finds it; -1 if none. */
static int
xstat_id(uint16_t id, const char *name)
{
	struct rte_rawdev_xstats_name names[64];
	int n, i;

	n = rte_rawdev_xstats_names_get(id, names, RTE_DIM(names));
	for (i = 0; i < n && i < (int)RTE_DIM(names); i++)
		if (strcmp(names[i].name, name) == 0)
			return i;
	return -1;
}

static uint64_t
xstat_get(uint16_t id, int xid)
{
	unsigned int ids = (unsigned int)xid;
	uint64_t v = 0;

	if (xid < 0 || rte_rawdev_xstats_get(id, &ids, &v, 1) != 1)
		return 0;
	return v;
}

/* One op through the rawdev API: enqueue, poll until it comes back. */
static int
run_op(uint16_t id, struct rte_pmd_nvme_cmb_op *op)
{
	struct rte_rawdev_buf buf = { .buf_addr = op };
	struct rte_rawdev_buf *in = &buf, *out = NULL;
	int ret;

	ret = rte_rawdev_enqueue_buffers(id, &in, 1, NULL);
	if (ret != 1)
		return ret < 0 ? ret : -EBUSY;
	/* The PMD hands every op back by its timeout at the latest. */
	while ((ret = rte_rawdev_dequeue_buffers(id, &out, 1, NULL)) == 0)
		;
	if (ret < 0)
		return ret;
	return out->buf_addr == op ? op->result : -EIO;
}

static int
configure(uint16_t id, enum rte_pmd_nvme_cmb_place sq, enum rte_pmd_nvme_cmb_place data,
		const struct rte_pmd_nvme_cmb_conf *base)
{
	struct rte_pmd_nvme_cmb_conf conf = *base;
	struct rte_rawdev_info info = { .dev_private = &conf };
	int ret;

	conf.sq = sq;
	conf.data = data;
	rte_rawdev_stop(id);
	ret = rte_rawdev_configure(id, &info, sizeof(conf));
	if (ret == 0)
		ret = rte_rawdev_start(id);
	return ret;
}

/*
 * The pattern's buffers, each big enough for its largest op at any page
 * offset. The PMD DMAs straight from/to DPDK memory (rte_malloc) when it
 * can; ordinary memory it must copy through a buffer of its own.
 */
struct pattern_run {
	uint16_t id;
	int bounce_xid;		/* the bounce_bytes xstat, -1 if the PMD has none */
	uint32_t lba_size;
	uint8_t *want;		/* an op's blocks as the disk must hold them */
	uint8_t *dpdk;		/* rte_malloc'd, page-aligned */
	uint8_t *plain;		/* malloc'd */
	size_t size;
	/* transfers whose bounce_bytes change was right, of all of that kind */
	unsigned int zc_ok, zc_n, bounce_ok, bounce_n, cmb_ok, cmb_n;
	uint32_t zc_max;	/* the largest transfer that went straight through */
	char notes[512];	/* the op's transfers, for its line */
};

enum pattern_mem { MEM_PLAIN, MEM_DPDK };

/*
 * One transfer of pattern op p: a write of len bytes of want, or a read of
 * all its blocks, from/to memory of kind mem with its data off bytes into
 * a page (DPDK memory: at that offset of the page-aligned buffer, which is
 * where a zero-copy op's data is; ordinary memory: the PMD's own buffer
 * takes page_offset). Reads are compared with want. What bounce_bytes did
 * is checked against what the op must have done: with data in the CMB the
 * PMD copies into the CMB, never through a host buffer (+0); with data in
 * host memory an op from/to DPDK memory of whole blocks goes straight
 * through (+0), any other is copied (+len; a short write may count its
 * zeroed tail too, so up to the blocks' bytes).
 */
static int
pattern_xfer(struct pattern_run *r, unsigned int i, const struct rig_pattern_op *p,
		uint8_t opcode, uint32_t len, enum pattern_mem mem, uint16_t off,
		int data_host, struct rte_pmd_nvme_cmb_op *op)
{
	uint32_t blocks = p->nb_lbas * r->lba_size;
	uint8_t *buf = mem == MEM_DPDK ? r->dpdk + off : r->plain;
	uint64_t before, moved, lo, hi;
	size_t bad, used;
	const char *what;
	int ret;

	if (opcode == RTE_PMD_NVME_CMB_OP_WRITE)
		memcpy(buf, r->want, len);
	else
		memset(buf, 0x5a, blocks);
	memset(op, 0, sizeof(*op));
	op->opcode = opcode;
	op->lba = p->lba;
	op->nb_lbas = p->nb_lbas;
	op->len = len;
	op->page_offset = off;
	op->buf = buf;
	before = xstat_get(r->id, r->bounce_xid);
	ret = run_op(r->id, op);
	moved = xstat_get(r->id, r->bounce_xid) - before;
	what = opcode == RTE_PMD_NVME_CMB_OP_WRITE ?
		(mem == MEM_DPDK ? "write from rte_malloc" : "write from malloc") :
		(mem == MEM_DPDK ? "read into rte_malloc" : "read into malloc");
	used = strlen(r->notes);
	snprintf(r->notes + used, sizeof(r->notes) - used, "%s%s %u B +%" PRIu64,
		 used ? ", " : "", what, len, moved);
	if (ret != 0) {
		rig_check(0, "pattern op %u: %s, %u bytes: %s (status 0x%x)", i, what, len,
			  strerror(-ret), op->status);
		return ret;
	}
	if (opcode == RTE_PMD_NVME_CMB_OP_READ) {
		for (bad = 0; bad < blocks; bad++)
			if (buf[bad] != r->want[bad])
				break;
		if (bad != blocks) {
			rig_check(0, "pattern op %u: %s: byte %zu is 0x%02x, expected 0x%02x",
				  i, what, bad, buf[bad], r->want[bad]);
			return -EIO;
		}
	}
	/* Without the counter there is nothing to check: the summary fails. */
	if (r->bounce_xid < 0)
		return 0;
	if (!data_host) {
		lo = hi = 0;
		r->cmb_n++;
	} else if (mem == MEM_DPDK && len == blocks) {
		lo = hi = 0;
		r->zc_n++;
	} else {
		lo = len;
		hi = blocks;
		r->bounce_n++;
	}
	if (moved < lo || moved > hi) {
		rig_check(0, "pattern op %u: %s, %u bytes (data=%s): bounce_bytes grew by %" PRIu64 ", expected %" PRIu64 "%s%s",
			  i, what, len, data_host ? "host" : "cmb", moved, lo,
			  hi != lo ? " up to " : "", hi != lo ? "the blocks' bytes" : "");
		return -EIO;
	}
	if (!data_host)
		r->cmb_ok++;
	else if (lo == 0) {
		r->zc_ok++;
		if (len > r->zc_max)
			r->zc_max = len;
	} else
		r->bounce_ok++;
	return 0;
}

/*
 * The transfers of one op. With data in host memory, each way the PMD
 * can take: the op's blocks straight from and back into DPDK memory, each
 * checked by a read the other way (through malloc'd memory, so copied);
 * the op's own length from malloc'd memory; and, when that is short of a
 * whole block, from DPDK memory too, which the PMD must copy as well. The
 * disk ends with the same bytes whichever wrote last: the pattern's data,
 * zeroes to the end of its last block. With data in the CMB: a write and
 * a read, from/to DPDK memory and malloc'd memory in turn.
 */
static int
pattern_one(struct pattern_run *r, unsigned int i, const struct rig_pattern_op *p,
		int data_host, struct rte_pmd_nvme_cmb_op *first)
{
	uint32_t blocks = p->nb_lbas * r->lba_size;
	/* Reads land at another offset than the write came from. */
	uint16_t roff = (uint16_t)((p->page_offset + 2048) % 4096);
	struct rte_pmd_nvme_cmb_op op;
	int ret;

	if (!data_host) {
		enum pattern_mem w = i % 2 ? MEM_PLAIN : MEM_DPDK;

		ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_WRITE, p->len, w,
				   p->page_offset, 0, first);
		if (ret == 0)
			ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_READ, blocks,
					   w == MEM_DPDK ? MEM_PLAIN : MEM_DPDK, roff, 0, &op);
		return ret;
	}
	ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_WRITE, blocks, MEM_DPDK,
			   p->page_offset, 1, first);
	if (ret == 0)
		ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_READ, blocks, MEM_PLAIN, roff, 1, &op);
	if (ret == 0)
		ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_WRITE, p->len, MEM_PLAIN,
				   p->page_offset, 1, &op);
	if (ret == 0)
		ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_READ, blocks, MEM_DPDK, roff, 1, &op);
	if (ret == 0 && p->len != blocks) {
		ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_WRITE, p->len, MEM_DPDK,
				   p->page_offset, 1, &op);
		if (ret == 0)
			ret = pattern_xfer(r, i, p, RTE_PMD_NVME_CMB_OP_READ, blocks, MEM_PLAIN,
					   roff, 1, &op);
	}
	return ret;
}

/* The seeded pattern: write every op, read every op back, compare. */
static void
run_pattern(uint16_t id, const struct rte_pmd_nvme_cmb_info *ni, uint32_t seed,
		uint32_t max_blocks)
{
	unsigned int nb_ops = rig_pattern_nb_ops(max_blocks);
	struct pattern_run r = { .id = id, .lba_size = ni->lba_size };
	struct rte_pmd_nvme_cmb_op op;
	struct rig_pattern_op p;
	unsigned int i, nb_ok = 0, nb_host = 0, placement;
	enum rte_pmd_nvme_cmb_place sq, data;
	/* SQ/data placements in turn: what the CMB allows, host otherwise. */
	static const enum rte_pmd_nvme_cmb_place pl[3][2] = {
		{ RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_CMB },
		{ RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_HOST },
		{ RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_CMB },
	};
	int ret;

	rig_check(ni->lba_size == RIG_PATTERN_LBA_SIZE, "namespace blocks are %u bytes (pattern wants %u)",
		  ni->lba_size, RIG_PATTERN_LBA_SIZE);
	rig_check(ni->nb_lbas >= RIG_PATTERN_REGION_BLOCKS, "the namespace holds the pattern's %u blocks",
		  RIG_PATTERN_REGION_BLOCKS);
	/*
	 * The host expects every op the scenario's max_blocks allows: a device
	 * that takes less must fail here, not write a smaller pattern.
	 */
	rig_check(ni->max_xfer >= rig_pattern_max_bytes(max_blocks),
		  "the device takes ops of %u bytes, the pattern's largest (max %u blocks): %u ops",
		  ni->max_xfer, max_blocks, nb_ops);
	if (ni->lba_size != RIG_PATTERN_LBA_SIZE || ni->max_xfer < rig_pattern_max_bytes(max_blocks))
		return;
	r.bounce_xid = xstat_id(id, RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES);
	rig_check(r.bounce_xid >= 0, "the PMD counts %s", RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES);
	r.size = rig_pattern_max_bytes(max_blocks) + 4096;
	r.want = malloc(r.size);
	r.plain = malloc(r.size);
	r.dpdk = rte_malloc("rig_pattern", r.size, 4096);
	if (r.want == NULL || r.plain == NULL || r.dpdk == NULL) {
		rig_check(0, "pattern buffers of %zu bytes (rte_malloc: %p)", r.size, (void *)r.dpdk);
		goto out;
	}
	for (i = 0; i < nb_ops; i++) {
		placement = i % 3;
		rig_pattern_op(seed, i, &p);
		sq = ni->cmb_size != 0 ? pl[placement][0] : RTE_PMD_NVME_CMB_HOST;
		data = ni->cmb_size != 0 ? pl[placement][1] : RTE_PMD_NVME_CMB_HOST;
		ret = configure(id, sq, data, &ni->conf);
		if (ret != 0) {
			rig_check(0, "configure for op %u: %d", i, ret);
			continue;
		}
		memset(r.want, 0, (size_t)p.nb_lbas * ni->lba_size);
		rig_pattern_fill(seed, i, r.want, p.len);
		r.notes[0] = '\0';
		memset(&op, 0, sizeof(op));
		nb_host += data == RTE_PMD_NVME_CMB_HOST;
		ret = pattern_one(&r, i, &p, data == RTE_PMD_NVME_CMB_HOST, &op);
		printf("pattern op %u: write LBA %" PRIu64 " x %u, %u bytes at page offset %u, sq=%s data=%s: status 0x%x, %u MMIO stores; bounce_bytes: %s\n",
		       i, p.lba, p.nb_lbas, p.len, p.page_offset,
		       sq == RTE_PMD_NVME_CMB_CMB ? "cmb" : "host",
		       data == RTE_PMD_NVME_CMB_CMB ? "cmb" : "host",
		       op.status, op.mmio_stores, r.notes);
		nb_ok += ret == 0;
	}
	memset(&op, 0, sizeof(op));
	op.opcode = RTE_PMD_NVME_CMB_OP_FLUSH;
	rig_check(run_op(id, &op) == 0, "flush");
	printf("pattern seed %u, max %u blocks: %u ops of up to %u bytes; %u zero-copy transfers (largest %u bytes), %u copied through the PMD's host buffer, %u through the CMB\n",
	       seed, max_blocks, nb_ops, rig_pattern_max_bytes(max_blocks), r.zc_n, r.zc_max,
	       r.bounce_n, r.cmb_n);
	rig_check(nb_ok == nb_ops, "pattern seed %u: %u of %u ops written and read back byte-exact",
		  seed, nb_ok, nb_ops);
	if (nb_host != 0) {
		rig_check(r.zc_n != 0 && r.zc_ok == r.zc_n,
			  "zero copy: bounce_bytes did not move for %u of %u transfers of whole blocks from/to rte_malloc memory with data=host",
			  r.zc_ok, r.zc_n);
		rig_check(r.bounce_n != 0 && r.bounce_ok == r.bounce_n,
			  "bounce: bounce_bytes grew by the op's bytes for %u of %u transfers from/to malloc'd memory or short of a block",
			  r.bounce_ok, r.bounce_n);
	}
	if (r.cmb_n != 0)
		rig_check(r.cmb_ok == r.cmb_n,
			  "data=cmb: bounce_bytes did not move for %u of %u transfers", r.cmb_ok, r.cmb_n);
out:
	rte_free(r.dpdk);
	free(r.plain);
	free(r.want);
}

/*
 * --loop: the same blocks written and read back over and over, each round
 * with other data (a read that returned the last round's would fail), so
 * that a scenario can watch the device keep working while something else
 * happens beside it (a secondary process starting).
 */
static void
run_loop(uint16_t id, const struct rte_pmd_nvme_cmb_info *ni, unsigned int seconds)
{
	const uint32_t len = RIG_PATTERN_LOOP_BLOCKS * RIG_PATTERN_LBA_SIZE;
	static uint8_t wbuf[RIG_PATTERN_LOOP_BLOCKS * RIG_PATTERN_LBA_SIZE];
	static uint8_t rbuf[RIG_PATTERN_LOOP_BLOCKS * RIG_PATTERN_LBA_SIZE];
	const uint64_t hz = rte_get_timer_hz();
	uint64_t start, now, next_report, last_done, max_gap = 0;
	uint64_t nb_ok = 0, nb_failed = 0;
	struct rte_pmd_nvme_cmb_op op;
	uint32_t round;
	int ret, k;

	rig_check(ni->lba_size == RIG_PATTERN_LBA_SIZE &&
		  ni->nb_lbas >= RIG_PATTERN_LOOP_LBA + RIG_PATTERN_LOOP_BLOCKS,
		  "the namespace has blocks %u..%u of 512 bytes for the loop",
		  RIG_PATTERN_LOOP_LBA, RIG_PATTERN_LOOP_LBA + RIG_PATTERN_LOOP_BLOCKS - 1);
	start = rte_get_timer_cycles();
	now = last_done = start;
	next_report = start + hz / 2;
	for (round = 0; now - start < seconds * hz; round++) {
		rig_pattern_fill(round, RIG_PATTERN_OPS_ALL, wbuf, len);
		for (k = 0; k < 2; k++) {
			memset(&op, 0, sizeof(op));
			op.opcode = k == 0 ? RTE_PMD_NVME_CMB_OP_WRITE : RTE_PMD_NVME_CMB_OP_READ;
			op.lba = RIG_PATTERN_LOOP_LBA;
			op.nb_lbas = RIG_PATTERN_LOOP_BLOCKS;
			op.len = len;
			op.buf = k == 0 ? wbuf : rbuf;
			if (k == 1)
				memset(rbuf, 0x5a, len);
			ret = run_op(id, &op);
			now = rte_get_timer_cycles();
			if (ret == 0 && k == 1 && memcmp(rbuf, wbuf, len) != 0)
				ret = -EIO;
			if (ret != 0) {
				if (nb_failed++ < 5)
					printf("loop: round %u: %s: %s (status 0x%x)\n", round,
					       k == 0 ? "write" : "read back", strerror(-ret), op.status);
				break;
			}
			if (now - last_done > max_gap)
				max_gap = now - last_done;
			last_done = now;
			nb_ok++;
		}
		if (now >= next_report) {
			printf("loop: %" PRIu64 " ops ok\n", nb_ok);
			fflush(stdout);
			next_report = now + hz / 2;
		}
	}
	if (now - last_done > max_gap)
		max_gap = now - last_done;
	printf("loop: done after %u s: %" PRIu64 " ops ok, %" PRIu64 " failed, longest wait for a completion %" PRIu64 " ms\n",
	       seconds, nb_ok, nb_failed, max_gap * 1000 / hz);
	rig_check(nb_failed == 0 && nb_ok != 0, "loop: %" PRIu64 " ops (writes and read-backs) completed, none failed",
		  nb_ok);
	rig_check(max_gap * 1000 / hz <= LOOP_MAX_GAP_MS,
		  "loop: ops never stopped completing for more than %u ms (longest %" PRIu64 " ms)",
		  LOOP_MAX_GAP_MS, max_gap * 1000 / hz);
}

/* The first rawdev the nvme_cmb PMD made, found by driver name, or -ENODEV. */
static int
find_rawdev(void)
{
	int n;

	for (n = 0; n < RTE_RAWDEV_MAX_DEVS && rte_rawdev_count() > 0; n++) {
		struct rte_rawdev_info base = { .dev_private = NULL };

		if (rte_rawdev_info_get(n, &base, 0) == 0 && base.driver_name != NULL &&
		    strcmp(base.driver_name, RTE_PMD_NVME_CMB_DRIVER_NAME) == 0)
			return n;
	}
	return -ENODEV;
}

/*
 * The PMD's own lookup is weak here: nvme_cmb_check links the PMD in, but
 * nvme_cmb_check_shared gets it only when EAL dlopens it, whose symbols
 * never reach this program, and there the reference stays NULL.
 */
#pragma weak rte_pmd_nvme_cmb_dev_id

/*
 * --secondary: EAL came up as a secondary process beside the primary that
 * drives the NVMe; the PMD must have left the device alone, so there is no
 * nvme_cmb device here at all.
 */
static int
run_secondary(const char *bdf)
{
	int ret;

	rig_check(rte_eal_process_type() == RTE_PROC_SECONDARY, "EAL runs as a secondary process");
	if (rte_pmd_nvme_cmb_dev_id != NULL) {
		ret = rte_pmd_nvme_cmb_dev_id(bdf);
		printf("secondary: rte_pmd_nvme_cmb_dev_id(%s) = %d\n", bdf, ret);
		rig_check(ret == -ENODEV, "no nvme_cmb device for %s in the secondary (%d, expected -ENODEV)",
			  bdf, ret);
	} else {
		rig_check(0, "rte_pmd_nvme_cmb_dev_id() is not linked into this program (use nvme_cmb_check)");
	}
	rig_check(find_rawdev() == -ENODEV, "no rawdev of driver %s in the secondary",
		  RTE_PMD_NVME_CMB_DRIVER_NAME);
	rte_eal_cleanup();
	return rig_summary();
}

/* Ops the PMD must refuse before anything reaches the controller. */
static void
run_bad_ops(uint16_t id, const struct rte_pmd_nvme_cmb_info *ni)
{
	static uint8_t buf[8192];
	struct rte_pmd_nvme_cmb_op op;
	int ret;

	memset(&op, 0, sizeof(op));
	op.opcode = RTE_PMD_NVME_CMB_OP_WRITE;
	op.lba = ni->nb_lbas - 1;
	op.nb_lbas = 2;
	op.len = 1024;
	op.buf = buf;
	ret = run_op(id, &op);
	rig_check(ret == -ERANGE && op.status == RTE_PMD_NVME_CMB_STATUS_REJECTED,
		  "write past the namespace rejected (-ERANGE, status 0x%x)", op.status);
	op.lba = 0;
	op.nb_lbas = 1;
	op.len = 512;
	op.page_offset = 3;
	ret = run_op(id, &op);
	rig_check(ret == -EINVAL, "page_offset not a multiple of 4 rejected");
	op.page_offset = 0;
	op.len = 600;
	ret = run_op(id, &op);
	rig_check(ret == -EINVAL, "len longer than its blocks rejected");
	op.opcode = 9;
	ret = run_op(id, &op);
	rig_check(ret == -EINVAL, "unknown opcode rejected");
	/* The last block: the pattern's region must hold nothing but the pattern. */
	op.opcode = RTE_PMD_NVME_CMB_OP_WRITE;
	op.lba = ni->nb_lbas - 1;
	op.len = 512;
	ret = run_op(id, &op);
	rig_check(ret == 0 && op.status == 0, "the device still works after the rejections");
}

/* A controller that stops answering: the op must time out, not hang. */
static void
run_timeout_op(uint16_t id, const struct rte_pmd_nvme_cmb_info *ni,
		struct rte_pci_device *pci)
{
	static uint8_t buf[512];
	volatile uint32_t *cc = (volatile uint32_t *)((uint8_t *)pci->mem_resource[0].addr + 0x14);
	struct rte_pmd_nvme_cmb_op op;
	uint64_t start, ms;
	int ret;

	*cc &= ~1u;	/* CC.EN = 0: the controller drops its queues */
	memset(&op, 0, sizeof(op));
	op.opcode = RTE_PMD_NVME_CMB_OP_WRITE;
	op.nb_lbas = 1;
	op.len = sizeof(buf);
	op.buf = buf;
	start = rte_get_timer_cycles();
	ret = run_op(id, &op);
	ms = (rte_get_timer_cycles() - start) * 1000 / rte_get_timer_hz();
	rig_check(ret == -ETIMEDOUT && op.status == RTE_PMD_NVME_CMB_STATUS_TIMEOUT,
		  "a command the controller never completes comes back timed out (%d, status 0x%x) after %" PRIu64 " ms",
		  ret, op.status, ms);
	rig_check(ms >= ni->conf.timeout_ms && ms < ni->conf.timeout_ms + 5000,
		  "... after about timeout_ms (%u)", ni->conf.timeout_ms);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "expect-cmb", required_argument, NULL, 'c' },
		{ "expect-legacy", required_argument, NULL, 'l' },
		{ "expect-pat", required_argument, NULL, 'p' },
		{ "expect-no-dev", no_argument, NULL, 'n' },
		{ "selftest", no_argument, NULL, 's' },
		{ "pattern", required_argument, NULL, 'P' },
		{ "bad-ops", no_argument, NULL, 'b' },
		{ "timeout-op", no_argument, NULL, 't' },
		{ "loop", required_argument, NULL, 'L' },
		{ "secondary", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	const char *want_cmb = NULL, *want_pat = NULL, *secondary = NULL;
	int want_legacy = -1, no_dev = 0, selftest = 0, bad_ops = 0, timeout_op = 0;
	int opt, n, id;
	long seed = -1, loop = -1;
	unsigned long max_blocks = RIG_PATTERN_DEFAULT_MAX_BLOCKS;
	char *end;
	struct rte_pmd_nvme_cmb_info ni;
	struct rte_rawdev_info info = { .dev_private = &ni };
	struct rte_pci_device *pci;
	char type[64];

	/* Lines as they come: a scenario watches --loop's progress in its log. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	n = rte_eal_init(argc, argv);
	if (n < 0) {
		printf("FAIL: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= n;
	argv += n;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': want_cmb = optarg; break;
		case 'l': want_legacy = atoi(optarg); break;
		case 'p': want_pat = optarg; break;
		case 'n': no_dev = 1; break;
		case 's': selftest = 1; break;
		case 'P':
			seed = strtol(optarg, &end, 0);
			if (*end == ',')
				max_blocks = strtoul(end + 1, &end, 0);
			if (*end != '\0' || seed < 0 || seed > UINT32_MAX ||
			    max_blocks < RIG_PATTERN_MIN_MAX_BLOCKS || max_blocks > UINT32_MAX) {
				printf("FAIL: --pattern SEED[,MAX_BLOCKS]: '%s'\n", optarg);
				return 2;
			}
			break;
		case 'b': bad_ops = 1; break;
		case 't': timeout_op = 1; break;
		case 'L':
			loop = strtol(optarg, &end, 0);
			if (*end != '\0' || loop <= 0 || loop > 3600) {
				printf("FAIL: --loop SECONDS (1..3600): '%s'\n", optarg);
				return 2;
			}
			break;
		case 'S': secondary = optarg; break;
		default:
			printf("FAIL: bad option\n");
			return 2;
		}
	}
	if (secondary != NULL)
		return run_secondary(secondary);
	id = find_rawdev();
	if (no_dev) {
		rig_check(id < 0, "no nvme_cmb rawdev was created");
		rte_eal_cleanup();
		return rig_summary();
	}
	rig_check(id >= 0, "EAL probed the NVMe with nvme_cmb (rawdev %d)", id);
	if (id < 0)
		return rig_summary();
	rig_check(rte_rawdev_info_get(id, &info, sizeof(ni)) == 0, "rte_rawdev_info_get");
	printf("nvme: '%s' NVMe %u.%u, ns %u: %" PRIu64 " x %u B, max %u B/op; CMB %" PRIu64 " bytes in BAR%u (%s, SQS %u WDS %u RDS %u) %s: %s\n",
	       ni.model, ni.nvme_version_major, ni.nvme_version_minor, ni.nsid, ni.nb_lbas,
	       ni.lba_size, ni.max_xfer, ni.cmb_size, ni.cmb_bar, ni.cmb_legacy ? "legacy" : "1.4",
	       ni.cmb_sqs, ni.cmb_wds, ni.cmb_rds,
	       ni.cmb_size ? (ni.cmb_wc ? "wc" : "uc") : "none", ni.cmb_reason);
	if (want_cmb != NULL) {
		const char *got = ni.cmb_size == 0 ? "none" : ni.cmb_wc ? "wc" : "uc";

		rig_check(strcmp(got, want_cmb) == 0, "PMD reports the CMB BAR %s (expected %s)",
			  got, want_cmb);
	}
	if (want_legacy >= 0)
		rig_check(ni.cmb_legacy == want_legacy, "CMB scheme: %s", ni.cmb_legacy ? "legacy" : "NVMe 1.4 CMBMSC");
	pci = RTE_DEV_TO_PCI(info.device);
	if (want_pat != NULL && ni.cmb_size != 0) {
		uint64_t phys = pci->mem_resource[ni.cmb_bar].phys_addr;

		if (rig_pat_type(phys, type, sizeof(type)) != 0)
			snprintf(type, sizeof(type), "none");
		rig_check(strcmp(type, want_pat) == 0, "PAT type of the CMB BAR at 0x%" PRIx64 " is '%s' (expected '%s')",
			  phys, type, want_pat);
	}
	if (rte_rawdev_start(id) != 0)
		rig_check(0, "rte_rawdev_start");
	if (selftest)
		rig_check(rte_rawdev_selftest(id) == 0, "rte_rawdev_selftest");
	if (seed >= 0)
		run_pattern(id, &ni, (uint32_t)seed, (uint32_t)max_blocks);
	if (loop > 0)
		run_loop(id, &ni, (unsigned int)loop);
	if (bad_ops)
		run_bad_ops(id, &ni);
	if (timeout_op)
		run_timeout_op(id, &ni, pci);
	print_xstats(id);
	rte_rawdev_stop(id);
	rig_check(rte_dev_remove(info.device) == 0, "device removed (controller shut down)");
	rte_eal_cleanup();
	return rig_summary();
}
