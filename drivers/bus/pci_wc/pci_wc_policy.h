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
 * The first "KEY=value" item of a device argument string ("k=v,k=v") at
 * or after pos (may be NULL): its start, its length in *len_out and the
 * comma after it (NULL for the last item) in *end_out; NULL when none.
 */
char *pci_wc_devargs_find(char *pos, const char *key, char **end_out,
		size_t *len_out);

/* Remove every "KEY=value" item of args, in place, with one comma each. */
void pci_wc_devargs_cut(char *args, const char *key);

/*
 * Take every "pci_wc=VALUE" out of a device argument string ("k=v,k=v"),
 * in place with its comma, and parse VALUE. Returns 1 when the key is
 * there (once, or repeated with the same value), 0 when it is absent, -1
 * for a bad value or two different values; args is then left unchanged so
 * the caller can report it and fail the probe.
 */
int pci_wc_devargs_extract(char *args, enum pci_wc_mode *mode);

/*
 * The device argument's mode for one device across probe attempts. The
 * bus tries each matching driver in turn with the same devargs, and the
 * first attempt has already cut the key out: the mode found then holds
 * for the later attempts on that same string. A new string (the device
 * probed again with other arguments) is read afresh, so a mode never
 * outlives the arguments that gave it.
 */
struct pci_wc_devarg {
	const char *args;	/* the string the key was cut from (identity) */
	char left[256];		/* what was left of it, to recognise it */
	bool set;		/* the key was there */
	enum pci_wc_mode mode;
};

/*
 * Update st for a probe of a device whose device arguments are args (may
 * be NULL). Returns what pci_wc_devargs_extract() returns for a fresh
 * string, 1 or 0 for the string seen before; on -1, st is unchanged.
 */
int pci_wc_devarg_take(struct pci_wc_devarg *st, char *args);

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
 * into reason. A driver name is cut at PCI_WC_DRIVER_NAME_MAX characters
 * so that the line, and any refusal appended to it, always fits in
 * PCI_WC_REASON_LEN.
 */
bool pci_wc_decide(const struct pci_wc_bar_facts *f, char *reason,
		size_t len);

/* Room for any reason the bus writes (rte_pci_wc.h's RTE_PCI_WC_REASON_LEN). */
#define PCI_WC_REASON_LEN 384
/* DPDK driver names are shorter (RTE_DEV_NAME_MAX_LEN is 64). */
#define PCI_WC_DRIVER_NAME_MAX 63

/*
 * The kernel's answer to a WC request, as words a user can act on; NULL
 * for an errno vfio-pci-wc does not give.
 */
const char *pci_wc_refusal_text(int err);

/* What went wrong after the policy wanted WC, for pci_wc_what(). */
enum pci_wc_what {
	PCI_WC_WHAT_REFUSED,	/* arg: the request's errno */
	PCI_WC_WHAT_ALIAS_UNMAPPABLE,	/* arg: the alias region index */
	PCI_WC_WHAT_ALIAS_MMAP,	/* arg: mmap's errno */
	PCI_WC_WHAT_ALIAS_AND_PLAIN_MMAP, /* arg: the plain mmap's errno */
	PCI_WC_WHAT_UIO_WC_OPEN,	/* arg: the BAR index */
	PCI_WC_WHAT_UIO_WC_MMAP,	/* arg: mmap's errno */
};

/* The second half of a refusal's reason, into buf. */
void pci_wc_what(char *buf, size_t len, enum pci_wc_what what, int arg);

/*
 * "WC wanted (<why>) but <what>" into out: the reason of a BAR the policy
 * wanted WC for that did not get it. Returns the length the line needs
 * (as snprintf does); the unit test holds it below PCI_WC_REASON_LEN for
 * every why and what the bus can produce.
 */
int pci_wc_reason_refused(char *out, size_t len, const char *why,
		const char *what);

/*
 * Is the kernel driver called driver (its name under bus/pci/drivers) a
 * VFIO PCI driver: vfio-pci, or a variant driver built on vfio_pci_core?
 * sysfs is the sysfs mount point ("/sys"). pci_wc_kdrv.c.
 */
bool pci_wc_kdrv_is_vfio_at(const char *sysfs, const char *driver);

#endif /* PCI_WC_POLICY_H */
