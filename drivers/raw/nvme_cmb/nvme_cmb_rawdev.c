/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe Controller Memory Buffer rawdev PMD: PCI probe/remove and the
 * rawdev ops table. The controller, CMB and data path live in
 * nvme_cmb_ctrl.c, nvme_cmb_cmb.c and nvme_cmb_io.c.
 *
 * The driver asks the bus for write-combining on its prefetchable BARs
 * (RTE_PCI_DRV_WC_ACTIVATE): with --pci-wc (or pci_wc=) and vfio-pci-wc
 * the CMB BAR comes back WC; otherwise uncached, and the driver works the
 * same with aligned stores.
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <bus_pci_driver.h>
#include <rte_rawdev.h>
#include <rte_rawdev_pmd.h>

#include "wc_dpdk_check.h"
#include "nvme_cmb_dev.h"
#include "nvme_cmb_args.h"

RTE_LOG_REGISTER(nvme_cmb_logtype, pmd.raw.nvme_cmb, NOTICE);

static struct nvme_cmb_dev *
dev_of(const struct rte_rawdev *rdev)
{
	return rdev->dev_private;
}

static int
nvme_cmb_info_get(struct rte_rawdev *rdev, rte_rawdev_obj_t dev_info,
		size_t size)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	struct rte_pmd_nvme_cmb_info *info = dev_info;

	if (info == NULL || size != sizeof(*info))
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->nsid = d->nsid;
	info->lba_size = d->lba_size;
	info->nb_lbas = d->nb_lbas;
	info->max_xfer = d->ioq.created ? d->ioq.max_xfer : nvme_cmb_conf_max_xfer(d, &d->conf);
	info->page_size = d->page_size;
	info->nvme_version_major = (uint16_t)nvme_vs_major(d->vs);
	info->nvme_version_minor = (uint8_t)nvme_vs_minor(d->vs);
	snprintf(info->model, sizeof(info->model), "%s", d->model);
	snprintf(info->serial, sizeof(info->serial), "%s", d->serial);
	if (d->cmb_present) {
		info->cmb_size = d->cmb.size;
		info->cmb_bar = (uint8_t)d->cmb.bir;
		info->cmb_offset = d->cmb.offset;
		info->cmb_legacy = d->cmb_legacy;
		info->cmb_sqs = d->cmb.sqs;
		info->cmb_wds = d->cmb.wds;
		info->cmb_rds = d->cmb.rds;
		info->cmb_wc = d->cmb_attr == WC_MMIO_WC;
		snprintf(info->cmb_reason, sizeof(info->cmb_reason), "%s", d->cmb_reason);
	}
	info->conf = d->conf;
	return 0;
}

/* New placement or depth: the queue pair is made anew at start. */
static int
nvme_cmb_configure(const struct rte_rawdev *rdev, rte_rawdev_obj_t config,
		size_t size)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	const struct rte_pmd_nvme_cmb_conf *conf = config;
	int ret;

	if (!d->live) {
		NVME_CMB_LOG(ERR, d, "configure: the device is closed");
		return -ENODEV;
	}
	if (d->started) {
		NVME_CMB_LOG(ERR, d, "configure: stop the device first");
		return -EBUSY;
	}
	if (conf == NULL)
		conf = &d->args_conf;	/* back to the device arguments */
	else if (size != sizeof(*conf)) {
		NVME_CMB_LOG(ERR, d, "configure: expected a struct rte_pmd_nvme_cmb_conf (%zu bytes), got %zu",
			     sizeof(*conf), size);
		return -EINVAL;
	}
	ret = nvme_cmb_conf_check(d, conf);
	if (ret != 0)
		return ret;
	nvme_cmb_ioq_destroy(d, -ECANCELED);
	d->conf = *conf;
	return 0;
}

/* Start and queue setup: a closed device has no admin queue left. */
static int
dev_usable(struct nvme_cmb_dev *d, const char *what)
{
	if (!d->live) {
		NVME_CMB_LOG(ERR, d, "%s: the device is closed", what);
		return -ENODEV;
	}
	if (d->need_reset)
		return nvme_cmb_ctrl_reenable(d);
	return 0;
}

static int
nvme_cmb_start(struct rte_rawdev *rdev)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	int ret;

	ret = dev_usable(d, "start");
	if (ret == 0)
		ret = nvme_cmb_ioq_create(d);
	if (ret != 0)
		return ret;
	d->started = true;
	return 0;
}

static void
nvme_cmb_stop(struct rte_rawdev *rdev)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	const struct nvme_cmb_ioq *q = &d->ioq;

	/*
	 * Ops in flight would complete into a queue nobody polls, and the
	 * controller could DMA into their buffers at any later time: delete
	 * the queues (which ends that), and the ops come back as aborted.
	 */
	if (q->created && q->nb_free + q->nb_lost != q->depth)
		nvme_cmb_ioq_destroy(d, -ECANCELED);
	d->started = false;
}

static int
nvme_cmb_queue_setup(struct rte_rawdev *rdev, uint16_t queue_id,
		rte_rawdev_obj_t queue_conf __rte_unused,
		size_t queue_conf_size __rte_unused)
{
	struct nvme_cmb_dev *d = dev_of(rdev);

	int ret;

	if (queue_id != 0) {
		NVME_CMB_LOG(ERR, d, "queue %u: the device has one queue (0)", queue_id);
		return -EINVAL;
	}
	ret = dev_usable(d, "queue setup");
	return ret != 0 ? ret : nvme_cmb_ioq_create(d);
}

static int
nvme_cmb_queue_release(struct rte_rawdev *rdev, uint16_t queue_id)
{
	struct nvme_cmb_dev *d = dev_of(rdev);

	if (queue_id != 0)
		return -EINVAL;
	if (d->started)
		return -EBUSY;
	nvme_cmb_ioq_destroy(d, -ECANCELED);
	return 0;
}

static uint16_t
nvme_cmb_queue_count(struct rte_rawdev *rdev __rte_unused)
{
	return 1;
}

static int
check_context(struct nvme_cmb_dev *d, rte_rawdev_obj_t context)
{
	if (context != NULL && *(const uint16_t *)context != 0) {
		NVME_CMB_LOG(ERR, d, "queue %u: the device has one queue (0)",
			     *(const uint16_t *)context);
		return -EINVAL;
	}
	return 0;
}

static int
nvme_cmb_enqueue_bufs(struct rte_rawdev *rdev, struct rte_rawdev_buf **bufs,
		unsigned int count, rte_rawdev_obj_t context)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	int ret = check_context(d, context);

	return ret != 0 ? ret : nvme_cmb_enqueue(d, bufs, count);
}

static int
nvme_cmb_dequeue_bufs(struct rte_rawdev *rdev, struct rte_rawdev_buf **bufs,
		unsigned int count, rte_rawdev_obj_t context)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	int ret = check_context(d, context);

	return ret != 0 ? ret : nvme_cmb_dequeue(d, bufs, count);
}

/* --- xstats --------------------------------------------------------------- */

/*
 * Each xstat's name and, for a counter, where it is in struct
 * nvme_cmb_stats; the gauges (XSTAT_GAUGE) are read off the device and
 * left alone by a reset.
 */
#define XSTAT_GAUGE SIZE_MAX
#define XSTAT_COUNTER(name, field) { name, offsetof(struct nvme_cmb_stats, field) }

static const struct {
	const char *name;
	size_t off;
} xstats[] = {
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_COMMANDS, commands),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_ERRORS, errors),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_TIMEOUTS, timeouts),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_BYTES_WRITTEN, bytes_written),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_BYTES_READ, bytes_read),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_DOORBELLS, doorbells),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_FLUSHES, flushes),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_SQE_STORES, sqe_stores),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_DATA_STORES, data_stores),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_PRP_STORES, prp_stores),
	{ RTE_PMD_NVME_CMB_XSTAT_CMB_BYTES_USED, XSTAT_GAUGE },
	{ RTE_PMD_NVME_CMB_XSTAT_CMB_WC, XSTAT_GAUGE },
	{ RTE_PMD_NVME_CMB_XSTAT_SQE_STORE_WIDTH, XSTAT_GAUGE },
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_BOUNCE_BYTES, bounce_bytes),
	XSTAT_COUNTER(RTE_PMD_NVME_CMB_XSTAT_ABORTED, aborted),
};

static uint64_t
xstat_gauge(const struct nvme_cmb_dev *d, const char *name)
{
	if (strcmp(name, RTE_PMD_NVME_CMB_XSTAT_CMB_BYTES_USED) == 0)
		return d->cmb_used;
	if (strcmp(name, RTE_PMD_NVME_CMB_XSTAT_CMB_WC) == 0)
		return d->cmb_present && d->cmb_attr == WC_MMIO_WC;
	return d->ioq.sq.in_cmb ? d->sqe_width : 0;	/* SQE store width */
}

static uint64_t
xstat_value(const struct nvme_cmb_dev *d, unsigned int id)
{
	if (id >= RTE_DIM(xstats))
		return UINT64_MAX;
	if (xstats[id].off == XSTAT_GAUGE)
		return xstat_gauge(d, xstats[id].name);
	return *(const uint64_t *)((const uint8_t *)&d->stats + xstats[id].off);
}

static int
nvme_cmb_xstats_get(const struct rte_rawdev *rdev, const unsigned int ids[],
		uint64_t values[], unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (ids[i] >= RTE_DIM(xstats))
			return (int)i;
		values[i] = xstat_value(dev_of(rdev), ids[i]);
	}
	return (int)n;
}

static int
nvme_cmb_xstats_get_names(const struct rte_rawdev *rdev __rte_unused,
		struct rte_rawdev_xstats_name *names, unsigned int size)
{
	unsigned int i;

	if (names == NULL || size < RTE_DIM(xstats))
		return RTE_DIM(xstats);
	for (i = 0; i < RTE_DIM(xstats); i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", xstats[i].name);
	return RTE_DIM(xstats);
}

static uint64_t
nvme_cmb_xstats_get_by_name(const struct rte_rawdev *rdev, const char *name,
		unsigned int *id)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(xstats); i++)
		if (strcmp(name, xstats[i].name) == 0) {
			if (id != NULL)
				*id = i;
			return xstat_value(dev_of(rdev), i);
		}
	if (id != NULL)
		*id = (unsigned int)-1;
	return UINT64_MAX;
}

/* ids NULL or nb_ids 0: every counter; else those named. */
static int
nvme_cmb_xstats_reset(struct rte_rawdev *rdev, const uint32_t ids[],
		uint32_t nb_ids)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	uint32_t i;

	if (ids == NULL || nb_ids == 0) {
		memset(&d->stats, 0, sizeof(d->stats));
		return 0;
	}
	for (i = 0; i < nb_ids; i++)
		if (ids[i] >= RTE_DIM(xstats)) {
			NVME_CMB_LOG(ERR, d, "xstats reset: no xstat %u (0..%zu)", ids[i],
				     RTE_DIM(xstats) - 1);
			return -EINVAL;
		}
	for (i = 0; i < nb_ids; i++)
		if (xstats[ids[i]].off != XSTAT_GAUGE)
			*(uint64_t *)((uint8_t *)&d->stats + xstats[ids[i]].off) = 0;
	return 0;
}

static int
nvme_cmb_dump(struct rte_rawdev *rdev, FILE *f)
{
	struct nvme_cmb_dev *d = dev_of(rdev);
	unsigned int i;

	fprintf(f, "nvme_cmb %s: '%s' ns %u, %" PRIu64 " x %u B; CMB %s; sq=%s data=%s qdepth=%u\n",
		d->name, d->model, d->nsid, d->nb_lbas, d->lba_size,
		d->cmb_present ? wc_mmio_attr_name(d->cmb_attr) : "none",
		nvme_cmb_place_name(d->conf.sq), nvme_cmb_place_name(d->conf.data),
		d->conf.qdepth);
	for (i = 0; i < RTE_DIM(xstats); i++)
		fprintf(f, "  %s: %" PRIu64 "\n", xstats[i].name, xstat_value(d, i));
	return 0;
}

static void
dev_release(struct nvme_cmb_dev *d)
{
	nvme_cmb_ioq_destroy(d, -ENODEV);
	nvme_cmb_cmb_fini(d);
	nvme_cmb_ctrl_fini(d);
}

static int
nvme_cmb_close(struct rte_rawdev *rdev)
{
	struct nvme_cmb_dev *d = dev_of(rdev);

	if (d->started) {
		NVME_CMB_LOG(ERR, d, "close: stop the device first");
		return -EBUSY;
	}
	if (d->live)
		dev_release(d);
	d->live = false;
	return 0;
}

static const struct rte_rawdev_ops nvme_cmb_ops = {
	.dev_info_get = nvme_cmb_info_get,
	.dev_configure = nvme_cmb_configure,
	.dev_start = nvme_cmb_start,
	.dev_stop = nvme_cmb_stop,
	.dev_close = nvme_cmb_close,
	.queue_setup = nvme_cmb_queue_setup,
	.queue_release = nvme_cmb_queue_release,
	.queue_count = nvme_cmb_queue_count,
	.enqueue_bufs = nvme_cmb_enqueue_bufs,
	.dequeue_bufs = nvme_cmb_dequeue_bufs,
	.dump = nvme_cmb_dump,
	.xstats_get = nvme_cmb_xstats_get,
	.xstats_get_names = nvme_cmb_xstats_get_names,
	.xstats_get_by_name = nvme_cmb_xstats_get_by_name,
	.xstats_reset = nvme_cmb_xstats_reset,
	.dev_selftest = nvme_cmb_selftest,
};

/* --- public helpers ---------------------------------------------------------- */

int
rte_pmd_nvme_cmb_dev_id(const char *pci_name)
{
	struct rte_rawdev *rdev;
	char name[RTE_RAWDEV_NAME_MAX_LEN];

	if (pci_name == NULL)
		return -EINVAL;
	snprintf(name, sizeof(name), "nvme_cmb_%s", pci_name);
	rdev = rte_rawdev_pmd_get_named_dev(name);
	return rdev == NULL ? -ENODEV : rdev->dev_id;
}

int
rte_pmd_nvme_cmb_run(uint16_t dev_id, struct rte_pmd_nvme_cmb_op *op)
{
	struct rte_rawdev *rdev;

	if (op == NULL || !rte_rawdev_pmd_is_valid_dev(dev_id))
		return -EINVAL;
	rdev = &rte_rawdevs[dev_id];
	if (rdev->dev_ops != &nvme_cmb_ops)
		return -EINVAL;	/* another driver's rawdev */
	return nvme_cmb_run_sync(dev_of(rdev), op);
}

/* --- PCI probe and remove ------------------------------------------------- */

#define PCI_LOG(level, pci, fmt, ...) \
	rte_log(RTE_LOG_ ## level, nvme_cmb_logtype, "nvme_cmb: %s: " fmt "\n", \
		(pci)->name, ##__VA_ARGS__)

/* Defaults the device arguments did not set, fitted to this controller. */
static void
fit_defaults(struct nvme_cmb_dev *d, const char *args)
{
	uint32_t x;

	if (!nvme_cmb_args_given(args, RTE_PMD_NVME_CMB_ARG_QDEPTH) &&
	    d->conf.qdepth > d->cap.mqes) {
		NVME_CMB_LOG(NOTICE, d, "qdepth %u lowered to %u, the controller's largest queue (CAP.MQES)",
			     d->conf.qdepth, d->cap.mqes);
		d->conf.qdepth = (uint16_t)d->cap.mqes;
	}
	x = d->conf.max_xfer;
	if (d->mdts_bytes != 0 && x > d->mdts_bytes) {
		NVME_CMB_LOG(NOTICE, d, "max_xfer %u lowered to %u, the controller's limit (MDTS)",
			     x, d->mdts_bytes);
		d->conf.max_xfer = d->mdts_bytes & ~(NVME_CMB_MAX_XFER_MIN - 1);
	}
}

int
nvme_cmb_dev_probe(struct rte_pci_device *pci)
{
	struct rte_pmd_nvme_cmb_conf conf;
	struct rte_rawdev *rdev;
	struct nvme_cmb_dev *d;
	char name[RTE_RAWDEV_NAME_MAX_LEN];
	char err[160];
	const char *args;
	bool self_test;
	int ret;

	/*
	 * Bringing the controller up starts with a reset (CC.EN=0): in a
	 * secondary process that would pull it from under the primary. The
	 * driver keeps its queues in one process, so it does not attach.
	 * A positive return tells the bus the device is not ours here.
	 */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		PCI_LOG(NOTICE, pci, "secondary process: the device belongs to the primary process, which drives it; not probed here");
		return 1;
	}
	args = pci->device.devargs != NULL ? pci->device.devargs->args : NULL;
	if (nvme_cmb_args_parse(args, &conf, &self_test, err, sizeof(err)) != 0) {
		PCI_LOG(ERR, pci, "%s", err);
		return -EINVAL;
	}
	if (pci->mem_resource[0].addr == NULL || pci->mem_resource[0].len < 0x2000) {
		PCI_LOG(ERR, pci, "BAR0 (registers) is not mapped");
		return -ENODEV;
	}
	snprintf(name, sizeof(name), "nvme_cmb_%s", pci->name);
	rdev = rte_rawdev_pmd_allocate(name, sizeof(*d), pci->device.numa_node);
	if (rdev == NULL) {
		PCI_LOG(ERR, pci, "cannot allocate the rawdev");
		return -ENOMEM;
	}
	d = rdev->dev_private;
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", pci->name);
	d->pci = pci;
	d->socket = pci->device.numa_node;
	d->bar0 = pci->mem_resource[0].addr;
	d->bar0_len = pci->mem_resource[0].len;
	d->conf = conf;
	/* Set now: releasing the rawdev on failure calls its close. */
	rdev->dev_ops = &nvme_cmb_ops;

	ret = nvme_cmb_ctrl_init(d);
	if (ret != 0)
		goto fail;
	fit_defaults(d, args);
	d->args_conf = d->conf;
	ret = nvme_cmb_cmb_init(d);
	if (ret == 0)
		ret = nvme_cmb_conf_check(d, &d->conf);
	if (ret != 0) {
		nvme_cmb_cmb_fini(d);
		nvme_cmb_ctrl_fini(d);
		goto fail;
	}
	d->live = true;
	rdev->device = &pci->device;
	rdev->driver_name = RTE_PMD_NVME_CMB_DRIVER_NAME;
	NVME_CMB_LOG(NOTICE, d, "rawdev %u: NVMe %u.%u '%s' ns %u: %" PRIu64 " blocks of %u B; CMB %s; sq=%s data=%s qdepth=%u max_xfer=%u",
		     rdev->dev_id, nvme_vs_major(d->vs), nvme_vs_minor(d->vs), d->model,
		     d->nsid, d->nb_lbas, d->lba_size,
		     d->cmb_present ? wc_mmio_attr_name(d->cmb_attr) : "none",
		     nvme_cmb_place_name(d->conf.sq), nvme_cmb_place_name(d->conf.data),
		     d->conf.qdepth, nvme_cmb_conf_max_xfer(d, &d->conf));
	if (self_test) {
		ret = rte_rawdev_selftest(rdev->dev_id);
		if (ret != 0) {
			NVME_CMB_LOG(ERR, d, "self_test=1: the selftest failed (%s)",
				     rte_strerror(ret < 0 ? -ret : ret));
			ret = ret < 0 ? ret : -EIO;
			goto fail;
		}
	}
	return 0;
fail:
	PCI_LOG(ERR, pci, "probe failed (%s); device released", rte_strerror(-ret));
	rte_rawdev_pmd_release(rdev);
	return ret;
}

int
nvme_cmb_dev_remove(struct rte_pci_device *pci)
{
	struct rte_rawdev *rdev;
	char name[RTE_RAWDEV_NAME_MAX_LEN];

	snprintf(name, sizeof(name), "nvme_cmb_%s", pci->name);
	rdev = rte_rawdev_pmd_get_named_dev(name);
	if (rdev == NULL)
		return -ENODEV;
	if (rdev->started)
		rte_rawdev_stop(rdev->dev_id);
	/* Closes the device (queues deleted, controller shut down). */
	return rte_rawdev_pmd_release(rdev);
}

static int
nvme_cmb_probe(struct rte_pci_driver *drv __rte_unused,
	       struct rte_pci_device *pci)
{
	return nvme_cmb_dev_probe(pci);
}

static int
nvme_cmb_remove(struct rte_pci_device *pci)
{
	return nvme_cmb_dev_remove(pci);
}

/* NVMe: class 01h (mass storage), subclass 08h (NVM), interface 02h. */
static const struct rte_pci_id nvme_cmb_pci_ids[] = {
	{ .class_id = 0x010802, .vendor_id = RTE_PCI_ANY_ID,
	  .device_id = RTE_PCI_ANY_ID, .subsystem_vendor_id = RTE_PCI_ANY_ID,
	  .subsystem_device_id = RTE_PCI_ANY_ID },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver nvme_cmb_pmd = {
	.id_table = nvme_cmb_pci_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_WC_ACTIVATE,
	.probe = nvme_cmb_probe,
	.remove = nvme_cmb_remove,
};

RTE_PMD_REGISTER_PCI(raw_nvme_cmb, nvme_cmb_pmd);
RTE_PMD_REGISTER_PCI_TABLE(raw_nvme_cmb, nvme_cmb_pci_ids);
RTE_PMD_REGISTER_KMOD_DEP(raw_nvme_cmb, "vfio-pci-wc | vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(raw_nvme_cmb,
	RTE_PMD_NVME_CMB_ARG_SQ "=host|cmb "
	RTE_PMD_NVME_CMB_ARG_DATA "=host|cmb "
	RTE_PMD_NVME_CMB_ARG_QDEPTH "=<2-1024> "
	RTE_PMD_NVME_CMB_ARG_TIMEOUT "=<1-60000> "
	RTE_PMD_NVME_CMB_ARG_MAX_XFER "=<4096-8388608> "
	RTE_PMD_NVME_CMB_ARG_SELFTEST "=0|1");
