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
 *     --pattern SEED         write the seeded pattern (rig_pattern.h), read it
 *                            back through the PMD and compare; one placement
 *                            after another (each the CMB allows)
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
#include <rte_rawdev.h>
#include <bus_pci_driver.h>

#include "rig_guest.h"
#include "rig_pattern.h"
#include "rte_pmd_nvme_cmb.h"

static const char *
xstat_name(unsigned int i, struct rte_rawdev_xstats_name *names)
{
	return names[i].name;
}

static void
print_xstats(uint16_t id)
{
	struct rte_rawdev_xstats_name names[32];
	unsigned int ids[32];
	uint64_t vals[32];
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

/* The seeded pattern: write every op, read every op back, compare. */
static void
run_pattern(uint16_t id, const struct rte_pmd_nvme_cmb_info *ni, uint32_t seed)
{
	static uint8_t wbuf[RIG_PATTERN_MAX_BYTES], rbuf[RIG_PATTERN_MAX_BYTES];
	struct rig_pattern_op p;
	struct rte_pmd_nvme_cmb_op op;
	unsigned int i, nb_ok = 0, placement;
	/* SQ/data placements in turn: what the CMB allows, host otherwise. */
	static const enum rte_pmd_nvme_cmb_place pl[3][2] = {
		{ RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_CMB },
		{ RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_HOST },
		{ RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_CMB },
	};
	size_t bad;
	int ret;

	rig_check(ni->lba_size == RIG_PATTERN_LBA_SIZE, "namespace blocks are %u bytes (pattern wants %u)",
		  ni->lba_size, RIG_PATTERN_LBA_SIZE);
	for (i = 0; i < RIG_PATTERN_OPS; i++) {
		placement = i % 3;
		rig_pattern_op(seed, i, &p);
		if (ni->cmb_size != 0)
			ret = configure(id, pl[placement][0], pl[placement][1], &ni->conf);
		else
			ret = configure(id, RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_HOST, &ni->conf);
		if (ret != 0) {
			rig_check(0, "configure for op %u: %d", i, ret);
			continue;
		}
		rig_pattern_fill(seed, i, wbuf, p.len);
		memset(&op, 0, sizeof(op));
		op.opcode = RTE_PMD_NVME_CMB_OP_WRITE;
		op.lba = p.lba;
		op.nb_lbas = p.nb_lbas;
		op.len = p.len;
		op.page_offset = p.page_offset;
		op.buf = wbuf;
		ret = run_op(id, &op);
		printf("pattern op %u: write LBA %" PRIu64 " x %u, %u bytes at page offset %u, sq=%s data=%s: status 0x%x, %u MMIO stores\n",
		       i, p.lba, p.nb_lbas, p.len, p.page_offset,
		       ni->cmb_size ? (pl[placement][0] ? "cmb" : "host") : "host",
		       ni->cmb_size ? (pl[placement][1] ? "cmb" : "host") : "host",
		       op.status, op.mmio_stores);
		if (ret != 0) {
			rig_check(0, "write op %u: %s", i, strerror(-ret));
			continue;
		}
		memset(rbuf, 0x5a, sizeof(rbuf));
		op.opcode = RTE_PMD_NVME_CMB_OP_READ;
		op.len = p.nb_lbas * ni->lba_size;
		op.page_offset = (uint16_t)((p.page_offset + 2048) % 4096);
		op.buf = rbuf;
		ret = run_op(id, &op);
		if (ret != 0) {
			rig_check(0, "read op %u: %s", i, strerror(-ret));
			continue;
		}
		for (bad = 0; bad < op.len; bad++)
			if (rbuf[bad] != (bad < p.len ? wbuf[bad] : 0))
				break;
		if (bad != op.len)
			rig_check(0, "op %u read back: byte %zu is 0x%02x, expected 0x%02x", i, bad,
				  rbuf[bad], bad < p.len ? wbuf[bad] : 0);
		else
			nb_ok++;
	}
	memset(&op, 0, sizeof(op));
	op.opcode = RTE_PMD_NVME_CMB_OP_FLUSH;
	rig_check(run_op(id, &op) == 0, "flush");
	rig_check(nb_ok == RIG_PATTERN_OPS, "pattern seed %u: %u of %u ops written and read back byte-exact",
		  seed, nb_ok, RIG_PATTERN_OPS);
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
	op.opcode = RTE_PMD_NVME_CMB_OP_WRITE;
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
		{ NULL, 0, NULL, 0 },
	};
	const char *want_cmb = NULL, *want_pat = NULL;
	int want_legacy = -1, no_dev = 0, selftest = 0, bad_ops = 0, timeout_op = 0;
	int opt, n, id;
	long seed = -1;
	struct rte_pmd_nvme_cmb_info ni;
	struct rte_rawdev_info info = { .dev_private = &ni };
	struct rte_pci_device *pci;
	char type[64];

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
		case 'P': seed = strtol(optarg, NULL, 0); break;
		case 'b': bad_ops = 1; break;
		case 't': timeout_op = 1; break;
		default:
			printf("FAIL: bad option\n");
			return 2;
		}
	}
	id = -ENODEV;
	for (n = 0; n < RTE_RAWDEV_MAX_DEVS && id < 0 && rte_rawdev_count() > 0; n++) {
		struct rte_rawdev_info base = { .dev_private = NULL };

		if (rte_rawdev_info_get(n, &base, 0) == 0 && base.driver_name != NULL &&
		    strcmp(base.driver_name, RTE_PMD_NVME_CMB_DRIVER_NAME) == 0)
			id = n;
	}
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
		run_pattern(id, &ni, (uint32_t)seed);
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
