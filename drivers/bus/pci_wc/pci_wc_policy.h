/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who gets write-combining: the --pci-wc value set, the per-device
 * "pci_wc=" device argument, and the decision for one BAR. Pure logic
 * with no DPDK calls, so unit tests compile it on its own.
 */
#ifndef PCI_WC_POLICY_H
#define PCI_WC_POLICY_H

#include <stdbool.h>
#include <stddef.h>

enum pci_wc_mode {
	PCI_WC_MODE_UNSET = 0,	/* option not given: DPDK's old behaviour */
	PCI_WC_MODE_OFF,	/* no WC anywhere, UIO included */
	PCI_WC_MODE_DRIVER,	/* drivers flagged RTE_PCI_DRV_WC_ACTIVATE */
	PCI_WC_MODE_ALL,	/* every prefetchable memory BAR */
};

/* Accepted values, for error messages and --help. */
#define PCI_WC_MODE_VALUES "off, driver, all"

/* Name of the device argument key. */
#define PCI_WC_DEVARG_KEY "pci_wc"

/*
 * Parse an option value. NULL or "" (the bare option) means "driver".
 * Returns 0, or -1 for anything else than the accepted values.
 */
int pci_wc_mode_parse(const char *value, enum pci_wc_mode *mode);

const char *pci_wc_mode_name(enum pci_wc_mode mode);

/*
 * Find "pci_wc=VALUE" in a device argument string ("k=v,k=v"), remove it
 * in place (with its comma) and parse VALUE. Returns 1 when found and
 * valid, 0 when absent, -1 when found with a bad value (args is then left
 * unchanged so the caller can report it).
 */
int pci_wc_devargs_extract(char *args, enum pci_wc_mode *mode);

enum pci_wc_access {
	PCI_WC_ACCESS_VFIO,
	PCI_WC_ACCESS_UIO,
};

/* What is known about one BAR when the bus maps it. */
struct pci_wc_bar_facts {
	enum pci_wc_mode mode;	/* the device's (devarg) or the global one */
	bool mode_from_devarg;
	enum pci_wc_access access;
	bool memory;		/* a memory BAR (not I/O, not empty) */
	bool prefetchable;
	bool driver_asks;	/* driver has RTE_PCI_DRV_WC_ACTIVATE */
	const char *driver;	/* driver name, or NULL */
};

/*
 * Should this BAR be mapped WC? Writes one line saying why (or why not)
 * into reason.
 */
bool pci_wc_decide(const struct pci_wc_bar_facts *f, char *reason,
		size_t len);

#endif /* PCI_WC_POLICY_H */
