/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-device BAR records, the query API, the --pci-wc option and the
 * "pci_wc=" device argument. The VFIO and UIO files fill the records as
 * the bus maps BARs; drivers and applications read them here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>
#include <bus_pci_driver.h>

#include "pci_wc_hooks.h"
#include "pci_wc_private.h"

RTE_LOG_REGISTER_SUFFIX(pci_wc_logtype, wc, INFO);

/* Linux struct resource flags, as sysfs "resource" lists them. */
#define PCI_WC_IORESOURCE_IO		0x00000100
#define PCI_WC_IORESOURCE_MEM		0x00000200
#define PCI_WC_IORESOURCE_PREFETCH	0x00002000

struct pci_wc_dev {
	TAILQ_ENTRY(pci_wc_dev) next;
	const struct rte_pci_device *dev;
	bool has_devarg;
	enum pci_wc_mode devarg_mode;
	uint64_t res_flags[PCI_WC_NB_BARS];
	struct pci_wc_bar_rec bar[PCI_WC_NB_BARS];
};

static TAILQ_HEAD(, pci_wc_dev) pci_wc_devs = TAILQ_HEAD_INITIALIZER(pci_wc_devs);
static rte_spinlock_t pci_wc_lock = RTE_SPINLOCK_INITIALIZER;

/* The global mode from --pci-wc, once checked. */
static enum pci_wc_mode pci_wc_global = PCI_WC_MODE_UNSET;
static bool pci_wc_checked;

static int
pci_wc_eal_parse(const char *value)
{
	enum pci_wc_mode mode;

	if (pci_wc_mode_parse(value, &mode) < 0) {
		PCI_WC_LOG(ERR, "invalid --pci-wc value '%s' (accepted: "
			PCI_WC_MODE_VALUES ")", value);
		return -1;
	}
	pci_wc_global = mode;
	pci_wc_checked = true;
	return 0;
}

int
pci_wc_option_check(void)
{
	const char *value = rte_eal_pci_wc_arg();

	/*
	 * EAL calls the parser while it reads the command line when the bus
	 * is linked in; a bus loaded later as a plugin checks here instead.
	 */
	if (pci_wc_checked || value == NULL)
		return 0;
	return pci_wc_eal_parse(value);
}

static void
pci_wc_read_res_flags(const struct rte_pci_device *dev, struct pci_wc_dev *wdev)
{
	char path[PATH_MAX];
	char line[256];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s/resource",
		rte_pci_get_sysfs_path(), dev->name);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	for (i = 0; i < PCI_WC_NB_BARS && fgets(line, sizeof(line), f); i++) {
		uint64_t start, end, flags;

		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64,
				&start, &end, &flags) == 3)
			wdev->res_flags[i] = flags;
	}
	fclose(f);
}

static struct pci_wc_dev *
pci_wc_dev_find_locked(const struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev;

	TAILQ_FOREACH(wdev, &pci_wc_devs, next)
		if (wdev->dev == dev)
			return wdev;
	return NULL;
}

struct pci_wc_dev *
pci_wc_dev_find(const struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev;

	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	rte_spinlock_unlock(&pci_wc_lock);
	return wdev;
}

struct pci_wc_dev *
pci_wc_dev_get(const struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev, *found;

	wdev = pci_wc_dev_find(dev);
	if (wdev != NULL)
		return wdev;
	/* sysfs is read outside the lock; a racing creator wins */
	wdev = calloc(1, sizeof(*wdev));
	if (wdev == NULL) {
		PCI_WC_LOG(ERR, "%s: no memory for BAR records", dev->name);
		return NULL;
	}
	wdev->dev = dev;
	pci_wc_read_res_flags(dev, wdev);
	rte_spinlock_lock(&pci_wc_lock);
	found = pci_wc_dev_find_locked(dev);
	if (found == NULL)
		TAILQ_INSERT_TAIL(&pci_wc_devs, wdev, next);
	rte_spinlock_unlock(&pci_wc_lock);
	if (found != NULL) {
		free(wdev);
		return found;
	}
	return wdev;
}

struct pci_wc_bar_rec *
pci_wc_dev_bar(struct pci_wc_dev *wdev, int bar)
{
	if (wdev == NULL || bar < 0 || bar >= PCI_WC_NB_BARS)
		return NULL;
	return &wdev->bar[bar];
}

void
pci_wc_dev_release(struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev;

	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL)
		TAILQ_REMOVE(&pci_wc_devs, wdev, next);
	rte_spinlock_unlock(&pci_wc_lock);
	free(wdev);
}

void
pci_wc_dev_foreach(pci_wc_dev_fn fn, void *arg)
{
	struct pci_wc_dev *wdev;

	rte_spinlock_lock(&pci_wc_lock);
	TAILQ_FOREACH(wdev, &pci_wc_devs, next)
		fn(wdev->dev, wdev, arg);
	rte_spinlock_unlock(&pci_wc_lock);
}

int
pci_wc_dev_with(const char *name, pci_wc_dev_fn fn, void *arg)
{
	struct pci_wc_dev *wdev;
	int ret = -ENODEV;

	rte_spinlock_lock(&pci_wc_lock);
	TAILQ_FOREACH(wdev, &pci_wc_devs, next) {
		if (strcmp(wdev->dev->name, name) == 0) {
			fn(wdev->dev, wdev, arg);
			ret = 0;
			break;
		}
	}
	rte_spinlock_unlock(&pci_wc_lock);
	return ret;
}

void
pci_wc_devargs_take(struct rte_pci_device *dev)
{
	struct rte_devargs *da = dev->device.devargs;
	struct pci_wc_dev *wdev;
	enum pci_wc_mode mode;
	int ret;

	if (da == NULL || da->args == NULL || da->args[0] == '\0')
		return;
	/*
	 * The key belongs to the bus. Drivers that check their keys would
	 * reject it, so it is cut out of the string they get; args points
	 * into the devargs' own writable buffer.
	 */
	ret = pci_wc_devargs_extract((char *)(uintptr_t)da->args, &mode);
	if (ret == 0)
		return;
	if (ret < 0) {
		PCI_WC_LOG(ERR, "%s: invalid device argument in '%s' (accepted: "
			PCI_WC_DEVARG_KEY "=off|driver|all); ignored",
			dev->name, da->args);
		return;
	}
	wdev = pci_wc_dev_get(dev);
	if (wdev == NULL)
		return;
	wdev->has_devarg = true;
	wdev->devarg_mode = mode;
}

bool
pci_wc_bar_prefetchable(const struct pci_wc_dev *wdev, int bar)
{
	if (wdev == NULL || bar < 0 || bar >= PCI_WC_NB_BARS)
		return false;
	return (wdev->res_flags[bar] & PCI_WC_IORESOURCE_PREFETCH) != 0;
}

static bool
pci_wc_bar_memory(const struct pci_wc_dev *wdev, const struct rte_pci_device *dev,
		int bar)
{
	return (wdev->res_flags[bar] & PCI_WC_IORESOURCE_MEM) != 0 &&
		dev->mem_resource[bar].len != 0;
}

void
pci_wc_bar_facts(const struct rte_pci_device *dev, struct pci_wc_dev *wdev,
		int bar, enum pci_wc_access access, struct pci_wc_bar_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->access = access;
	f->mode = pci_wc_global;
	if (wdev->has_devarg) {
		f->mode = wdev->devarg_mode;
		f->mode_from_devarg = true;
	}
	f->memory = pci_wc_bar_memory(wdev, dev, bar);
	f->prefetchable = pci_wc_bar_prefetchable(wdev, bar);
	if (dev->driver != NULL) {
		f->driver = dev->driver->driver.name;
		f->driver_asks = (dev->driver->drv_flags &
				RTE_PCI_DRV_WC_ACTIVATE) != 0;
	}
}

void
pci_wc_bar_log(const struct rte_pci_device *dev, int bar,
		const struct pci_wc_bar_rec *rec, bool prefetchable)
{
	/* Prefetchable BARs are the ones WC is about: say what they got. */
	uint32_t level = prefetchable ? RTE_LOG_INFO : RTE_LOG_DEBUG;

	rte_log(level, pci_wc_logtype, "PCI_WC: %s BAR%d: %s via %s: %s\n",
		dev->name, bar, rte_pci_bar_attr_name(rec->attr),
		rte_pci_bar_path_name(rec->path), rec->reason);
}

const char *
rte_pci_bar_attr_name(enum rte_pci_bar_attr attr)
{
	switch (attr) {
	case RTE_PCI_BAR_UNMAPPED: return "unmapped";
	case RTE_PCI_BAR_UC: return "uc";
	case RTE_PCI_BAR_WC: return "wc";
	case RTE_PCI_BAR_SLOW_PATH: return "slow-path";
	}
	return "?";
}

const char *
rte_pci_bar_path_name(enum rte_pci_bar_path path)
{
	switch (path) {
	case RTE_PCI_BAR_PATH_NONE: return "none";
	case RTE_PCI_BAR_PATH_VFIO: return "vfio";
	case RTE_PCI_BAR_PATH_VFIO_WC_ALIAS: return "vfio-wc-alias";
	case RTE_PCI_BAR_PATH_UIO: return "uio";
	case RTE_PCI_BAR_PATH_UIO_WC: return "uio-wc";
	}
	return "?";
}

int
pci_wc_bar_info_locked(const struct rte_pci_device *dev, struct pci_wc_dev *wdev,
		unsigned int bar, struct rte_pci_bar_info *info)
{
	const struct pci_wc_bar_rec *rec;

	if (bar >= PCI_WC_NB_BARS)
		return -EINVAL;
	rec = &wdev->bar[bar];
	memset(info, 0, sizeof(*info));
	info->bar = bar;
	info->size = dev->mem_resource[bar].len;
	info->phys_addr = dev->mem_resource[bar].phys_addr;
	info->memory = pci_wc_bar_memory(wdev, dev, bar);
	info->prefetchable = pci_wc_bar_prefetchable(wdev, (int)bar);
	info->attr = rec->attr;
	info->path = rec->path;
	info->addr = rec->addr;
	info->region = rec->region;
	if (rec->reason[0] != '\0')
		strlcpy(info->reason, rec->reason, sizeof(info->reason));
	else if (info->size == 0)
		strlcpy(info->reason, "not implemented", sizeof(info->reason));
	else if (wdev->res_flags[bar] & PCI_WC_IORESOURCE_IO)
		strlcpy(info->reason, "I/O BAR: use rte_pci_ioport_*()",
			sizeof(info->reason));
	else
		strlcpy(info->reason, "not mapped by the bus", sizeof(info->reason));
	return 0;
}

int
rte_pci_wc_bar_info(const struct rte_pci_device *dev, unsigned int bar,
		struct rte_pci_bar_info *info)
{
	struct pci_wc_dev *wdev;
	int ret = -ENODEV;

	if (dev == NULL || info == NULL || bar >= PCI_WC_NB_BARS)
		return -EINVAL;
	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL)
		ret = pci_wc_bar_info_locked(dev, wdev, bar, info);
	rte_spinlock_unlock(&pci_wc_lock);
	return ret;
}

RTE_INIT(pci_wc_init)
{
	rte_eal_pci_wc_parser_register(pci_wc_eal_parse);
}
