/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Controller Memory Buffer: finding it, turning it on, and handing out
 * pieces of it.
 *
 * Two schemes exist. Before NVMe 1.4, CMBLOC and CMBSZ describe the CMB as
 * soon as the controller is reset (the driver tells the schemes apart by
 * that, not by CAP.CMBS), and the controller recognises its own
 * BAR addresses in PRPs and queue bases. From 1.4 (CAP.CMBS set) both read
 * zero until the host sets CMBMSC.CRE, and the CMB is only used for
 * commands once the host has told the controller its bus address (CBA)
 * and set CMSE. A driver that skips CMBMSC finds no CMB on a 1.4
 * controller; QEMU's default is the 1.4 scheme, legacy-cmb=on the old one.
 *
 * The CMB's BAR is mapped by the PCI bus, write-combining when the bus
 * could (--pci-wc and vfio-pci-wc, or UIO's resourceN_wc), uncached
 * otherwise; rte_pci_wc_bar_info() says which, and every copy into the CMB
 * uses the matching wc_mmio routine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_memory.h>
#include <bus_pci_driver.h>

#include "rte_pci_wc.h"
#include "nvme_cmb_dev.h"
#include "nvme_cmb_args.h"

static void
cmb_off(struct nvme_cmb_dev *d, const char *why)
{
	d->cmb_present = false;
	NVME_CMB_LOG(NOTICE, d, "no controller memory buffer (%s): queues and data in host memory",
		     why);
}

/* Any DPDK memory whose IOVA (its VA, in IOVA-as-VA mode) is in [lo, hi). */
struct alias_walk {
	uint64_t lo, hi;
	bool hit;
};

static int
alias_msl(const struct rte_memseg_list *msl, void *arg)
{
	struct alias_walk *w = arg;
	uint64_t base = (uint64_t)(uintptr_t)msl->base_va;

	if (base < w->hi && base + msl->len > w->lo)
		w->hit = true;
	return 0;
}

/*
 * In IOVA-as-VA mode host DMA addresses are virtual addresses, and
 * nothing keeps them out of the CMB's bus window: after CMSE the
 * controller would read such a PRP as a CMB address. DPDK reserves the
 * virtual ranges of all its memory up front, so checking them covers
 * every later allocation too; in IOVA-as-PA mode the IOMMU-less bus
 * addresses of RAM and a BAR never meet. Each zero-copy buffer is still
 * checked on its own (nvme_cmb_cmb_overlaps()).
 */
static bool
cmb_aliases_host(const struct nvme_cmb_dev *d)
{
	struct alias_walk w = { d->cmb_bus, d->cmb_bus + d->cmb.size, false };

	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		return false;
	rte_memseg_list_walk(alias_msl, &w);
	return w.hit || nvme_cmb_cmb_overlaps_raw(d->cmb_bus, d->cmb.size, d->asq.bus,
						  d->asq.len) ||
		nvme_cmb_cmb_overlaps_raw(d->cmb_bus, d->cmb.size, d->acq.bus, d->acq.len);
}

bool
nvme_cmb_cmb_overlaps(const struct nvme_cmb_dev *d, uint64_t bus, uint64_t len)
{
	return d->cmb_present &&
		nvme_cmb_cmb_overlaps_raw(d->cmb_bus, d->cmb.size, bus, len);
}

/* 1.4: tell the controller where its CMB is and turn it on (again after a reset). */
int
nvme_cmb_cmb_enable(struct nvme_cmb_dev *d)
{
	if (d->cmb_legacy)
		return 0;
	nvme_cmb_wr64(d, NVME_REG_CMBMSC, nvme_cmbmsc_enable(d->cmb_bus));
	if (nvme_cmb_rd32(d, NVME_REG_CMBSTS) & NVME_CMBSTS_CBAI)
		return -EINVAL;
	return 0;
}

int
nvme_cmb_cmb_init(struct nvme_cmb_dev *d)
{
	struct rte_pci_wc_bar bi;
	uint32_t cmbloc, cmbsz;
	uint64_t bar_size;
	int ret;

	d->cmb_present = false;
	d->cmb_legacy = false;
	cmbloc = nvme_cmb_rd32(d, NVME_REG_CMBLOC);
	cmbsz = nvme_cmb_rd32(d, NVME_REG_CMBSZ);
	/*
	 * Legacy: CMBSZ describes the CMB before the host wrote anything.
	 * CAP.CMBS does not tell (QEMU's legacy-cmb=on still sets it), but
	 * CRE does: a 1.4 controller whose CMBSZ reads non-zero has had CRE
	 * set, by an earlier user that did not clear it.
	 */
	if (cmbsz != 0 &&
	    !(d->cap.cmbs && (nvme_cmb_rd64(d, NVME_REG_CMBMSC) & NVME_CMBMSC_CRE))) {
		d->cmb_legacy = true;
	} else if (d->cap.cmbs) {
		/* 1.4+: the registers describe the CMB only once CRE is set. */
		nvme_cmb_wr64(d, NVME_REG_CMBMSC, NVME_CMBMSC_CRE);
		cmbloc = nvme_cmb_rd32(d, NVME_REG_CMBLOC);
		cmbsz = nvme_cmb_rd32(d, NVME_REG_CMBSZ);
	}
	if (cmbsz == 0) {
		if (d->cap.cmbs)
			nvme_cmb_wr64(d, NVME_REG_CMBMSC, 0);	/* as it was */
		cmb_off(d, d->cap.cmbs ? "CMBSZ is 0 after CMBMSC.CRE" :
			"CAP.CMBS is 0 and CMBSZ is 0");
		return 0;
	}
	d->cmb = nvme_cmb_decode(cmbloc, cmbsz);
	/* Before 1.4 those CMBLOC bits are reserved: nothing is restricted. */
	if (d->cmb_legacy)
		d->cmb.cdpmls = d->cmb.cdpcils = true;
	if (d->cmb.size == 0) {
		cmb_off(d, "CMBSZ.SZU is reserved");
		goto disable;
	}
	if (d->cmb.bir > 5 || d->cmb.bir == 1) {
		cmb_off(d, "CMBLOC.BIR names no usable BAR");
		goto disable;
	}
	bar_size = d->pci->mem_resource[d->cmb.bir].len;
	if (d->cmb.offset >= bar_size) {
		NVME_CMB_LOG(WARNING, d, "CMB offset %" PRIu64 " is past BAR%u's end (%" PRIu64 " bytes)",
			     d->cmb.offset, d->cmb.bir, bar_size);
		cmb_off(d, "CMBLOC.OFST outside the BAR");
		goto disable;
	}
	/* Some controllers report more CMB than their BAR holds: use the BAR's part. */
	if (d->cmb.size > bar_size - d->cmb.offset) {
		NVME_CMB_LOG(NOTICE, d, "CMBSZ says %" PRIu64 " bytes at offset %" PRIu64 " but BAR%u has %" PRIu64 ": using %" PRIu64,
			     d->cmb.size, d->cmb.offset, d->cmb.bir, bar_size,
			     bar_size - d->cmb.offset);
		d->cmb.size = bar_size - d->cmb.offset;
	}
	ret = nvme_cmb_bar_info(d->pci, d->cmb.bir, &bi);
	if (ret != 0 || (bi.attr != RTE_PCI_WC_ATTR_UC && bi.attr != RTE_PCI_WC_ATTR_WC) ||
	    bi.addr == NULL) {
		char why[RTE_PCI_WC_REASON_LEN + 64];

		snprintf(why, sizeof(why), "BAR%u is not mmapped: %s", d->cmb.bir,
			 ret != 0 ? "the bus does not know it" : bi.reason);
		cmb_off(d, why);
		goto disable;
	}
	d->cmb_attr = bi.attr == RTE_PCI_WC_ATTR_WC ? WC_MMIO_WC : WC_MMIO_UC;
	snprintf(d->cmb_reason, sizeof(d->cmb_reason), "%s", bi.reason);
	d->cmb_va = (volatile uint8_t *)bi.addr + d->cmb.offset;
	/*
	 * The controller compares PRPs and queue bases with the CMB's bus
	 * address: the BAR's address plus CMBLOC.OFST. The bus reports the
	 * CPU physical address, which equals the PCI bus address on the
	 * platforms we run (x86, arm64 virt); see the guide.
	 */
	d->cmb_bus = bi.phys_addr + d->cmb.offset;
	if (cmb_aliases_host(d)) {
		cmb_off(d, "its bus addresses are also IOVAs of host DMA memory (IOVA as VA): the controller would take host buffers there for CMB ones");
		goto disable;
	}
	d->cmb_present = true;
	if (nvme_cmb_cmb_enable(d) != 0) {
		d->cmb_present = false;
		cmb_off(d, "the controller refused CBA (CMBSTS.CBAI)");
		goto disable;
	}
	d->sqe_width = wc_mmio_store_width(d->cmb_attr, 0, NULL);
	NVME_CMB_LOG(NOTICE, d, "CMB: %" PRIu64 " MiB in BAR%u at offset %" PRIu64 " (%s scheme; SQS %u WDS %u RDS %u LISTS %u CDPMLS %u CDPCILS %u), mapped %s: %s",
		     d->cmb.size >> 20, d->cmb.bir, d->cmb.offset,
		     d->cmb_legacy ? "legacy" : "NVMe 1.4 CMBMSC",
		     d->cmb.sqs, d->cmb.wds, d->cmb.rds, d->cmb.lists,
		     d->cmb.cdpmls, d->cmb.cdpcils,
		     wc_mmio_attr_name(d->cmb_attr), d->cmb_reason);
	return 0;
disable:
	/* Legacy registers stay as the controller has them. */
	if (d->cap.cmbs && !d->cmb_legacy)
		nvme_cmb_wr64(d, NVME_REG_CMBMSC, 0);
	return 0;
}

void
nvme_cmb_cmb_fini(struct nvme_cmb_dev *d)
{
	if (d->cmb_present && !d->cmb_legacy)
		nvme_cmb_wr64(d, NVME_REG_CMBMSC, 0);
	d->cmb_present = false;
}

void
nvme_cmb_cmb_reset(struct nvme_cmb_dev *d)
{
	d->cmb_used = 0;
}

/*
 * Pieces from the CMB, handed out in order, freed together. Each starts
 * on a memory page (CC.MPS) of the bus address, which is what the
 * controller checks: the CMB's own start is only 4 KiB aligned.
 */
static uint64_t
cmb_piece_start(const struct nvme_cmb_dev *d, uint64_t used)
{
	uint64_t mask = (uint64_t)d->page_size - 1;

	return ((d->cmb_bus + used + mask) & ~mask) - d->cmb_bus;
}

int
nvme_cmb_mem_cmb(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m,
		const char *what, size_t len)
{
	uint64_t start = cmb_piece_start(d, d->cmb_used);

	if (!d->cmb_present || start + len > d->cmb.size) {
		NVME_CMB_LOG(ERR, d, "CMB full: %s needs %zu bytes, %" PRIu64 " of %" PRIu64 " in use",
			     what, len, d->cmb_used, d->cmb.size);
		return -ENOSPC;
	}
	m->va = (void *)(uintptr_t)(d->cmb_va + start);
	m->bus = d->cmb_bus + start;
	m->len = len;
	m->in_cmb = true;
	m->mz = NULL;
	d->cmb_used = start + len;
	return 0;
}

/*
 * Where a command's PRP list may go (CMBSZ.LISTS and the NVMe 1.4
 * CMBLOC rules):
 *  - data in host memory: the list too (host data pointers are always
 *    allowed, and mixing would need CDPMLS for nothing);
 *  - data in the CMB: the list in the CMB when LISTS allows it and either
 *    the command is in the CMB too or CDPCILS lets the two be apart;
 *    else in host memory when CDPMLS lets a list and its data be in
 *    different memories; else nowhere, and ops are limited to what PRP1
 *    and PRP2 describe.
 * A legacy controller has no restriction bits (CMBLOC bits 3..8 are
 * reserved before 1.4 and read 0): there they mean nothing.
 */
enum nvme_cmb_list_place
nvme_cmb_list_place(const struct nvme_cmb_geom *g,
		const struct rte_pmd_nvme_cmb_conf *conf)
{
	if (conf->data != RTE_PMD_NVME_CMB_CMB)
		return NVME_CMB_LIST_HOST;
	if (g->lists && (conf->sq == RTE_PMD_NVME_CMB_CMB || g->cdpcils))
		return NVME_CMB_LIST_CMB;
	if (g->cdpmls)
		return NVME_CMB_LIST_HOST;
	return NVME_CMB_LIST_NONE;
}

/*
 * The largest op a configuration runs: max_xfer, at most MDTS, and a
 * page when no PRP list is allowed (with any page offset, PRP1 and PRP2
 * then cover it).
 */
uint32_t
nvme_cmb_conf_max_xfer(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf)
{
	uint32_t x = conf->max_xfer;

	if (d->mdts_bytes != 0 && x > d->mdts_bytes)
		x = d->mdts_bytes;
	x &= ~(d->page_size - 1);
	if (d->cmb_present && nvme_cmb_list_place(&d->cmb, conf) == NVME_CMB_LIST_NONE &&
	    x > d->page_size)
		x = d->page_size;
	return x;
}

/* Whether conf can run on this controller; one line naming the key if not. */
int
nvme_cmb_conf_check(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf)
{
	uint32_t max_xfer;
	uint64_t need;

	if (conf->sq == RTE_PMD_NVME_CMB_CMB && (!d->cmb_present || !d->cmb.sqs)) {
		NVME_CMB_LOG(ERR, d, RTE_PMD_NVME_CMB_ARG_SQ "=cmb: %s (use " RTE_PMD_NVME_CMB_ARG_SQ "=host)",
			     d->cmb_present ? "the CMB does not hold submission queues (CMBSZ.SQS=0)" :
			     "the controller has no usable CMB");
		return -ENOTSUP;
	}
	if (conf->data == RTE_PMD_NVME_CMB_CMB &&
	    (!d->cmb_present || !d->cmb.wds || !d->cmb.rds)) {
		NVME_CMB_LOG(ERR, d, RTE_PMD_NVME_CMB_ARG_DATA "=cmb: %s (use " RTE_PMD_NVME_CMB_ARG_DATA "=host)",
			     d->cmb_present ? "the CMB does not hold read and write data (CMBSZ.WDS/RDS)" :
			     "the controller has no usable CMB");
		return -ENOTSUP;
	}
	if (conf->qdepth < NVME_CMB_QDEPTH_MIN || conf->qdepth > NVME_CMB_QDEPTH_MAX ||
	    conf->qdepth > d->cap.mqes) {
		NVME_CMB_LOG(ERR, d, RTE_PMD_NVME_CMB_ARG_QDEPTH "=%u: this controller takes %u..%u",
			     conf->qdepth, NVME_CMB_QDEPTH_MIN,
			     d->cap.mqes < NVME_CMB_QDEPTH_MAX ? d->cap.mqes : NVME_CMB_QDEPTH_MAX);
		return -EINVAL;
	}
	if (conf->timeout_ms < NVME_CMB_TIMEOUT_MIN || conf->timeout_ms > NVME_CMB_TIMEOUT_MAX) {
		NVME_CMB_LOG(ERR, d, RTE_PMD_NVME_CMB_ARG_TIMEOUT "=%u: expected %u..%u",
			     conf->timeout_ms, NVME_CMB_TIMEOUT_MIN, NVME_CMB_TIMEOUT_MAX);
		return -EINVAL;
	}
	if (conf->max_xfer < NVME_CMB_MAX_XFER_MIN || conf->max_xfer > NVME_CMB_MAX_XFER_MAX ||
	    conf->max_xfer % NVME_CMB_MAX_XFER_MIN != 0) {
		NVME_CMB_LOG(ERR, d, RTE_PMD_NVME_CMB_ARG_MAX_XFER "=%u: expected a multiple of %u in %u..%u",
			     conf->max_xfer, NVME_CMB_MAX_XFER_MIN, NVME_CMB_MAX_XFER_MIN,
			     NVME_CMB_MAX_XFER_MAX);
		return -EINVAL;
	}
	max_xfer = nvme_cmb_conf_max_xfer(d, conf);
	if (max_xfer < d->lba_size) {
		NVME_CMB_LOG(ERR, d, RTE_PMD_NVME_CMB_ARG_MAX_XFER "=%u: below one block (%u bytes)",
			     conf->max_xfer, d->lba_size);
		return -EINVAL;
	}
	/* What start will take of the CMB, pieces aligned as they will be. */
	need = nvme_cmb_slot_cmb_bytes(d, conf, max_xfer);
	if (need > 0 && (!d->cmb_present || need > d->cmb.size)) {
		NVME_CMB_LOG(ERR, d, "sq=%s data=%s qdepth=%u max_xfer=%u needs %" PRIu64 " bytes of the CMB, which has %" PRIu64 ": lower qdepth or max_xfer",
			     nvme_cmb_place_name(conf->sq), nvme_cmb_place_name(conf->data),
			     conf->qdepth, max_xfer, need, d->cmb_present ? d->cmb.size : 0);
		return -ENOSPC;
	}
	return 0;
}
