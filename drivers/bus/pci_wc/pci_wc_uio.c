/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UIO side: sysfs resourceN_wc is the kernel's WC mapping of a
 * prefetchable BAR. Whether the bus opens it is now the policy's call;
 * with --pci-wc absent it stays what DPDK always did (the driver flag).
 */
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_string_fns.h>
#include <bus_pci_driver.h>

#include "pci_wc_hooks.h"
#include "pci_wc_private.h"

static bool
pci_wc_uio_path_is_wc(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, "_wc") == 0;
}

bool
pci_wc_uio_bar_want(struct rte_pci_device *dev, int bar)
{
	struct pci_wc_bar_facts facts;
	struct pci_wc_bar_rec rec;

	memset(&rec, 0, sizeof(rec));
	pci_wc_bar_facts(dev, bar, PCI_WC_ACCESS_UIO, &facts);
	rec.wc_wanted = pci_wc_decide(&facts, rec.reason, sizeof(rec.reason));
	strlcpy(rec.why, rec.reason, sizeof(rec.why));
	pci_wc_rec_store(dev, bar, &rec);
	return rec.wc_wanted;
}

bool
pci_wc_uio_map_failed(struct rte_pci_device *dev, int bar, const char *path,
		int err)
{
	char what[PCI_WC_REASON_LEN];
	struct pci_wc_bar_rec rec;

	if (!pci_wc_uio_path_is_wc(path) || pci_wc_rec_load(dev, bar, &rec) < 0)
		return false;
	/* as when resourceN_wc cannot be opened: uncached, and say why */
	pci_wc_what(what, sizeof(what), PCI_WC_WHAT_UIO_WC_MMAP, err);
	pci_wc_reason_refused(rec.reason, sizeof(rec.reason), rec.why, what);
	rec.wc_wanted = false;
	pci_wc_rec_store(dev, bar, &rec);
	return true;
}

void
pci_wc_uio_bar_mapped(struct rte_pci_device *dev, int bar, void *addr,
		const char *path)
{
	bool wc = pci_wc_uio_path_is_wc(path);
	char why[PCI_WC_REASON_LEN], what[PCI_WC_REASON_LEN];
	struct pci_wc_bar_rec rec;

	pci_wc_rec_load(dev, bar, &rec);
	rec.addr = addr;
	rec.map_size = dev->mem_resource[bar].len;
	rec.attr = wc ? RTE_PCI_WC_ATTR_WC : RTE_PCI_WC_ATTR_UC;
	rec.path = wc ? RTE_PCI_WC_PATH_UIO_WC : RTE_PCI_WC_PATH_UIO;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		snprintf(why, sizeof(why), "as the primary process mapped it (%s)",
			path);
		pci_wc_shared_reason(dev, bar, &rec, why);
	} else if (rec.wc_wanted && !wc) {
		pci_wc_what(what, sizeof(what), PCI_WC_WHAT_UIO_WC_OPEN, bar);
		pci_wc_reason_refused(rec.reason, sizeof(rec.reason), rec.why, what);
	}
	pci_wc_rec_store(dev, bar, &rec);
	pci_wc_bar_log(dev, bar, &rec, pci_wc_bar_prefetchable(dev, bar));
}
