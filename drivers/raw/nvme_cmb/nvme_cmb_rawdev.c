/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * NVMe Controller Memory Buffer rawdev PMD.
 *
 * Foundation stage: the driver registers on DPDK's PCI bus, asks for
 * write-combining on its prefetchable BARs (RTE_PCI_DRV_WC_ACTIVATE) and
 * matches no device yet. It exists so the build proves, from the first
 * commit, that an out-of-tree driver compiles against the driver-SDK
 * headers of our patched DPDK, links into our static programs and installs
 * as a loadable PMD. The data path arrives with the PMD issue.
 */

#include <errno.h>

#include <rte_log.h>
#include <bus_pci_driver.h>
#include <rte_rawdev_pmd.h>

#include "wc_dpdk_check.h"

RTE_LOG_REGISTER(nvme_cmb_logtype, pmd.raw.nvme_cmb, NOTICE);

#define NVME_CMB_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, nvme_cmb_logtype, "nvme_cmb: " fmt "\n", \
		##__VA_ARGS__)

/* Empty on purpose until the data path exists: no device is claimed. */
static const struct rte_pci_id nvme_cmb_pci_ids[] = {
	{ .vendor_id = 0 },
};

static int
nvme_cmb_probe(struct rte_pci_driver *drv __rte_unused,
	       struct rte_pci_device *dev)
{
	NVME_CMB_LOG(ERR, "%s: device support not implemented yet",
		     dev->name);
	return -ENOTSUP;
}

static int
nvme_cmb_remove(struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static struct rte_pci_driver nvme_cmb_pmd = {
	.id_table = nvme_cmb_pci_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_WC_ACTIVATE,
	.probe = nvme_cmb_probe,
	.remove = nvme_cmb_remove,
};

RTE_PMD_REGISTER_PCI(raw_nvme_cmb, nvme_cmb_pmd);
RTE_PMD_REGISTER_PCI_TABLE(raw_nvme_cmb, nvme_cmb_pci_ids);
RTE_PMD_REGISTER_KMOD_DEP(raw_nvme_cmb, "vfio-pci-wc | vfio-pci");
