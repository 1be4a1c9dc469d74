/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * State shared by the pci_wc_*.c files: one record per device the bus
 * knows something about, behind one lock. Nobody outside pci_wc_bar.c
 * holds a pointer into a record: the hooks build a BAR's record on their
 * own stack and store it whole, and every reader gets a whole copy, so a
 * record can go (device freed) at any time without a reader seeing it
 * half-written or after it is gone.
 */
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

/* What the bus knows of one BAR's mapping. */
struct pci_wc_bar_rec {
	enum rte_pci_wc_attr attr;
	enum rte_pci_wc_path path;
	bool unplugged;
	void *addr;
	uint64_t map_size;	/* bytes mmapped at addr */
	uint32_t region;	/* VFIO region index mmapped */
	bool have_bar_region;	/* bar_region_offset is known (VFIO) */
	uint64_t bar_region_offset; /* the BAR's own VFIO region offset */
	bool whole;		/* mmapped in one piece (no sparse areas) */
	bool wc_wanted;		/* policy said WC (UIO: waiting for the map) */
	bool alias_mmap_failed;	/* VFIO: granted, but its mmap failed */
	char why[PCI_WC_REASON_LEN];	/* the policy's reason, when WC wanted */
	char reason[PCI_WC_REASON_LEN];
};

/*
 * A copy of BAR bar's record of dev; a blank record (attr unmapped) when
 * the bus has none. Returns 0 when dev has a record, -ENODEV when not.
 */
int pci_wc_rec_load(const struct rte_pci_device *dev, int bar,
		struct pci_wc_bar_rec *rec);

/* Store rec as BAR bar's record of dev, whole; the device is now mapped. */
void pci_wc_rec_store(const struct rte_pci_device *dev, int bar,
		const struct pci_wc_bar_rec *rec);

/*
 * Secondary process: take the primary's reason for the BAR when the
 * primary recorded the same attribute and path as rec has; else fallback.
 */
void pci_wc_shared_reason(const struct rte_pci_device *dev, int bar,
		struct pci_wc_bar_rec *rec, const char *fallback);

/* Secondary process: the attribute the primary recorded, or -1. */
int pci_wc_shared_attr(const struct rte_pci_device *dev, int bar);

/* Policy facts for one BAR of dev (mode, driver flag, BAR flags). */
void pci_wc_bar_facts(const struct rte_pci_device *dev, int bar,
		enum pci_wc_access access, struct pci_wc_bar_facts *f);

bool pci_wc_bar_prefetchable(const struct rte_pci_device *dev, int bar);
bool pci_wc_bar_is_io(const struct rte_pci_device *dev, int bar);

/* The one log line per BAR once its mapping is settled. */
void pci_wc_bar_log(const struct rte_pci_device *dev, int bar,
		const struct pci_wc_bar_rec *rec, bool prefetchable);

/*
 * Copies for the telemetry thread. The names of the mapped devices:
 * a malloc'd array of *n names (free it), or NULL with *n = 0.
 */
struct pci_wc_name {
	char s[64];
};
struct pci_wc_name *pci_wc_dev_names(unsigned int *n);

/* Every BAR of the mapped device called name; -ENODEV if none. */
int pci_wc_dev_bars(const char *name, struct rte_pci_wc_bar info[PCI_WC_NB_BARS]);

#endif /* PCI_WC_PRIVATE_H */
