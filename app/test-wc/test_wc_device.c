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
#include <bus_pci_driver.h>

#include "test_wc_device.h"

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
	.id_table = twc_any_id,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_WC_ACTIVATE,
	.probe = twc_probe,
	.remove = twc_remove,
};

RTE_PMD_REGISTER_PCI(dpdk_test_wc, twc_pci_driver);

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

void
twc_device_explain_missing(char *msg, size_t len)
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
	snprintf(msg, len, "PCI device %s (bound to %s) was not probed by dpdk-test-wc: another PMD claimed it or EAL could not map it (see the EAL log above)",
		 first->name, drv);
}

int
twc_device_pick_bar(const struct rte_pci_device *dev, int want, bool force,
		struct rte_pci_bar_info *info, char *msg, size_t len)
{
	struct rte_pci_bar_info bi;
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
	if (info->attr != RTE_PCI_BAR_UC && info->attr != RTE_PCI_BAR_WC) {
		snprintf(msg, len, "BAR%d of %s is not mmapped (%s: %s); the app needs a mapping",
			 want, twc_device_name(dev),
			 rte_pci_bar_attr_name(info->attr), info->reason);
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
