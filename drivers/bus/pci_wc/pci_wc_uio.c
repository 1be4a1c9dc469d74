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

bool
pci_wc_uio_bar_want(struct rte_pci_device *dev, int bar)
{
	struct pci_wc_dev *wdev = pci_wc_dev_get(dev);
	struct pci_wc_bar_rec *rec = pci_wc_dev_bar(wdev, bar);
	struct pci_wc_bar_facts facts;

	if (rec == NULL)
		return false;
	pci_wc_bar_facts(dev, wdev, bar, PCI_WC_ACCESS_UIO, &facts);
	rec->wc_wanted = pci_wc_decide(&facts, rec->reason, sizeof(rec->reason));
	return rec->wc_wanted;
}

void
pci_wc_uio_bar_mapped(struct rte_pci_device *dev, int bar, void *addr,
		const char *path)
{
	struct pci_wc_dev *wdev = pci_wc_dev_get(dev);
	struct pci_wc_bar_rec *rec = pci_wc_dev_bar(wdev, bar);
	size_t n = strlen(path);
	bool wc = n > 3 && strcmp(path + n - 3, "_wc") == 0;
	char why[RTE_PCI_WC_REASON_LEN];

	if (rec == NULL)
		return;
	rec->addr = addr;
	rec->map_size = dev->mem_resource[bar].len;
	rec->attr = wc ? RTE_PCI_BAR_WC : RTE_PCI_BAR_UC;
	rec->path = wc ? RTE_PCI_BAR_PATH_UIO_WC : RTE_PCI_BAR_PATH_UIO;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		snprintf(rec->reason, sizeof(rec->reason),
			"as the primary process mapped it (%s)", path);
	} else if (rec->wc_wanted && !wc) {
		strlcpy(why, rec->reason, sizeof(why));
		snprintf(rec->reason, sizeof(rec->reason),
			"WC wanted (%s) but resource%d_wc could not be opened",
			why, bar);
	}
	pci_wc_bar_log(dev, bar, rec, pci_wc_bar_prefetchable(wdev, bar));
}
