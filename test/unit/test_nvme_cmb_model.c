/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The nvme_cmb PMD against a register-level NVMe controller model
 * (nvme_ctrl_model.c), for what QEMU's one controller cannot show:
 * CMBSZ/CMBLOC bits QEMU never sets, odd CAP geometry, controllers that
 * hang, go away, answer late or fail, and the driver's own bookkeeping
 * (its synchronous run, aborted ops, the done list, memzones, logs).
 *
 * Real EAL (no hugepages, no PCI bus scan, IOVA as VA: a host bus address
 * is the buffer's virtual address, which the model dereferences), the
 * real rawdev library, the driver's sources built with
 * NVME_CMB_REG_HOOKS so the model sees every register access, and a PCI
 * device record of the test's own whose BAR0 and CMB BAR are the model's
 * memory. Everything a device touches is still proven in the guest rig.
 *
 * Each check names the driver defect it covers (issue 22's numbering).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_rawdev.h>
#include <bus_pci_driver.h>

#include "nvme_cmb_dev.h"
#include "nvme_ctrl_model.h"
#include "test_nvme_cmb_check.h"

#define BDF "0000:00:04.0"

/* --- the model behind the driver's hooks --------------------------------- */

static struct nvme_model *cur;
static struct nvme_model_cfg cur_cfg;
static enum rte_pci_wc_attr cur_attr = RTE_PCI_WC_ATTR_WC;

void
nvme_cmb_hook_reg_read(volatile const uint8_t *bar0 __rte_unused, uint32_t off)
{
	nvme_model_reg_read(cur, off);
}

void
nvme_cmb_hook_reg_written(volatile const uint8_t *bar0 __rte_unused, uint32_t off)
{
	nvme_model_reg_written(cur, off, 4);
}

int
nvme_cmb_hook_bar_info(const struct rte_pci_device *dev, unsigned int bar,
		struct rte_pci_wc_bar *info)
{
	memset(info, 0, sizeof(*info));
	info->bar = bar;
	info->size = dev->mem_resource[bar].len;
	info->memory = true;
	info->prefetchable = true;
	if (dev->mem_resource[bar].addr == NULL)
		return -ENODEV;
	info->addr = dev->mem_resource[bar].addr;
	info->phys_addr = dev->mem_resource[bar].phys_addr;
	info->attr = cur_attr;
	snprintf(info->reason, sizeof(info->reason), "the test's controller model");
	return 0;
}

static struct rte_pci_device pci;
static uint64_t bar0_mapped;	/* BAR0 bytes the driver gets, when not all */
static struct rte_devargs devargs;
static char args_buf[256];

/* A model with cfg, and the device probed on it with args. */
static int
dev_up(const struct nvme_model_cfg *cfg, const char *args, int *dev_id)
{
	unsigned int bir;

	cur_cfg = *cfg;
	cur = nvme_model_create(cfg);
	if (cur == NULL)
		return -ENOMEM;
	memset(&pci, 0, sizeof(pci));
	snprintf(pci.name, sizeof(pci.name), BDF);
	pci.device.name = pci.name;
	pci.device.numa_node = SOCKET_ID_ANY;
	pci.mem_resource[0].addr = (void *)(uintptr_t)nvme_model_bar0(cur);
	pci.mem_resource[0].len = bar0_mapped != 0 ? bar0_mapped : cfg->bar0_size;
	if (cfg->cmbsz != 0) {
		bir = cfg->cmbloc & 7;
		pci.mem_resource[bir].addr = nvme_model_cmb_bar(cur);
		pci.mem_resource[bir].len = cfg->cmb_bar_size;
		pci.mem_resource[bir].phys_addr = cfg->cmb_bar_bus;
	}
	memset(&devargs, 0, sizeof(devargs));
	snprintf(args_buf, sizeof(args_buf), "%s", args != NULL ? args : "");
	devargs.args = args_buf;
	pci.device.devargs = &devargs;
	*dev_id = -1;
	if (nvme_cmb_dev_probe(&pci) != 0)
		return -EIO;
	*dev_id = rte_pmd_nvme_cmb_dev_id(BDF);
	return *dev_id < 0 ? *dev_id : 0;
}

static void
dev_down(void)
{
	if (rte_pmd_nvme_cmb_dev_id(BDF) >= 0)
		nvme_cmb_dev_remove(&pci);
	nvme_model_destroy(cur);
	cur = NULL;
}

static struct nvme_cmb_dev *
dev_priv(int id)
{
	return rte_rawdevs[id].dev_private;
}

static int
dev_start(int id)
{
	int ret = rte_rawdev_queue_setup((uint16_t)id, 0, NULL, 0);

	return ret != 0 ? ret : rte_rawdev_start((uint16_t)id);
}

static int
dev_configure(int id, enum rte_pmd_nvme_cmb_place sq, enum rte_pmd_nvme_cmb_place data,
		uint16_t qdepth, uint32_t max_xfer)
{
	struct rte_pmd_nvme_cmb_info ni;
	struct rte_rawdev_info info = { .dev_private = &ni };
	struct rte_pmd_nvme_cmb_conf conf;

	rte_rawdev_stop((uint16_t)id);
	if (rte_rawdev_info_get((uint16_t)id, &info, sizeof(ni)) != 0)
		return -EIO;
	conf = ni.conf;
	conf.sq = sq;
	conf.data = data;
	if (qdepth != 0)
		conf.qdepth = qdepth;
	if (max_xfer != 0)
		conf.max_xfer = max_xfer;
	info.dev_private = &conf;
	return rte_rawdev_configure((uint16_t)id, &info, sizeof(conf));
}

static uint32_t
info_max_xfer(int id)
{
	struct rte_pmd_nvme_cmb_info ni;
	struct rte_rawdev_info info = { .dev_private = &ni };

	return rte_rawdev_info_get((uint16_t)id, &info, sizeof(ni)) == 0 ? ni.max_xfer : 0;
}

static uint64_t
xstat(int id, const char *name)
{
	return rte_rawdev_xstats_by_name_get((uint16_t)id, name, NULL);
}

static void
fill(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static void
op_set(struct rte_pmd_nvme_cmb_op *op, uint8_t opc, uint64_t lba, uint32_t nb,
		uint32_t len, uint16_t off, void *buf)
{
	memset(op, 0, sizeof(*op));
	op->opcode = opc;
	op->lba = lba;
	op->nb_lbas = nb;
	op->len = len;
	op->page_offset = off;
	op->buf = buf;
}

/* Write len bytes at lba through run(), check them in the model's disk. */
static bool
write_lands(int id, uint64_t lba, uint32_t nb, uint16_t off, uint8_t *buf, uint32_t seed)
{
	struct rte_pmd_nvme_cmb_op op;
	uint32_t len = nb << cur_cfg.lba_shift;

	fill(buf, len, seed);
	op_set(&op, RTE_PMD_NVME_CMB_OP_WRITE, lba, nb, len, off, buf);
	if (rte_pmd_nvme_cmb_run((uint16_t)id, &op) != 0 || op.status != 0) {
		printf("  write LBA %" PRIu64 " x %u: result %d status 0x%x\n",
		       lba, nb, op.result, op.status);
		return false;
	}
	return memcmp(nvme_model_disk(cur) + (lba << cur_cfg.lba_shift), buf, len) == 0;
}

/* Read back what write_lands() put there, through run(). */
static bool
read_matches(int id, uint64_t lba, uint32_t nb, uint16_t off, uint8_t *buf)
{
	struct rte_pmd_nvme_cmb_op op;
	uint32_t len = nb << cur_cfg.lba_shift;

	memset(buf, 0x5a, len);
	op_set(&op, RTE_PMD_NVME_CMB_OP_READ, lba, nb, len, off, buf);
	if (rte_pmd_nvme_cmb_run((uint16_t)id, &op) != 0 || op.status != 0)
		return false;
	return memcmp(nvme_model_disk(cur) + (lba << cur_cfg.lba_shift), buf, len) == 0;
}

static unsigned int
violations(const char **first)
{
	return nvme_model_violations(cur, first);
}

/* A QEMU-like controller: 1.4 CMB of 64 MiB in BAR2, CDPMLS and CDPCILS. */
static void
cfg_default(struct nvme_model_cfg *c)
{
	nvme_model_cfg_default(c);
	c->to = 2;	/* 1 s: a timeout test waits that long, not 7.5 s */
}

#define MIB (1u << 20)

/* --- the tests ------------------------------------------------------------ */

/* 1: run() returns its own op only, and leaves others for dequeue. */
static void
t_run_own_op(void)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_op a, b;
	struct rte_rawdev_buf ab = { .buf_addr = &a }, *in = &ab, *out[4];
	uint8_t *wa = rte_malloc(NULL, 4096, 0), *rb = rte_malloc(NULL, 4096, 0);
	int id, n;

	cfg_default(&c);
	CHECK(dev_up(&c, "qdepth=8", &id) == 0 && dev_start(id) == 0, "1: probe and start");
	fill(wa, 4096, 1);
	memcpy(nvme_model_disk(cur) + 100 * 512, wa, 4096);	/* what b reads */
	op_set(&a, RTE_PMD_NVME_CMB_OP_WRITE, 8, 1, 512, 0, wa);
	CHECK(rte_rawdev_enqueue_buffers((uint16_t)id, &in, 1, NULL) == 1, "1: enqueue a");
	op_set(&b, RTE_PMD_NVME_CMB_OP_READ, 100, 8, 4096, 0, rb);
	b.status = 0x1234;
	CHECK(rte_pmd_nvme_cmb_run((uint16_t)id, &b) == 0 && b.status == 0 &&
	      memcmp(rb, wa, 4096) == 0,
	      "1: run(b) returns with b complete and its data in place (status 0x%x)", b.status);
	n = rte_rawdev_dequeue_buffers((uint16_t)id, out, 4, NULL);
	CHECK(n == 1 && out[0] == &ab, "1: dequeue returns the application's op a (%d ops, first %s)",
	      n, n > 0 ? (out[0] == &ab ? "a" : "not a") : "none");
	rte_free(wa);
	rte_free(rb);
	dev_down();
}

/* 3: PRP lists only where CMBSZ.LISTS and CMBLOC.CDPMLS/CDPCILS allow. */
static void
t_list_place(const char *what, uint32_t cmbsz_clear, uint32_t cmbloc_clear,
		enum rte_pmd_nvme_cmb_place sq, bool list_possible)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_op op;
	uint8_t *buf = rte_malloc(NULL, 64 * 1024, 0);
	const char *v = NULL;
	uint32_t page;
	int id;

	cfg_default(&c);
	c.cmbsz &= ~cmbsz_clear;
	c.cmbloc &= ~cmbloc_clear;
	CHECK(dev_up(&c, NULL, &id) == 0, "3 %s: probe", what);
	CHECK(dev_configure(id, sq, RTE_PMD_NVME_CMB_CMB, 8, 0) == 0 && dev_start(id) == 0,
	      "3 %s: data=cmb configures and starts", what);
	page = dev_priv(id)->page_size;
	if (list_possible) {
		/* 5 pages at an offset: a list of 5 entries. */
		CHECK(write_lands(id, 64, 40, 512, buf, 3) && read_matches(id, 64, 40, 1024, buf),
		      "3 %s: a 20 KiB op with a PRP list lands byte-exact", what);
	} else {
		CHECK(info_max_xfer(id) == page, "3 %s: ops limited to a page (max_xfer %u)",
		      what, info_max_xfer(id));
		op_set(&op, RTE_PMD_NVME_CMB_OP_WRITE, 64, 40, 40 * 512, 0, buf);
		CHECK(rte_pmd_nvme_cmb_run((uint16_t)id, &op) == -EINVAL &&
		      op.status == RTE_PMD_NVME_CMB_STATUS_REJECTED,
		      "3 %s: an op that needs a list is rejected before submission", what);
		CHECK(write_lands(id, 64, 8, 0, buf, 4), "3 %s: a page op still works", what);
	}
	CHECK(violations(&v) == 0, "3 %s: the controller saw no CMB rule broken (%s)",
	      what, v != NULL ? v : "");
	rte_free(buf);
	dev_down();
}

static unsigned int zones_at_reset;
static unsigned int resets_seen;

static void
count_zone(const struct rte_memzone *mz, void *arg)
{
	if (strncmp(mz->name, "nvcmb", 5) == 0 &&
	    (strstr(mz->name, "_iosq") != NULL || strstr(mz->name, "_iocq") != NULL ||
	     strstr(mz->name, "_slots") != NULL || strstr(mz->name, "_data") != NULL))
		(*(unsigned int *)arg)++;
}

/* The I/O queues' memory still allocated when the controller is reset? */
static void
on_reset(void *arg __rte_unused, unsigned int outstanding)
{
	unsigned int n = 0;

	if (outstanding == 0)
		return;
	rte_memzone_walk(count_zone, &n);
	zones_at_reset = n;
	resets_seen++;
}

static double
ms_since(uint64_t t0)
{
	return (double)(rte_get_timer_cycles() - t0) * 1000.0 / (double)rte_get_timer_hz();
}

/* 4: teardown of a hung, a removed and a fatal controller. */
static void
t_teardown(void)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_op op;
	struct rte_rawdev_buf ob = { .buf_addr = &op }, *in = &ob;
	uint8_t *buf = rte_malloc(NULL, 4096, 0);
	struct nvme_sqe cmd;
	uint64_t t0;
	double ms;
	int id;

	/* A controller that is ready but completes nothing. */
	cfg_default(&c);
	CHECK(dev_up(&c, NULL, &id) == 0 && dev_start(id) == 0, "4 hung: probe and start");
	nvme_model_on_reset(cur, on_reset, NULL);
	nvme_model_fault(cur, NVME_MODEL_HANG);
	op_set(&op, RTE_PMD_NVME_CMB_OP_WRITE, 0, 1, 512, 0, buf);
	CHECK(rte_rawdev_enqueue_buffers((uint16_t)id, &in, 1, NULL) == 1, "4 hung: enqueue");
	zones_at_reset = 0;
	resets_seen = 0;
	rte_rawdev_stop((uint16_t)id);
	rte_rawdev_close((uint16_t)id);
	CHECK(resets_seen > 0 && zones_at_reset > 0,
	      "4 hung: the controller was disabled while the queues' memory was still allocated (resets with commands out: %u, I/O memzones then: %u)",
	      resets_seen, zones_at_reset);
	dev_down();

	/* Surprise removal: all ones. */
	cfg_default(&c);
	c.to = 15;	/* 7.5 s, QEMU's: waiting on it would show */
	CHECK(dev_up(&c, NULL, &id) == 0 && dev_start(id) == 0, "4 removed: probe and start");
	nvme_model_fault(cur, NVME_MODEL_REMOVED);
	t0 = rte_get_timer_cycles();
	rte_rawdev_stop((uint16_t)id);
	rte_rawdev_close((uint16_t)id);
	ms = ms_since(t0);
	CHECK(ms < 1000, "4 removed: stop and close took %.0f ms (CAP.TO is 7500)", ms);
	dev_down();

	/* Fatal status while an admin command waits. */
	cfg_default(&c);
	c.to = 15;
	CHECK(dev_up(&c, NULL, &id) == 0, "4 fatal: probe");
	nvme_model_fault(cur, NVME_MODEL_FATAL);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_IDENTIFY;
	cmd.cdw10 = NVME_ID_CNS_CTRL;
	cmd.prp1 = dev_priv(id)->acq.bus;	/* never written: nothing runs */
	t0 = rte_get_timer_cycles();
	CHECK(nvme_cmb_admin(dev_priv(id), &cmd, NULL) != 0, "4 fatal: the admin command fails");
	ms = ms_since(t0);
	CHECK(ms < 1000, "4 fatal: it failed after %.0f ms (CAP.TO is 7500)", ms);
	dev_down();
	rte_free(buf);
}

/* 5: a late admin completion is not taken for the next command's. */
static void
t_admin_cid(void)
{
	struct nvme_model_cfg c;
	struct nvme_cmb_mem idbuf = { 0 };
	struct nvme_sqe cmd;
	int id, r1, r2;

	cfg_default(&c);
	CHECK(dev_up(&c, NULL, &id) == 0, "5: probe");
	CHECK(nvme_cmb_mem_host(dev_priv(id), &idbuf, "t5", 4096) == 0, "5: memory");
	nvme_model_fault(cur, NVME_MODEL_LATE_ADMIN);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_IDENTIFY;
	cmd.cdw10 = NVME_ID_CNS_CTRL;
	cmd.prp1 = idbuf.bus;
	r1 = nvme_cmb_admin(dev_priv(id), &cmd, NULL);
	/* The next command fails; the held (successful) completion comes first. */
	nvme_model_fail_next(cur, true, NVME_ADM_SET_FEATURES, NVMM_SC_INVALID_FIELD, 1);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_SET_FEATURES;
	cmd.cdw10 = NVME_FEAT_NUM_QUEUES;
	r2 = nvme_cmb_admin(dev_priv(id), &cmd, NULL);
	CHECK(r1 == -ETIMEDOUT, "5: the held command timed out (%d)", r1);
	CHECK(r2 == -EIO, "5: the next command reports its own failure, not the late success (%d)", r2);
	nvme_cmb_mem_free(&idbuf);
	dev_down();
}

/* 6: ops in flight come back aborted at stop; the selftest refuses. */
static void
t_aborted(void)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_op op[3];
	struct rte_rawdev_buf b[3], *in[3], *out[4];
	uint8_t *buf = rte_malloc(NULL, 4096, 0);
	unsigned int i, nb_ab = 0;
	int id, n;

	cfg_default(&c);
	CHECK(dev_up(&c, "timeout_ms=60000", &id) == 0 && dev_start(id) == 0, "6: probe and start");
	nvme_model_fault(cur, NVME_MODEL_IO_HANG);
	for (i = 0; i < 3; i++) {
		op_set(&op[i], RTE_PMD_NVME_CMB_OP_WRITE, i, 1, 512, 0, buf);
		b[i].buf_addr = &op[i];
		in[i] = &b[i];
	}
	CHECK(rte_rawdev_enqueue_buffers((uint16_t)id, in, 3, NULL) == 3, "6: enqueue 3");
	CHECK(rte_rawdev_selftest((uint16_t)id) == -EBUSY, "6: the selftest refuses while ops are out");
	rte_rawdev_stop((uint16_t)id);
	n = rte_rawdev_dequeue_buffers((uint16_t)id, out, 4, NULL);
	for (i = 0; i < 3; i++)
		nb_ab += op[i].status == RTE_PMD_NVME_CMB_STATUS_ABORTED &&
			op[i].result == -ECANCELED;
	CHECK(n == 3 && nb_ab == 3, "6: after stop, dequeue returns the 3 ops aborted (%d back, %u aborted)",
	      n, nb_ab);
	nvme_model_fault(cur, NVME_MODEL_OK);
	CHECK(dev_start(id) == 0 && write_lands(id, 10, 1, 0, buf, 6),
	      "6: the device starts again and works");
	rte_free(buf);
	dev_down();
}

/* Runs fn in a child: a defect there may crash, which must count as a failure. */
static int
in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int
start_after_close(void *arg)
{
	int id = *(int *)arg;

	return rte_rawdev_start((uint16_t)id) == -ENODEV ? 0 : 1;
}

/* 7: start after close returns -ENODEV. */
static void
t_start_after_close(void)
{
	struct nvme_model_cfg c;
	int id, r;

	cfg_default(&c);
	CHECK(dev_up(&c, NULL, &id) == 0, "7: probe");
	rte_rawdev_close((uint16_t)id);
	r = in_child(start_after_close, &id);
	CHECK(r == 0, "7: start after close returns -ENODEV (child: %s %d)",
	      r >= 1000 ? "signal" : "exit", r >= 1000 ? r - 1000 : r);
	dev_down();
}

static int
first_msl(const struct rte_memseg_list *msl, void *arg)
{
	*(uint64_t *)arg = (uint64_t)(uintptr_t)msl->base_va;
	return 1;
}

/* 8: a CMB window on host IOVAs (IOVA as VA) is not used. */
static void
t_iova_alias(void)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_info ni;
	struct rte_rawdev_info info = { .dev_private = &ni };
	struct nvme_model_stats st;
	uint8_t *buf = rte_malloc(NULL, 8192, 0);
	uint64_t base = 0;
	const char *v = NULL;
	int id;

	rte_memseg_list_walk(first_msl, &base);
	cfg_default(&c);
	c.cmb_bar_bus = base;
	CHECK(dev_up(&c, NULL, &id) == 0, "8: probe");
	CHECK(rte_rawdev_info_get((uint16_t)id, &info, sizeof(ni)) == 0 && ni.cmb_size == 0,
	      "8: the CMB over host IOVAs is not used (cmb_size %" PRIu64 ")", ni.cmb_size);
	CHECK(dev_start(id) == 0 && write_lands(id, 5, 16, 0, buf, 8) && read_matches(id, 5, 16, 0, buf),
	      "8: data=host lands byte-exact");
	nvme_model_stats(cur, &st);
	CHECK(st.cmb_data_bytes == 0 && violations(&v) == 0,
	      "8: no host data went to the CMB (%" PRIu64 " bytes; %s)", st.cmb_data_bytes,
	      v != NULL ? v : "no violation");
	rte_free(buf);
	dev_down();
}

/*
 * The model's register space holds the doorbells CAP.DSTRD=15 places, the
 * driver's mapping of BAR0 only 16 KiB, as a real BAR of that size would.
 */
static int
probe_dstrd(void *arg __rte_unused)
{
	struct nvme_model_cfg c;
	uint32_t acq_db = 0x1000 + (4u << 15);	/* admin CQ head doorbell */
	int id, r;

	cfg_default(&c);
	c.dstrd = 15;
	c.bar0_size = 0x1000 + 10 * (4u << 15);	/* room for the model's 4 queues */
	bar0_mapped = 16 * 1024;
	r = dev_up(&c, NULL, &id);
	bar0_mapped = 0;
	if (cur == NULL)
		return 2;
	return r != 0 && *(volatile uint32_t *)(nvme_model_bar0(cur) + acq_db) == 0 ? 0 : 1;
}

/* 9: geometry the QEMU controller never has. */
static void
t_geometry(void)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_info ni;
	struct rte_rawdev_info info = { .dev_private = &ni };
	uint8_t *buf = rte_malloc(NULL, 64 * 1024, 0);
	const char *v = NULL;
	int id, r;

	/* CAP.MQES + 1 = 16 < the default qdepth 32. */
	cfg_default(&c);
	c.mqes = 15;
	r = dev_up(&c, NULL, &id);
	CHECK(r == 0 && rte_rawdev_info_get((uint16_t)id, &info, sizeof(ni)) == 0 &&
	      ni.conf.qdepth == 16, "9 MQES: probe succeeds with qdepth lowered to 16 (%d, %u)",
	      r, r == 0 ? ni.conf.qdepth : 0);
	dev_down();

	/* The CMB footprint, checked at configure. */
	cfg_default(&c);
	c.mdts = 0;
	CHECK(dev_up(&c, NULL, &id) == 0, "9 footprint: probe");
	r = dev_configure(id, RTE_PMD_NVME_CMB_HOST, RTE_PMD_NVME_CMB_CMB, 64, 2 * MIB);
	CHECK(r == -ENOSPC, "9 footprint: data=cmb qdepth=64 max_xfer=2M on 64 MiB fails at configure (%d)", r);
	dev_down();

	/* CMBSZ larger than the BAR. */
	cfg_default(&c);
	c.cmbsz = (c.cmbsz & 0xfff) | (128u << NVMM_CMBSZ_SZ_SHIFT);
	CHECK(dev_up(&c, NULL, &id) == 0 && rte_rawdev_info_get((uint16_t)id, &info, sizeof(ni)) == 0 &&
	      ni.cmb_size == 64ull * MIB, "9 clamp: a 128 MiB CMBSZ in a 64 MiB BAR gives 64 MiB (%" PRIu64 ")",
	      ni.cmb_size);
	CHECK(dev_configure(id, RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_CMB, 8, 0) == 0 &&
	      dev_start(id) == 0 && write_lands(id, 0, 64, 4, buf, 9),
	      "9 clamp: sq=cmb data=cmb works");
	dev_down();

	/* MPSMIN 8 KiB, and the CMB 4 KiB into its BAR. */
	cfg_default(&c);
	c.mpsmin = 1;
	c.cmbsz = NVMM_CMBSZ_SQS | NVMM_CMBSZ_LISTS | NVMM_CMBSZ_RDS | NVMM_CMBSZ_WDS |
		(0u << NVMM_CMBSZ_SZU_SHIFT) | (8192u << NVMM_CMBSZ_SZ_SHIFT);	/* 32 MiB */
	c.cmbloc = (c.cmbloc & 0xfff) | (1u << 12);	/* offset one 4 KiB unit */
	CHECK(dev_up(&c, NULL, &id) == 0, "9 MPS: probe");
	CHECK(dev_configure(id, RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_CMB, 4, 0) == 0 &&
	      dev_start(id) == 0 && write_lands(id, 0, 64, 8, buf, 10) && read_matches(id, 0, 64, 0, buf),
	      "9 MPS: 8 KiB pages with the CMB 4 KiB into the BAR work");
	CHECK(violations(&v) == 0, "9 MPS: no rule broken (%s)", v != NULL ? v : "");
	dev_down();

	/* CAP.DSTRD = 15: queue 1's doorbells past BAR0's 16 KiB. */
	r = in_child(probe_dstrd, NULL);
	CHECK(r == 0, "9 DSTRD: the probe fails cleanly, nothing written past BAR0 (child %d)", r);
	rte_free(buf);
}

static char logbuf[1 << 16];
static FILE *logf;

static void
log_capture(void)
{
	memset(logbuf, 0, sizeof(logbuf));
	logf = fmemopen(logbuf, sizeof(logbuf) - 1, "w");
	rte_openlog_stream(logf);
}

static unsigned int
log_release(const char *needle)
{
	unsigned int n = 0;
	const char *p = logbuf;

	fflush(logf);
	rte_openlog_stream(stdout);
	fclose(logf);
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p++;
	}
	return n;
}

static int
no_ready_probe(void *arg __rte_unused)
{
	struct nvme_model_cfg c;
	const char *v = NULL;
	int id;

	cfg_default(&c);
	c.to = 1;		/* 500 ms */
	c.ready_delay_ms = 800;
	dev_up(&c, NULL, &id);
	return violations(&v) == 0 ? 0 : 1;
}

/* 10: the smaller ones. */
static void
t_smaller(void)
{
	struct nvme_model_cfg c;
	struct rte_pmd_nvme_cmb_op op[100];
	struct rte_rawdev_buf b[100], *in[100], *out[100];
	uint8_t *buf = rte_malloc(NULL, 4096, 0);
	unsigned int i, before = 0, after = 0, lines;
	uint32_t ids[1];
	int id, r;

	/*
	 * Memzones: slots share them. At two per slot, two devices at
	 * qdepth 1024 would take 4096 of DPDK's 2560.
	 */
	cfg_default(&c);
	rte_memzone_walk(count_zone, &before);
	CHECK(dev_up(&c, "qdepth=256", &id) == 0 && dev_start(id) == 0,
	      "10 memzones: qdepth=256 starts");
	rte_memzone_walk(count_zone, &after);
	CHECK(after - before <= 256 / 2, "10 memzones: %u memzones for 256 slots", after - before);

	/* xstats reset of one id leaves the others. */
	CHECK(write_lands(id, 0, 1, 0, buf, 11), "10 xstats: a write");
	ids[0] = 0;	/* commands */
	rte_rawdev_xstats_reset((uint16_t)id, ids, 1);
	CHECK(xstat(id, RTE_PMD_NVME_CMB_XSTAT_COMMANDS) == 0 &&
	      xstat(id, RTE_PMD_NVME_CMB_XSTAT_DOORBELLS) != 0,
	      "10 xstats: resetting 'commands' leaves 'doorbells' (%" PRIu64 ")",
	      xstat(id, RTE_PMD_NVME_CMB_XSTAT_DOORBELLS));

	/* Data-path errors are not logged per op. */
	for (i = 0; i < 100; i++) {
		op_set(&op[i], RTE_PMD_NVME_CMB_OP_WRITE, UINT64_MAX / 2, 1, 512, 0, buf);
		b[i].buf_addr = &op[i];
		in[i] = &b[i];
	}
	log_capture();
	r = rte_rawdev_enqueue_buffers((uint16_t)id, in, 100, NULL);
	rte_rawdev_dequeue_buffers((uint16_t)id, out, 100, NULL);
	lines = log_release("past the namespace");
	CHECK(r == 100 && lines <= 2, "10 logs: 100 rejected ops logged %u lines", lines);
	dev_down();

	/* configure(NULL) goes back to the device arguments. */
	cfg_default(&c);
	CHECK(dev_up(&c, "qdepth=8", &id) == 0 && dev_configure(id, RTE_PMD_NVME_CMB_HOST,
	      RTE_PMD_NVME_CMB_HOST, 4, 0) == 0, "10 configure: qdepth=4");
	{
		struct rte_pmd_nvme_cmb_info ni;
		struct rte_rawdev_info info = { .dev_private = NULL };

		r = rte_rawdev_configure((uint16_t)id, &info, 0);
		info.dev_private = &ni;
		rte_rawdev_info_get((uint16_t)id, &info, sizeof(ni));
		CHECK(r == 0 && ni.conf.qdepth == 8, "10 configure: NULL restores qdepth=8 (%d, %u)",
		      r, ni.conf.qdepth);
	}
	dev_down();

	/* Probe errors under the driver's logtype. */
	cfg_default(&c);
	rte_log_set_level_pattern("pmd.raw.nvme_cmb", RTE_LOG_EMERG);
	log_capture();
	r = dev_up(&c, "qdepth=bogus", &id);
	lines = log_release("qdepth=bogus");
	rte_log_set_level_pattern("pmd.raw.nvme_cmb", RTE_LOG_NOTICE);
	CHECK(r != 0 && lines == 0, "10 logtype: a devargs error is silenced with pmd.raw.nvme_cmb (%u lines)",
	      lines);
	dev_down();

	/*
	 * Shutdown bounded by RTD3E (2 s here), not CAP.TO (500 ms): a
	 * controller that takes 1.2 s to flush finishes its shutdown.
	 */
	cfg_default(&c);
	c.to = 1;
	c.rtd3e_us = 2000000;
	c.shutdown_delay_ms = 1200;
	CHECK(dev_up(&c, NULL, &id) == 0, "10 RTD3E: probe");
	log_capture();
	rte_rawdev_close((uint16_t)id);
	lines = log_release("shutdown did not complete");
	{
		struct nvme_model_stats st;

		nvme_model_stats(cur, &st);
		CHECK(lines == 0 && st.shutdowns == 1,
		      "10 RTD3E: a 1.2 s shutdown completes (%u warnings, %" PRIu64 " shutdowns done)",
		      lines, st.shutdowns);
	}
	dev_down();

	/* EN is not cleared while RDY is still 0. */
	r = in_child(no_ready_probe, NULL);
	CHECK(r == 0, "10 EN/RDY: a slow enable is not cut short by clearing EN (child %d)", r);
	rte_free(buf);
}

/* Ops up to MDTS with PRP lists, chained ones, byte-exact in the disk. */
static void
t_mdts(void)
{
	struct nvme_model_cfg c;
	struct nvme_model_stats st;
	uint8_t *buf = rte_malloc(NULL, 4 * MIB, 4096);
	int id;

	cfg_default(&c);	/* MDTS 7: 512 KiB */
	CHECK(dev_up(&c, NULL, &id) == 0 && dev_start(id) == 0, "mdts: probe and start");
	CHECK(info_max_xfer(id) == 512 * 1024, "mdts: max_xfer is 512 KiB (%u)", info_max_xfer(id));
	CHECK(write_lands(id, 1000, 1024, 12, buf, 12) && read_matches(id, 1000, 1024, 0, buf),
	      "mdts: a 512 KiB op at page offset 12 lands byte-exact");
	dev_down();

	cfg_default(&c);
	c.mdts = 0;
	CHECK(dev_up(&c, "max_xfer=4194304,qdepth=4", &id) == 0 && dev_start(id) == 0,
	      "chain: max_xfer=4M probes and starts");
	CHECK(write_lands(id, 4096, 6144, 2048, buf, 13) && read_matches(id, 4096, 6144, 4, buf),
	      "chain: a 3 MiB op lands byte-exact");
	nvme_model_stats(cur, &st);
	CHECK(st.prp_chains >= 2, "chain: the controller followed %" PRIu64 " chain pointers",
	      st.prp_chains);
	CHECK(dev_configure(id, RTE_PMD_NVME_CMB_CMB, RTE_PMD_NVME_CMB_CMB, 4, 0) == 0 &&
	      dev_start(id) == 0 && write_lands(id, 12000, 6144, 100, buf, 14) &&
	      read_matches(id, 12000, 6144, 0, buf), "chain: the same with lists in the CMB");
	dev_down();
	rte_free(buf);
}

/* data=host: zero copy from rte_malloc memory, bounce from malloc memory. */
static void
t_zero_copy(void)
{
	struct nvme_model_cfg c;
	uint8_t *dpdk = rte_malloc(NULL, 32768 + 4096, 4096);
	uint8_t *plain = malloc(32768 + 4096);
	uint64_t b0;
	int id;

	cfg_default(&c);
	CHECK(dev_up(&c, NULL, &id) == 0 && dev_start(id) == 0, "zc: probe and start");
	b0 = xstat(id, RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES);
	CHECK(write_lands(id, 200, 64, 0, dpdk + 8, 15) && read_matches(id, 200, 64, 0, dpdk + 8),
	      "zc: rte_malloc buffer at +8: byte-exact");
	CHECK(xstat(id, RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES) == b0,
	      "zc: bounce_bytes stayed %" PRIu64 " (now %" PRIu64 ")", b0,
	      xstat(id, RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES));
	CHECK(write_lands(id, 400, 64, 64, plain + 4, 16) && read_matches(id, 400, 64, 0, plain + 4),
	      "zc: malloc buffer: byte-exact");
	CHECK(xstat(id, RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES) == b0 + 2 * 32768,
	      "zc: bounce_bytes grew by both ops' bytes (%" PRIu64 ")",
	      xstat(id, RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES) - b0);
	dev_down();
	rte_free(dpdk);
	free(plain);
}

int
main(int argc __rte_unused, char **argv)
{
	char *eal[] = { argv[0], "--no-huge", "-m", "512", "--no-pci", "--iova-mode=va",
		"--no-shconf", "-l", "0", "--log-level=lib.eal:error", NULL };

	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		printf("FAIL: rte_eal_init\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	if (getenv("NVME_MODEL_DEBUG_DSTRD") != NULL)
		return probe_dstrd(NULL);
	t_run_own_op();
	t_list_place("LISTS=0", NVMM_CMBSZ_LISTS, 0, RTE_PMD_NVME_CMB_HOST, true);
	t_list_place("CDPCILS=0", 0, NVMM_CMBLOC_CDPCILS, RTE_PMD_NVME_CMB_HOST, true);
	t_list_place("CDPCILS=0 sq=cmb", 0, NVMM_CMBLOC_CDPCILS, RTE_PMD_NVME_CMB_CMB, true);
	t_list_place("LISTS=0 CDPMLS=0", NVMM_CMBSZ_LISTS, NVMM_CMBLOC_CDPMLS,
		     RTE_PMD_NVME_CMB_CMB, false);
	t_teardown();
	t_admin_cid();
	t_aborted();
	t_start_after_close();
	t_iova_alias();
	t_geometry();
	t_smaller();
	t_mdts();
	t_zero_copy();
	rte_eal_cleanup();
	return check_summary();
}
