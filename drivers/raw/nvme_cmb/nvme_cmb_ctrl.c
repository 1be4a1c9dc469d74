/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Controller bring-up and the admin queue: registers in BAR0 (uncached),
 * disable and enable with the CSTS.RDY waits bounded by CAP.TO, admin
 * queues in host memory, Identify, and the orderly shutdown at close.
 * Every wait has a deadline: a controller that never answers fails the
 * probe with one line instead of hanging it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_io.h>
#include <rte_memzone.h>
#include <rte_pause.h>
#include <bus_pci_driver.h>

#include "nvme_cmb_dev.h"

/* Shutdown bounds when RTD3E says nothing, and at most. */
#define NVME_CMB_SHUTDOWN_MS_DEFAULT 5000
#define NVME_CMB_SHUTDOWN_MS_MAX 60000

/*
 * The unit tests build this file a second time with NVME_CMB_REG_HOOKS:
 * BAR0 is then ordinary memory owned by a register-level controller model
 * (test/unit/nvme_ctrl_model.c), which must see every register access as
 * it happens to act on it, as a real controller would.
 */
#ifdef NVME_CMB_REG_HOOKS
#define REG_READ(d, off) nvme_cmb_hook_reg_read((d)->bar0, off)
#define REG_WRITTEN(d, off) nvme_cmb_hook_reg_written((d)->bar0, off)
#else
#define REG_READ(d, off) do { } while (0)
#define REG_WRITTEN(d, off) do { } while (0)
#endif

uint32_t
nvme_cmb_rd32(const struct nvme_cmb_dev *d, uint32_t off)
{
	REG_READ(d, off);
	return rte_read32(d->bar0 + off);
}

/* As two dword reads, low first: not every controller takes 8-byte ones. */
uint64_t
nvme_cmb_rd64(const struct nvme_cmb_dev *d, uint32_t off)
{
	uint64_t lo = nvme_cmb_rd32(d, off);
	uint64_t hi = nvme_cmb_rd32(d, off + 4);

	return hi << 32 | lo;
}

void
nvme_cmb_wr32(struct nvme_cmb_dev *d, uint32_t off, uint32_t v)
{
	rte_write32(v, d->bar0 + off);
	REG_WRITTEN(d, off);
}

/*
 * High dword first: for CMBMSC the low dword's write is the one that acts
 * (CRE/CMSE), and CBA must be complete by then. Harmless elsewhere.
 */
void
nvme_cmb_wr64(struct nvme_cmb_dev *d, uint32_t off, uint64_t v)
{
	nvme_cmb_wr32(d, off + 4, (uint32_t)(v >> 32));
	nvme_cmb_wr32(d, off, (uint32_t)v);
}

int
nvme_cmb_mem_host(struct nvme_cmb_dev *d, struct nvme_cmb_mem *m,
		const char *what, size_t len)
{
	static unsigned int seq;
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	snprintf(name, sizeof(name), "nvcmb%u_%s",
		 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED), what);
	mz = rte_memzone_reserve_aligned(name, len, d->socket,
			RTE_MEMZONE_IOVA_CONTIG, d->page_size);
	if (mz == NULL) {
		NVME_CMB_LOG(ERR, d, "cannot reserve %zu bytes of DMA memory for %s: %s",
			     len, what, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	/*
	 * Once CMSE is set the controller takes any address in the CMB's
	 * window for the CMB: host memory there would never be reached.
	 */
	if (nvme_cmb_cmb_overlaps(d, mz->iova, len)) {
		NVME_CMB_LOG(ERR, d, "DMA memory for %s at IOVA 0x%" PRIx64 " lies in the CMB's bus window: refused",
			     what, (uint64_t)mz->iova);
		rte_memzone_free(mz);
		return -ENOMEM;
	}
	memset(mz->addr, 0, len);
	m->va = mz->addr;
	m->bus = mz->iova;
	m->len = len;
	m->in_cmb = false;
	m->mz = mz;
	return 0;
}

void
nvme_cmb_mem_free(struct nvme_cmb_mem *m)
{
	if (m->mz != NULL)
		rte_memzone_free(m->mz);
	memset(m, 0, sizeof(*m));
}

/* A removed device reads all ones; nothing it says then means anything. */
bool
nvme_cmb_ctrl_gone(struct nvme_cmb_dev *d)
{
	return nvme_cmb_rd32(d, NVME_REG_CSTS) == UINT32_MAX;
}

/* Wait until (CSTS & mask) == want, CSTS.CFS or ms milliseconds. */
static int
wait_csts(struct nvme_cmb_dev *d, uint32_t mask, uint32_t want, uint32_t ms,
		const char *what)
{
	uint64_t hz = rte_get_timer_hz();
	uint64_t end = rte_get_timer_cycles() + hz * ms / 1000;
	uint32_t csts;

	for (;;) {
		csts = nvme_cmb_rd32(d, NVME_REG_CSTS);
		if (csts == UINT32_MAX) {
			NVME_CMB_LOG(ERR, d, "%s: CSTS reads all ones: the controller is gone", what);
			return -ENODEV;
		}
		if ((csts & mask) == want)
			return 0;
		if ((csts & NVME_CSTS_CFS) && want != 0) {
			NVME_CMB_LOG(ERR, d, "%s: controller fatal status (CSTS.CFS, CSTS=0x%08x)",
				     what, csts);
			return -EIO;
		}
		if (rte_get_timer_cycles() > end) {
			NVME_CMB_LOG(ERR, d, "%s: no CSTS change within %u ms, CSTS=0x%08x",
				     what, ms, csts);
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(1000);
	}
}

/*
 * CC.EN to 0 and wait for RDY to follow. The specification leaves a
 * controller undefined when EN is cleared before RDY caught up with an
 * earlier 1 (an enable still under way): wait for that first, unless the
 * controller is fatal, when only a reset helps.
 */
int
nvme_cmb_ctrl_disable(struct nvme_cmb_dev *d)
{
	uint32_t cc = nvme_cmb_rd32(d, NVME_REG_CC);
	uint32_t csts = nvme_cmb_rd32(d, NVME_REG_CSTS);

	if (csts == UINT32_MAX) {
		NVME_CMB_LOG(ERR, d, "disable: CSTS reads all ones: the controller is gone");
		return -ENODEV;
	}
	if ((cc & NVME_CC_EN) && !(csts & NVME_CSTS_RDY) && !(csts & NVME_CSTS_CFS))
		wait_csts(d, NVME_CSTS_RDY, NVME_CSTS_RDY, d->cap.timeout_ms,
			  "disable: waiting for an enable to finish");
	if (cc & NVME_CC_EN)
		nvme_cmb_wr32(d, NVME_REG_CC, cc & ~NVME_CC_EN);
	return wait_csts(d, NVME_CSTS_RDY, 0, d->cap.timeout_ms, "disable");
}

/*
 * One admin command, polled to completion within the controller's CAP.TO
 * (at least a second). Returns 0, -EIO with the NVMe status logged,
 * -ETIMEDOUT, or -ENODEV when the controller is gone or fatal.
 *
 * A command that timed out may still complete later. Its entry is known
 * by its command identifier and skipped: taking it for the next
 * command's would report that one's result from a different command.
 */
int
nvme_cmb_admin(struct nvme_cmb_dev *d, struct nvme_sqe *cmd, uint32_t *dw0)
{
	volatile struct nvme_cqe *cqe;
	struct nvme_sqe *sq = d->asq.va;
	uint64_t hz = rte_get_timer_hz();
	uint32_t ms = d->cap.timeout_ms > 1000 ? d->cap.timeout_ms : 1000;
	uint64_t end, next_csts, now;
	uint32_t csts;
	uint16_t slot, st, cid;

	if (d->asq.va == NULL)
		return -ENODEV;
	cmd->cid = d->admin_cid++;
	slot = nvme_ring_push(&d->aring);
	memcpy(&sq[slot], cmd, sizeof(*cmd));
	/* rte_write32 orders the entry in host memory before the doorbell. */
	nvme_cmb_wr32(d, nvme_sq_doorbell(0, d->cap.dstrd), d->aring.tail);

	now = rte_get_timer_cycles();
	end = now + hz * ms / 1000;
	next_csts = now + hz / 1000;
	for (;;) {
		cqe = (volatile struct nvme_cqe *)d->acq.va + d->aring.cq_head;
		if (nvme_ring_cqe_new(&d->aring, cqe->status)) {
			rte_rmb();
			cid = cqe->cid;
			if (cid == cmd->cid)
				break;
			NVME_CMB_LOG(WARNING, d, "admin: late completion of command %u skipped (waiting for %u)",
				     cid, cmd->cid);
			nvme_ring_cq_pop(&d->aring, cqe->sqhd);
			nvme_cmb_wr32(d, nvme_cq_doorbell(0, d->cap.dstrd), d->aring.cq_head);
			continue;
		}
		now = rte_get_timer_cycles();
		if (now > next_csts) {
			/* A gone or fatal controller will not answer: stop now. */
			csts = nvme_cmb_rd32(d, NVME_REG_CSTS);
			if (csts == UINT32_MAX || (csts & NVME_CSTS_CFS)) {
				NVME_CMB_LOG(ERR, d, "admin opcode 0x%02x: %s (CSTS=0x%08x)",
					     cmd->opc, csts == UINT32_MAX ?
					     "the controller is gone" : "controller fatal status",
					     csts);
				return -ENODEV;
			}
			next_csts = now + hz / 1000;
		}
		if (now > end) {
			NVME_CMB_LOG(ERR, d, "admin opcode 0x%02x: no completion within %u ms (CSTS=0x%08x)",
				     cmd->opc, ms, nvme_cmb_rd32(d, NVME_REG_CSTS));
			return -ETIMEDOUT;
		}
		rte_pause();
	}
	st = nvme_cqe_status(cqe->status);
	if (dw0 != NULL)
		*dw0 = cqe->dw0;
	nvme_ring_cq_pop(&d->aring, cqe->sqhd);
	nvme_cmb_wr32(d, nvme_cq_doorbell(0, d->cap.dstrd), d->aring.cq_head);
	if (st != 0) {
		NVME_CMB_LOG(ERR, d, "admin opcode 0x%02x failed: status 0x%03x (SCT %u SC 0x%02x)",
			     cmd->opc, st, st >> 8, st & 0xff);
		return -EIO;
	}
	return 0;
}

static void
trim_ascii(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : ' ';
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/* One Identify into buf (cleared first): cns for what, nsid for which. */
static int
identify_cmd(struct nvme_cmb_dev *d, struct nvme_cmb_mem *buf, uint32_t cns,
		uint32_t nsid)
{
	struct nvme_sqe cmd;

	memset(buf->va, 0, buf->len);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_IDENTIFY;
	cmd.nsid = nsid;
	cmd.prp1 = buf->bus;
	cmd.cdw10 = cns;
	return nvme_cmb_admin(d, &cmd, NULL);
}

static int
identify(struct nvme_cmb_dev *d)
{
	struct nvme_cmb_mem buf = { 0 };
	const uint8_t *id;
	uint32_t lbaf, mdts, nsid, rtd3e;
	unsigned int flbas;
	int ret;

	ret = nvme_cmb_mem_host(d, &buf, "ident", 4096);
	if (ret != 0)
		return ret;
	id = buf.va;

	ret = identify_cmd(d, &buf, NVME_ID_CNS_CTRL, 0);
	if (ret != 0)
		goto out;
	trim_ascii(d->serial, id + NVME_IDC_SN, 20);
	trim_ascii(d->model, id + NVME_IDC_MN, 40);
	mdts = id[NVME_IDC_MDTS];
	/* MDTS is a power of two in units of CAP.MPSMIN; 0: no limit. */
	d->mdts_bytes = 0;
	if (mdts != 0)
		d->mdts_bytes = mdts < 20 && ((uint64_t)d->cap.mpsmin << mdts) < UINT32_MAX ?
			d->cap.mpsmin << mdts : UINT32_MAX & ~(d->cap.mpsmin - 1);
	/* RTD3E (microseconds; 0: not reported) bounds a normal shutdown. */
	memcpy(&rtd3e, id + NVME_IDC_RTD3E, sizeof(rtd3e));
	d->shutdown_ms = rtd3e == 0 ? NVME_CMB_SHUTDOWN_MS_DEFAULT :
		(rtd3e + 999) / 1000;
	if (d->shutdown_ms < 1000)
		d->shutdown_ms = 1000;
	if (d->shutdown_ms > NVME_CMB_SHUTDOWN_MS_MAX)
		d->shutdown_ms = NVME_CMB_SHUTDOWN_MS_MAX;

	ret = identify_cmd(d, &buf, NVME_ID_CNS_NS_ACTIVE, 0);
	if (ret != 0)
		goto out;
	memcpy(&nsid, id, sizeof(nsid));
	if (nsid == 0) {
		NVME_CMB_LOG(ERR, d, "the controller has no active namespace");
		ret = -ENODEV;
		goto out;
	}
	d->nsid = nsid;

	ret = identify_cmd(d, &buf, NVME_ID_CNS_NS, nsid);
	if (ret != 0)
		goto out;
	memcpy(&d->nb_lbas, id + NVME_IDN_NSZE, sizeof(d->nb_lbas));
	flbas = id[NVME_IDN_FLBAS] & 0xf;
	memcpy(&lbaf, id + NVME_IDN_LBAF + 4 * flbas, sizeof(lbaf));
	if ((lbaf & 0xffff) != 0) {
		NVME_CMB_LOG(ERR, d, "namespace %u uses %u bytes of metadata per block: not supported",
			     nsid, lbaf & 0xffff);
		ret = -ENOTSUP;
		goto out;
	}
	d->lba_size = 1u << ((lbaf >> 16) & 0xff);
	if (d->lba_size < 512 || d->lba_size > d->page_size ||
	    (d->mdts_bytes != 0 && d->lba_size > d->mdts_bytes)) {
		NVME_CMB_LOG(ERR, d, "namespace %u: block size %u not supported",
			     nsid, d->lba_size);
		ret = -ENOTSUP;
	}
out:
	nvme_cmb_mem_free(&buf);
	return ret;
}

/* One I/O queue pair: what the driver uses. */
static int
set_queue_count(struct nvme_cmb_dev *d)
{
	struct nvme_sqe cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_SET_FEATURES;
	cmd.cdw10 = NVME_FEAT_NUM_QUEUES;
	cmd.cdw11 = 0;	/* one SQ and one CQ, both 0-based */
	return nvme_cmb_admin(d, &cmd, NULL);
}

/* Admin queues, CC.EN, and the one I/O queue pair asked for. */
static int
ctrl_enable(struct nvme_cmb_dev *d)
{
	int ret;

	nvme_ring_init(&d->aring, NVME_CMB_ADMIN_DEPTH);
	memset(d->asq.va, 0, d->asq.len);
	memset(d->acq.va, 0, d->acq.len);
	nvme_cmb_wr32(d, NVME_REG_INTMS, UINT32_MAX);	/* polled: no interrupts */
	nvme_cmb_wr32(d, NVME_REG_AQA, (NVME_CMB_ADMIN_DEPTH - 1) << 16 |
			(NVME_CMB_ADMIN_DEPTH - 1));
	nvme_cmb_wr64(d, NVME_REG_ASQ, d->asq.bus);
	nvme_cmb_wr64(d, NVME_REG_ACQ, d->acq.bus);
	nvme_cmb_wr32(d, NVME_REG_CC, nvme_cc_enable(d->page_size));
	ret = wait_csts(d, NVME_CSTS_RDY, NVME_CSTS_RDY, d->cap.timeout_ms, "enable");
	return ret;
}

int
nvme_cmb_ctrl_init(struct nvme_cmb_dev *d)
{
	uint64_t cap;
	int ret;

	cap = nvme_cmb_rd64(d, NVME_REG_CAP);
	if (cap == UINT64_MAX) {
		NVME_CMB_LOG(ERR, d, "CAP reads all ones: BAR0 does not answer");
		return -EIO;
	}
	d->cap = nvme_cap_decode(cap);
	d->vs = nvme_cmb_rd32(d, NVME_REG_VS);
	if (!d->cap.css_nvm) {
		NVME_CMB_LOG(ERR, d, "the controller lacks the NVM command set (CAP.CSS)");
		return -ENOTSUP;
	}
	/* Our pages are 4 KiB unless the controller wants bigger. */
	d->page_size = d->cap.mpsmin > 4096 ? d->cap.mpsmin : 4096;
	if (d->page_size > d->cap.mpsmax) {
		NVME_CMB_LOG(ERR, d, "no usable memory page size (MPSMIN %u, MPSMAX %u)",
			     d->cap.mpsmin, d->cap.mpsmax);
		return -ENOTSUP;
	}
	/* The I/O queue's doorbells must lie inside the mapped BAR0. */
	if ((uint64_t)nvme_cq_doorbell(1, d->cap.dstrd) + 4 > d->bar0_len) {
		NVME_CMB_LOG(ERR, d, "doorbell stride %u bytes (CAP.DSTRD) puts queue 1's doorbells at 0x%x, past BAR0's %" PRIu64 " bytes",
			     d->cap.dstrd, nvme_cq_doorbell(1, d->cap.dstrd), d->bar0_len);
		return -ENOTSUP;
	}
	NVME_CMB_LOG(INFO, d, "NVMe %u.%u, CAP 0x%016" PRIx64 ": MQES %u, TO %u ms, DSTRD %u, MPSMIN %u, CMBS %u",
		     nvme_vs_major(d->vs), nvme_vs_minor(d->vs), cap, d->cap.mqes,
		     d->cap.timeout_ms, d->cap.dstrd, d->cap.mpsmin, d->cap.cmbs);

	ret = nvme_cmb_ctrl_disable(d);
	if (ret != 0)
		return ret;

	ret = nvme_cmb_mem_host(d, &d->asq, "asq",
			NVME_CMB_ADMIN_DEPTH * sizeof(struct nvme_sqe));
	if (ret == 0)
		ret = nvme_cmb_mem_host(d, &d->acq, "acq",
				NVME_CMB_ADMIN_DEPTH * sizeof(struct nvme_cqe));
	if (ret != 0)
		goto fail;
	ret = ctrl_enable(d);
	if (ret != 0)
		goto fail;

	ret = identify(d);
	if (ret == 0)
		ret = set_queue_count(d);
	if (ret != 0)
		goto fail;
	return 0;
fail:
	nvme_cmb_ctrl_disable(d);
	nvme_cmb_mem_free(&d->asq);
	nvme_cmb_mem_free(&d->acq);
	return ret;
}

/*
 * After a disable that dropped the I/O queues (a teardown the controller
 * did not answer): enable it again, with the CMB as it was.
 */
int
nvme_cmb_ctrl_reenable(struct nvme_cmb_dev *d)
{
	int ret;

	if (d->asq.va == NULL)
		return -ENODEV;
	ret = nvme_cmb_ctrl_disable(d);
	if (ret == 0)
		ret = ctrl_enable(d);
	if (ret == 0)
		ret = set_queue_count(d);
	if (ret == 0 && d->cmb_present)
		ret = nvme_cmb_cmb_enable(d);
	if (ret != 0) {
		NVME_CMB_LOG(ERR, d, "the controller did not come back after a reset: %s",
			     rte_strerror(-ret));
		return ret;
	}
	d->need_reset = false;
	NVME_CMB_LOG(NOTICE, d, "controller reset and enabled again");
	return 0;
}

/*
 * Normal shutdown (CC.SHN) bounded by RTD3E, then disable: leaves it
 * reusable. A removed controller is left alone: nothing it would answer
 * means anything.
 */
void
nvme_cmb_ctrl_fini(struct nvme_cmb_dev *d)
{
	uint32_t cc = nvme_cmb_rd32(d, NVME_REG_CC);

	if (nvme_cmb_ctrl_gone(d)) {
		NVME_CMB_LOG(WARNING, d, "the controller is gone (CSTS reads all ones): no shutdown");
	} else {
		if ((cc & NVME_CC_EN) &&
		    !(nvme_cmb_rd32(d, NVME_REG_CSTS) & NVME_CSTS_CFS)) {
			nvme_cmb_wr32(d, NVME_REG_CC,
				      (cc & ~NVME_CC_SHN_MASK) | NVME_CC_SHN_NORMAL);
			if (wait_csts(d, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_DONE,
				      d->shutdown_ms, "shutdown") != 0)
				NVME_CMB_LOG(WARNING, d, "shutdown did not complete; disabling anyway");
		}
		nvme_cmb_ctrl_disable(d);
	}
	nvme_cmb_mem_free(&d->asq);
	nvme_cmb_mem_free(&d->acq);
}
