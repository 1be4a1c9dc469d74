/* SPDX-License-Identifier: BSD-3-Clause */
/* State shared by the pci_wc_*.c files: one record per mapped device. */
#ifndef PCI_WC_PRIVATE_H
#define PCI_WC_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "rte_pci_wc.h"
#include "pci_wc_policy.h"

#define PCI_WC_NB_BARS 6

extern int pci_wc_logtype;
#define PCI_WC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, pci_wc_logtype, "PCI_WC: " fmt "\n", \
		## __VA_ARGS__)

struct pci_wc_bar_rec {
	enum rte_pci_bar_attr attr;
	enum rte_pci_bar_path path;
	void *addr;
	uint64_t map_size;	/* bytes mmapped at addr */
	uint32_t region;	/* VFIO region index mmapped */
	bool have_bar_region;	/* bar_region_offset is known (VFIO) */
	uint64_t bar_region_offset; /* the BAR's own VFIO region offset */
	bool whole;		/* mmapped in one piece (no sparse areas) */
	bool wc_wanted;		/* policy said WC (UIO: waiting for the map) */
	char reason[RTE_PCI_WC_REASON_LEN];
};

struct pci_wc_dev;

/* The device's record, created on first use; NULL only on ENOMEM. */
struct pci_wc_dev *pci_wc_dev_get(const struct rte_pci_device *dev);
/* The device's record if it has one. */
struct pci_wc_dev *pci_wc_dev_find(const struct rte_pci_device *dev);
struct pci_wc_bar_rec *pci_wc_dev_bar(struct pci_wc_dev *wdev, int bar);

/* Policy facts for one BAR of dev (mode, driver flag, BAR flags). */
void pci_wc_bar_facts(const struct rte_pci_device *dev, struct pci_wc_dev *wdev,
		int bar, enum pci_wc_access access, struct pci_wc_bar_facts *f);

/* The one log line per BAR once its mapping is settled. */
void pci_wc_bar_log(const struct rte_pci_device *dev, int bar,
		const struct pci_wc_bar_rec *rec, bool prefetchable);

bool pci_wc_bar_prefetchable(const struct pci_wc_dev *wdev, int bar);

/*
 * Call fn for every device with a record, under the records' lock (so a
 * device being released waits): for the telemetry endpoint.
 */
typedef void (*pci_wc_dev_fn)(const struct rte_pci_device *dev,
		struct pci_wc_dev *wdev, void *arg);
void pci_wc_dev_foreach(pci_wc_dev_fn fn, void *arg);

/* rte_pci_wc_bar_info() for a caller that holds the lock (foreach). */
int pci_wc_bar_info_locked(const struct rte_pci_device *dev,
		struct pci_wc_dev *wdev, unsigned int bar,
		struct rte_pci_bar_info *info);

/* Same, for the one device named name ("0000:00:04.0"); -ENODEV if none. */
int pci_wc_dev_with(const char *name, pci_wc_dev_fn fn, void *arg);

#endif /* PCI_WC_PRIVATE_H */
