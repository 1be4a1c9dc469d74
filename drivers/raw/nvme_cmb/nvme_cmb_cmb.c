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
	if (d->cmb.size == 0) {
		cmb_off(d, "CMBSZ.SZU is reserved");
		goto disable;
	}
	if (d->cmb.bir > 5 || d->cmb.bir == 1) {
		cmb_off(d, "CMBLOC.BIR names no usable BAR");
		goto disable;
	}
	bar_size = d->pci->mem_resource[d->cmb.bir].len;
	if (d->cmb.offset >= bar_size || d->cmb.size > bar_size - d->cmb.offset) {
		NVME_CMB_LOG(WARNING, d, "CMB (offset %" PRIu64 ", %" PRIu64 " bytes) does not fit BAR%u (%" PRIu64 " bytes)",
			     d->cmb.offset, d->cmb.size, d->cmb.bir, bar_size);
		cmb_off(d, "CMBLOC/CMBSZ outside the BAR");
		goto disable;
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
	if (!d->cmb_legacy) {
		nvme_cmb_wr64(d, NVME_REG_CMBMSC, nvme_cmbmsc_enable(d->cmb_bus));
		if (nvme_cmb_rd32(d, NVME_REG_CMBSTS) & NVME_CMBSTS_CBAI) {
			cmb_off(d, "the controller refused CBA (CMBSTS.CBAI)");
			goto disable;
		}
	}
	d->cmb_present = true;
	d->sqe_width = wc_mmio_store_width(d->cmb_attr, 0, NULL);
	NVME_CMB_LOG(NOTICE, d, "CMB: %" PRIu64 " MiB in BAR%u at offset %" PRIu64 " (%s scheme; SQS %u WDS %u RDS %u LISTS %u), mapped %s: %s",
		     d->cmb.size >> 20, d->cmb.bir, d->cmb.offset,
		     d->cmb_legacy ? "legacy" : "NVMe 1.4 CMBMSC",
		     d->cmb.sqs, d->cmb.wds, d->cmb.rds, d->cmb.lists,
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

/* Page-aligned pieces from the CMB, handed out in order, freed together. */
int
nvme_cmb_mem_cmb(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m,
		const char *what, size_t len)
{
	uint64_t start = (d->cmb_used + d->page_size - 1) & ~(uint64_t)(d->page_size - 1);

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

/* Whether conf can run on this controller; one line naming the key if not. */
int
nvme_cmb_conf_check(const struct nvme_cmb_dev *d,
		const struct rte_pmd_nvme_cmb_conf *conf)
{
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
	return 0;
}
