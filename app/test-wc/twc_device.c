/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_log.h>
#include <rte_pci.h>
#include <bus_pci_driver.h>

#include "twc_device.h"
#ifdef TWC_HAVE_NVME_CMB
#include "rte_pmd_nvme_cmb.h"
#endif

/* Our driver's name, as EAL and the bus's WC reasons show it. */
#define TWC_PCI_DRIVER_NAME "dpdk_test_wc"

static struct rte_pci_device *twc_probed;

/*
 * Any device: what we drive is chosen by EAL's -a. A device the user did
 * not name (no devargs, e.g. when -a was forgotten) is declined, so the
 * app never maps BARs of devices it was not asked to touch.
 */
static const struct rte_pci_id twc_any_id[] = {
	{
		.class_id = RTE_CLASS_ANY_ID,
		.vendor_id = RTE_PCI_ANY_ID,
		.device_id = RTE_PCI_ANY_ID,
		.subsystem_vendor_id = RTE_PCI_ANY_ID,
		.subsystem_device_id = RTE_PCI_ANY_ID,
	},
	{ .vendor_id = 0 },
};

static int
twc_probe(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *dev)
{
	if (dev->device.devargs == NULL)
		return 1;
	if (twc_probed != NULL) {
		fprintf(stderr, "dpdk-test-wc: %s ignored: already driving %s (one device at a time)\n",
			dev->device.name, twc_probed->device.name);
		return 1;
	}
	twc_probed = dev;
	return 0;
}

static int
twc_remove(struct rte_pci_device *dev)
{
	if (dev == twc_probed)
		twc_probed = NULL;
	return 0;
}

static struct rte_pci_driver twc_pci_driver = {
	.driver = { .name = TWC_PCI_DRIVER_NAME },
	.id_table = twc_any_id,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_WC_ACTIVATE,
	.probe = twc_probe,
	.remove = twc_remove,
};

/*
 * Registered ahead of every PMD. The bus offers a device to its drivers
 * in the order they registered, and RTE_PMD_REGISTER_PCI registers from a
 * constructor of the lowest priority (RTE_PRIORITY_LAST); ours runs at
 * RTE_PRIORITY_CLASS, after the bus's own (RTE_PRIORITY_BUS), so in
 * raw-BAR mode the device named with -a comes to this driver even though
 * nvme_cmb, linked into the same binary, matches an NVMe controller too.
 */
RTE_INIT_PRIO(twc_pci_driver_register, CLASS)
{
	rte_pci_register(&twc_pci_driver);
}

void
twc_device_choose_driver(bool nvme)
{
#ifdef TWC_HAVE_NVME_CMB
	struct rte_pci_driver *d, *next;
#endif

	if (nvme) {
		/*
		 * Off the bus, so nvme_cmb alone is offered the device. A probe
		 * that declined (returned 1) would not do: the bus maps the BARs
		 * for a driver before its probe and unmaps them when it declines,
		 * which also drops the device's pci_wc= choice, so the next
		 * driver would get the BAR mapped as if pci_wc= had not been
		 * given.
		 */
		rte_pci_unregister(&twc_pci_driver);
		return;
	}
	/*
	 * Raw-BAR mode: keep nvme_cmb from bringing up NVMe controllers the
	 * user did not name (no -a at all, or a second device), as before it
	 * was linked in. It registered after us (see above), so it is found
	 * by walking on from our entry.
	 */
#ifdef TWC_HAVE_NVME_CMB
	for (d = RTE_TAILQ_NEXT(&twc_pci_driver, next); d != NULL; d = next) {
		next = RTE_TAILQ_NEXT(d, next);
		if (d->driver.name != NULL &&
		    strcmp(d->driver.name, RTE_PMD_NVME_CMB_DRIVER_NAME) == 0)
			rte_pci_unregister(d);
	}
#endif
}

struct rte_pci_device *
twc_device(void)
{
	return twc_probed;
}

const char *
twc_device_name(const struct rte_pci_device *dev)
{
	return dev->device.name;
}

void
twc_device_id(const struct rte_pci_device *dev, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%04x", dev->id.vendor_id, dev->id.device_id);
}

/* Kernel drivers through which DPDK's PCI bus can map a device. */
static bool
twc_usable_kdrv(const char *drv)
{
	static const char *const usable[] = {
		"vfio-pci-wc", "vfio-pci", "uio_pci_generic", "igb_uio", NULL,
	};
	unsigned int i;

	for (i = 0; usable[i] != NULL; i++)
		if (strcmp(drv, usable[i]) == 0)
			return true;
	return false;
}

int
twc_device_named(char *name, size_t len)
{
	struct rte_devargs *da;
	struct rte_pci_addr addr;

	RTE_EAL_DEVARGS_FOREACH("pci", da) {
		if (da->policy != RTE_DEV_ALLOWED)
			continue;
		/* "00:04.0" names the device the bus calls "0000:00:04.0". */
		if (rte_pci_addr_parse(da->name, &addr) == 0)
			rte_pci_device_name(&addr, name, len);
		else
			snprintf(name, len, "%s", da->name);
		return 0;
	}
	return -1;
}

void
twc_device_explain_missing(char *msg, size_t len, bool nvme)
{
	struct rte_devargs *da, *first = NULL;
	char path[PATH_MAX], link[PATH_MAX];
	const char *drv;
	ssize_t n;

	RTE_EAL_DEVARGS_FOREACH("pci", da) {
		if (da->policy == RTE_DEV_ALLOWED) {
			first = da;
			break;
		}
	}
	if (first == NULL) {
		snprintf(msg, len, "no device named: pass EAL option -a <PCI address> (e.g. -a 0000:00:04.0) before '--'");
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", first->name);
	if (access(path, F_OK) != 0) {
		snprintf(msg, len, "PCI device %s not found (no %s)",
			 first->name, path);
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
		 first->name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		snprintf(msg, len, "PCI device %s is not bound to a kernel driver: bind it to vfio-pci-wc (see doc/guides/app_test_wc.rst)",
			 first->name);
		return;
	}
	link[n] = '\0';
	drv = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	if (!twc_usable_kdrv(drv)) {
		snprintf(msg, len, "PCI device %s is bound to %s, which DPDK cannot map: bind it to vfio-pci-wc (see doc/guides/app_test_wc.rst)",
			 first->name, drv);
		return;
	}
	if (nvme)
		snprintf(msg, len, "PCI device %s (bound to %s) was not taken by the nvme_cmb PMD: it is not an NVMe controller, or the PMD's probe failed (see the EAL log above)",
			 first->name, drv);
	else
		snprintf(msg, len, "PCI device %s (bound to %s) was not probed by dpdk-test-wc: another PMD claimed it or EAL could not map it (see the EAL log above)",
			 first->name, drv);
}

int
twc_device_pick_bar(const struct rte_pci_device *dev, int want, bool force,
		struct rte_pci_wc_bar *info, char *msg, size_t len)
{
	struct rte_pci_wc_bar bi;
	unsigned int bar;
	int ret;

	if (want < 0) {
		for (bar = 0; bar < 6; bar++) {
			if (rte_pci_wc_bar_info(dev, bar, &bi) == 0 &&
			    bi.size != 0 && bi.memory && bi.prefetchable)
				break;
		}
		if (bar == 6) {
			snprintf(msg, len, "%s has no prefetchable memory BAR: name one with --bar (and --force if it is not prefetchable)",
				 twc_device_name(dev));
			return -1;
		}
		want = bar;
	}
	ret = rte_pci_wc_bar_info(dev, want, info);
	if (ret != 0) {
		snprintf(msg, len, "BAR%d of %s: no information from the PCI bus (%s)",
			 want, twc_device_name(dev), strerror(-ret));
		return -1;
	}
	if (info->size == 0 || !info->memory) {
		snprintf(msg, len, "BAR%d of %s is %s", want,
			 twc_device_name(dev),
			 info->size == 0 ? "not implemented" : "an I/O BAR");
		return -1;
	}
	if (!info->prefetchable && !force) {
		snprintf(msg, len, "BAR%d of %s is not prefetchable and may hold registers: add --force to write it anyway",
			 want, twc_device_name(dev));
		return -1;
	}
	if (info->attr != RTE_PCI_WC_ATTR_UC && info->attr != RTE_PCI_WC_ATTR_WC) {
		snprintf(msg, len, "BAR%d of %s is not mmapped (%s: %s); the app needs a mapping",
			 want, twc_device_name(dev),
			 rte_pci_wc_attr_name(info->attr), info->reason);
		return -1;
	}
	return 0;
}

struct rte_pci_device *
twc_device_reopen_wc(struct rte_pci_device *dev, char *msg, size_t len)
{
	char name[RTE_DEV_NAME_MAX_LEN], devargs[RTE_DEV_NAME_MAX_LEN + 32];
	int ret;

	snprintf(name, sizeof(name), "%s", dev->device.name);
	ret = rte_dev_remove(&dev->device);
	if (ret != 0) {
		snprintf(msg, len, "closing %s to reopen it WC failed: %s",
			 name, strerror(-ret));
		return NULL;
	}
	snprintf(devargs, sizeof(devargs), "%s,pci_wc=driver", name);
	ret = rte_dev_probe(devargs);
	if (ret != 0 || twc_probed == NULL) {
		snprintf(msg, len, "reopening %s with %s failed: %s", name,
			 devargs, strerror(ret ? -ret : ENODEV));
		return NULL;
	}
	return twc_probed;
}

int
twc_device_reprobe(struct rte_device *dev, const char *pci_wc, char *msg,
		size_t len)
{
	char name[RTE_DEV_NAME_MAX_LEN], args[256];
	char devargs[RTE_DEV_NAME_MAX_LEN + sizeof(args) + 32];
	const struct rte_devargs *da = dev->devargs;
	int ret;

	/*
	 * Both go with the device: removing it frees its devargs. What is
	 * left of them are the driver's own keys (the bus cut out pci_wc=).
	 */
	snprintf(name, sizeof(name), "%s", dev->name);
	snprintf(args, sizeof(args), "%s",
		 da != NULL && da->args != NULL ? da->args : "");
	ret = rte_dev_remove(dev);
	if (ret != 0) {
		snprintf(msg, len, "closing %s to probe it again failed: %s",
			 name, strerror(-ret));
		return -1;
	}
	snprintf(devargs, sizeof(devargs), "%s,%s%spci_wc=%s", name, args,
		 args[0] != '\0' ? "," : "", pci_wc);
	ret = rte_dev_probe(devargs);
	if (ret != 0) {
		snprintf(msg, len, "probing %s again with \"%s\" failed: %s",
			 name, devargs, strerror(-ret));
		return -1;
	}
	return 0;
}
