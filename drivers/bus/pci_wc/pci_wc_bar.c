/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-device BAR records, the query API, the --pci-wc option and the
 * "pci_wc=" device argument. The VFIO and UIO files fill the records as
 * the bus maps BARs; drivers and applications read them here.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_memzone.h>
#include <rte_pause.h>
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
	/* The key; readers never follow it (the device may be gone). */
	const struct rte_pci_device *dev;
	char name[sizeof(((struct pci_wc_name *)0)->s)];
	struct pci_wc_devarg devarg;
	bool mapped;		/* a BAR was recorded since the last unmap */
	uint64_t res_flags[PCI_WC_NB_BARS];
	uint64_t size[PCI_WC_NB_BARS];
	uint64_t phys[PCI_WC_NB_BARS];
	struct pci_wc_bar_rec bar[PCI_WC_NB_BARS];
};

static TAILQ_HEAD(, pci_wc_dev) pci_wc_devs = TAILQ_HEAD_INITIALIZER(pci_wc_devs);
static rte_spinlock_t pci_wc_lock = RTE_SPINLOCK_INITIALIZER;

static_assert(RTE_PCI_WC_REASON_LEN == PCI_WC_REASON_LEN,
	"the public and the bus's reason buffers differ");

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
pci_wc_read_res_flags(const struct rte_pci_device *dev, uint64_t *res_flags)
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
			res_flags[i] = flags;
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

/*
 * The device's record, created if missing; called and returned with the
 * lock held. sysfs and the device are read by the caller beforehand, in
 * fresh (so nothing slow happens under the lock). NULL only on ENOMEM.
 */
static struct pci_wc_dev *
pci_wc_dev_get_locked(const struct rte_pci_device *dev, struct pci_wc_dev **fresh)
{
	struct pci_wc_dev *wdev = pci_wc_dev_find_locked(dev);

	if (wdev == NULL && *fresh != NULL) {
		wdev = *fresh;
		*fresh = NULL;
		TAILQ_INSERT_TAIL(&pci_wc_devs, wdev, next);
	}
	return wdev;
}

/* A new record for dev, filled from the device and sysfs; not listed. */
static struct pci_wc_dev *
pci_wc_dev_new(const struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev = calloc(1, sizeof(*wdev));
	int i;

	if (wdev == NULL) {
		PCI_WC_LOG(ERR, "%s: no memory for BAR records", dev->name);
		return NULL;
	}
	wdev->dev = dev;
	strlcpy(wdev->name, dev->name, sizeof(wdev->name));
	for (i = 0; i < PCI_WC_NB_BARS; i++) {
		wdev->size[i] = dev->mem_resource[i].len;
		wdev->phys[i] = dev->mem_resource[i].phys_addr;
	}
	pci_wc_read_res_flags(dev, wdev->res_flags);
	return wdev;
}

/* Is there a record of dev? Only then can a new one be skipped. */
static bool
pci_wc_dev_known(const struct rte_pci_device *dev)
{
	bool known;

	rte_spinlock_lock(&pci_wc_lock);
	known = pci_wc_dev_find_locked(dev) != NULL;
	rte_spinlock_unlock(&pci_wc_lock);
	return known;
}

/*
 * What the primary recorded, published for secondary processes in a
 * memzone per device, so that a secondary reports each BAR with the
 * primary's own reason rather than a guess.
 */
struct pci_wc_shared_bar {
	uint32_t attr;
	uint32_t path;
	char reason[PCI_WC_REASON_LEN];
};

struct pci_wc_shared {
	struct pci_wc_shared_bar bar[PCI_WC_NB_BARS];
};

static void
pci_wc_shared_name(const struct rte_pci_device *dev, char *name, size_t len)
{
	snprintf(name, len, "pci_wc_%s", dev->name);
}

/* Primary: publish one BAR's record (the memzone is made on first use). */
static void
pci_wc_shared_publish(const struct rte_pci_device *dev, int bar,
		const struct pci_wc_bar_rec *rec)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct pci_wc_shared_bar *sb;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return;
	pci_wc_shared_name(dev, name, sizeof(name));
	mz = rte_memzone_lookup(name);
	if (mz == NULL)
		mz = rte_memzone_reserve(name, sizeof(struct pci_wc_shared),
			SOCKET_ID_ANY, 0);
	if (mz == NULL)
		return;	/* secondaries then say less, nothing breaks */
	sb = &((struct pci_wc_shared *)mz->addr)->bar[bar];
	sb->attr = rec->attr;
	sb->path = rec->path;
	strlcpy(sb->reason, rec->reason, sizeof(sb->reason));
}

static void
pci_wc_shared_drop(const struct rte_pci_device *dev)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return;
	pci_wc_shared_name(dev, name, sizeof(name));
	mz = rte_memzone_lookup(name);
	if (mz != NULL)
		rte_memzone_free(mz);
}

void
pci_wc_shared_reason(const struct rte_pci_device *dev, int bar,
		struct pci_wc_bar_rec *rec, const char *fallback)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	const struct pci_wc_shared_bar *sb;

	pci_wc_shared_name(dev, name, sizeof(name));
	mz = rte_memzone_lookup(name);
	sb = mz != NULL ? &((const struct pci_wc_shared *)mz->addr)->bar[bar] : NULL;
	/* the primary's words, when they describe what this process got */
	if (sb != NULL && sb->attr == (uint32_t)rec->attr &&
			sb->path == (uint32_t)rec->path && sb->reason[0] != '\0')
		strlcpy(rec->reason, sb->reason, sizeof(rec->reason));
	else if (fallback != rec->reason)
		strlcpy(rec->reason, fallback, sizeof(rec->reason));
}

int
pci_wc_shared_attr(const struct rte_pci_device *dev, int bar)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	pci_wc_shared_name(dev, name, sizeof(name));
	mz = rte_memzone_lookup(name);
	if (mz == NULL)
		return -1;
	return (int)((const struct pci_wc_shared *)mz->addr)->bar[bar].attr;
}

int
pci_wc_rec_load(const struct rte_pci_device *dev, int bar,
		struct pci_wc_bar_rec *rec)
{
	struct pci_wc_dev *wdev;
	int ret = -ENODEV;

	memset(rec, 0, sizeof(*rec));
	if (bar < 0 || bar >= PCI_WC_NB_BARS)
		return -EINVAL;
	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL) {
		*rec = wdev->bar[bar];
		ret = 0;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	return ret;
}

void
pci_wc_rec_store(const struct rte_pci_device *dev, int bar,
		const struct pci_wc_bar_rec *rec)
{
	struct pci_wc_dev *fresh = NULL, *wdev;

	if (bar < 0 || bar >= PCI_WC_NB_BARS)
		return;
	if (!pci_wc_dev_known(dev))
		fresh = pci_wc_dev_new(dev);
	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_get_locked(dev, &fresh);
	if (wdev != NULL) {
		wdev->bar[bar] = *rec;
		wdev->mapped = true;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	free(fresh);	/* a racing creator won */
	pci_wc_shared_publish(dev, bar, rec);
}

/* rte_pci_unmap_device(), or a map that failed half-way. */
void
pci_wc_dev_unmapped(struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev;

	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL) {
		/* the device argument stays: the next driver may map it */
		memset(wdev->bar, 0, sizeof(wdev->bar));
		wdev->mapped = false;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	pci_wc_shared_drop(dev);
}

/* pci_free(): whatever path frees the device, its record goes first. */
void
pci_wc_dev_release(struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev;

	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL)
		TAILQ_REMOVE(&pci_wc_devs, wdev, next);
	rte_spinlock_unlock(&pci_wc_lock);
	if (wdev != NULL && wdev->mapped)
		pci_wc_shared_drop(dev);
	free(wdev);
}

void
pci_wc_dev_unplugged(struct rte_pci_device *dev)
{
	struct pci_wc_dev *wdev;
	unsigned int tries;
	const char *what;
	int bar;

	/* UIO BARs now point at anonymous memory; VFIO's go on release */
	what = dev->kdrv == RTE_PCI_KDRV_VFIO ?
		"device hot-unplugged: the kernel asked for its release; the mapping stays until the application removes the device" :
		"device hot-unplugged: the BAR was replaced by anonymous memory (accesses reach no device)";
	/*
	 * The bus also calls this from its SIGBUS handler, which may have
	 * interrupted this very thread inside the lock: never wait for it
	 * unboundedly there.
	 */
	for (tries = 0; !rte_spinlock_trylock(&pci_wc_lock); tries++) {
		if (tries == 1000000) {
			PCI_WC_LOG(ERR, "%s: hot-unplugged, but its records are busy; they still show the old mappings",
				dev->name);
			return;
		}
		rte_pause();
	}
	wdev = pci_wc_dev_find_locked(dev);
	for (bar = 0; wdev != NULL && bar < PCI_WC_NB_BARS; bar++) {
		struct pci_wc_bar_rec *rec = &wdev->bar[bar];

		if (rec->attr == RTE_PCI_WC_ATTR_UNMAPPED || rec->unplugged)
			continue;
		rec->attr = RTE_PCI_WC_ATTR_UNMAPPED;
		rec->unplugged = true;
		strlcpy(rec->reason, what, sizeof(rec->reason));
	}
	rte_spinlock_unlock(&pci_wc_lock);
	if (wdev != NULL)
		PCI_WC_LOG(INFO, "%s: hot-unplugged; its BARs are recorded as unmapped",
			dev->name);
}

struct pci_wc_name *
pci_wc_dev_names(unsigned int *n)
{
	struct pci_wc_name *names = NULL, *grown;
	struct pci_wc_dev *wdev;
	unsigned int count, tries;

	*n = 0;
	/* count, allocate outside the lock, fill if the count still holds */
	for (tries = 0; tries < 8; tries++) {
		count = 0;
		rte_spinlock_lock(&pci_wc_lock);
		TAILQ_FOREACH(wdev, &pci_wc_devs, next)
			count += wdev->mapped;
		rte_spinlock_unlock(&pci_wc_lock);
		grown = realloc(names, (count + 1) * sizeof(*names));
		if (grown == NULL)
			break;
		names = grown;
		rte_spinlock_lock(&pci_wc_lock);
		*n = 0;
		TAILQ_FOREACH(wdev, &pci_wc_devs, next) {
			if (!wdev->mapped)
				continue;
			if (*n == count) {
				*n = count + 1;	/* grew meanwhile: again */
				break;
			}
			memcpy(names[(*n)++].s, wdev->name, sizeof(names->s));
		}
		rte_spinlock_unlock(&pci_wc_lock);
		if (*n <= count)
			return names;
	}
	free(names);
	*n = 0;
	return NULL;
}

int
pci_wc_devargs_take(struct rte_pci_device *dev)
{
	struct rte_devargs *da = dev->device.devargs;
	struct pci_wc_dev *fresh = NULL, *wdev;
	struct pci_wc_devarg st = { 0 };
	char *args;
	int ret;

	/* args points into the devargs' own writable buffer */
	args = da != NULL ? (char *)(uintptr_t)da->args : NULL;
	if (!pci_wc_dev_known(dev))
		fresh = pci_wc_dev_new(dev);
	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL)
		st = wdev->devarg;
	/*
	 * The key belongs to the bus: every occurrence is cut out of the
	 * string before a driver looks, so drivers that check their keys
	 * never see it.
	 */
	ret = pci_wc_devarg_take(&st, args);
	if (ret >= 0 && (wdev != NULL || st.set)) {
		wdev = pci_wc_dev_get_locked(dev, &fresh);
		if (wdev != NULL)
			wdev->devarg = st;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	free(fresh);
	if (ret < 0) {
		PCI_WC_LOG(ERR, "%s: invalid device argument in '%s': "
			PCI_WC_DEVARG_KEY " accepts " PCI_WC_MODE_VALUES
			" (given once, or repeated with the same value)",
			dev->name, args);
		return -EINVAL;
	}
	return 0;
}

/* Memory BAR test on a record's copies (not the device). */
static bool
pci_wc_rec_memory(const struct pci_wc_dev *wdev, int bar)
{
	return (wdev->res_flags[bar] & PCI_WC_IORESOURCE_MEM) != 0 &&
		wdev->size[bar] != 0;
}

/*
 * BAR bar's resource flags: the record's copy, or sysfs read once for a
 * device the bus has no record of yet (its first BAR).
 */
static uint64_t
pci_wc_bar_flags(const struct rte_pci_device *dev, int bar)
{
	uint64_t flags[PCI_WC_NB_BARS] = { 0 };
	struct pci_wc_dev *wdev;
	bool known;

	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	known = wdev != NULL;
	if (known)
		memcpy(flags, wdev->res_flags, sizeof(flags));
	rte_spinlock_unlock(&pci_wc_lock);
	if (!known)
		pci_wc_read_res_flags(dev, flags);
	return flags[bar];
}

bool
pci_wc_bar_prefetchable(const struct rte_pci_device *dev, int bar)
{
	if (bar < 0 || bar >= PCI_WC_NB_BARS)
		return false;
	return (pci_wc_bar_flags(dev, bar) & PCI_WC_IORESOURCE_PREFETCH) != 0;
}

bool
pci_wc_bar_is_io(const struct rte_pci_device *dev, int bar)
{
	if (bar < 0 || bar >= PCI_WC_NB_BARS)
		return false;
	return (pci_wc_bar_flags(dev, bar) & PCI_WC_IORESOURCE_IO) != 0;
}

void
pci_wc_bar_facts(const struct rte_pci_device *dev, int bar,
		enum pci_wc_access access, struct pci_wc_bar_facts *f)
{
	struct pci_wc_dev *wdev;
	uint64_t flags;

	memset(f, 0, sizeof(*f));
	f->access = access;
	f->mode = pci_wc_global;
	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL && wdev->devarg.set) {
		f->mode = wdev->devarg.mode;
		f->mode_from_devarg = true;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	flags = pci_wc_bar_flags(dev, bar);
	f->memory = (flags & PCI_WC_IORESOURCE_MEM) != 0 &&
		dev->mem_resource[bar].len != 0;
	f->prefetchable = (flags & PCI_WC_IORESOURCE_PREFETCH) != 0;
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
		dev->name, bar, rte_pci_wc_attr_name(rec->attr),
		rte_pci_wc_path_name(rec->path), rec->reason);
}

const char *
rte_pci_wc_attr_name(enum rte_pci_wc_attr attr)
{
	switch (attr) {
	case RTE_PCI_WC_ATTR_UNMAPPED: return "unmapped";
	case RTE_PCI_WC_ATTR_UC: return "uc";
	case RTE_PCI_WC_ATTR_WC: return "wc";
	case RTE_PCI_WC_ATTR_SLOW_PATH: return "slow-path";
	}
	return "?";
}

const char *
rte_pci_wc_path_name(enum rte_pci_wc_path path)
{
	switch (path) {
	case RTE_PCI_WC_PATH_NONE: return "none";
	case RTE_PCI_WC_PATH_VFIO: return "vfio";
	case RTE_PCI_WC_PATH_VFIO_WC_ALIAS: return "vfio-wc-alias";
	case RTE_PCI_WC_PATH_UIO: return "uio";
	case RTE_PCI_WC_PATH_UIO_WC: return "uio-wc";
	}
	return "?";
}

/* info for one BAR from a record; the lock is held. */
static void
pci_wc_info_locked(const struct pci_wc_dev *wdev, unsigned int bar,
		struct rte_pci_wc_bar *info)
{
	const struct pci_wc_bar_rec *rec = &wdev->bar[bar];

	memset(info, 0, sizeof(*info));
	info->bar = bar;
	info->size = wdev->size[bar];
	info->phys_addr = wdev->phys[bar];
	info->memory = pci_wc_rec_memory(wdev, bar);
	info->prefetchable = (wdev->res_flags[bar] & PCI_WC_IORESOURCE_PREFETCH) != 0;
	info->unplugged = rec->unplugged;
	info->attr = rec->attr;
	info->path = rec->path;
	info->addr = rec->attr == RTE_PCI_WC_ATTR_UC ||
		rec->attr == RTE_PCI_WC_ATTR_WC ? rec->addr : NULL;
	info->region = rec->region;
	if (rec->reason[0] != '\0')
		strlcpy(info->reason, rec->reason, sizeof(info->reason));
	else if (wdev->res_flags[bar] & PCI_WC_IORESOURCE_IO)
		strlcpy(info->reason, "I/O BAR: use rte_pci_ioport_*()",
			sizeof(info->reason));
	else if (info->size == 0)
		strlcpy(info->reason, "not implemented", sizeof(info->reason));
	else
		strlcpy(info->reason, "not mapped by the bus", sizeof(info->reason));
}

int
rte_pci_wc_bar_info(const struct rte_pci_device *dev, unsigned int bar,
		struct rte_pci_wc_bar *info)
{
	struct pci_wc_dev *wdev;
	int ret = -ENODEV;

	if (dev == NULL || info == NULL || bar >= PCI_WC_NB_BARS)
		return -EINVAL;
	rte_spinlock_lock(&pci_wc_lock);
	wdev = pci_wc_dev_find_locked(dev);
	if (wdev != NULL && wdev->mapped) {
		pci_wc_info_locked(wdev, bar, info);
		ret = 0;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	return ret;
}

int
pci_wc_dev_bars(const char *name, struct rte_pci_wc_bar info[PCI_WC_NB_BARS])
{
	struct pci_wc_dev *wdev;
	unsigned int bar;
	int ret = -ENODEV;

	rte_spinlock_lock(&pci_wc_lock);
	TAILQ_FOREACH(wdev, &pci_wc_devs, next) {
		if (!wdev->mapped || strcmp(wdev->name, name) != 0)
			continue;
		for (bar = 0; bar < PCI_WC_NB_BARS; bar++)
			pci_wc_info_locked(wdev, bar, &info[bar]);
		ret = 0;
		break;
	}
	rte_spinlock_unlock(&pci_wc_lock);
	return ret;
}

RTE_INIT(pci_wc_init)
{
	rte_eal_pci_wc_parser_register(pci_wc_eal_parse);
}

bool
pci_wc_kdrv_is_vfio(const char *driver)
{
	char sysfs[PATH_MAX];
	const char *devices = rte_pci_get_sysfs_path();
	const char *tail = "/bus/pci/devices";
	size_t n = strlen(devices);

	/* the sysfs root the bus scans (SYSFS_PCI_DEVICES may move it) */
	if (n > strlen(tail) && strcmp(devices + n - strlen(tail), tail) == 0)
		snprintf(sysfs, sizeof(sysfs), "%.*s", (int)(n - strlen(tail)),
			devices);
	else
		snprintf(sysfs, sizeof(sysfs), "/sys");
	return pci_wc_kdrv_is_vfio_at(sysfs, driver);
}
