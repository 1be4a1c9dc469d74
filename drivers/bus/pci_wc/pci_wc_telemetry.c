/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry: which devices the bus mapped, and per BAR its size, whether
 * it is prefetchable, the attribute it got, the path and why.
 *
 *   --> /pci_wc/devices
 *   --> /pci_wc/bars,0000:00:04.0
 */
#include <errno.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_telemetry.h>
#include <bus_pci_driver.h>

#include "pci_wc_private.h"

static void
pci_wc_tel_add_name(const struct rte_pci_device *dev,
		struct pci_wc_dev *wdev __rte_unused, void *arg)
{
	rte_tel_data_add_array_string(arg, dev->name);
}

static int
pci_wc_tel_devices(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	pci_wc_dev_foreach(pci_wc_tel_add_name, d);
	return 0;
}

static void
pci_wc_tel_add_bars(const struct rte_pci_device *dev,
		struct pci_wc_dev *wdev, void *arg)
{
	struct rte_tel_data *d = arg;
	struct rte_pci_bar_info info;
	unsigned int bar;

	for (bar = 0; bar < PCI_WC_NB_BARS; bar++) {
		struct rte_tel_data *b;
		char name[8];

		/*
		 * The caller holds the records' lock, which rte_pci_wc_bar_info
		 * also takes: read the record directly instead.
		 */
		if (pci_wc_bar_info_locked(dev, wdev, bar, &info) < 0 ||
				info.size == 0)
			continue;
		b = rte_tel_data_alloc();
		if (b == NULL)
			return;
		rte_tel_data_start_dict(b);
		rte_tel_data_add_dict_u64(b, "size", info.size);
		rte_tel_data_add_dict_int(b, "memory", info.memory);
		rte_tel_data_add_dict_int(b, "prefetchable", info.prefetchable);
		rte_tel_data_add_dict_string(b, "attr",
			rte_pci_bar_attr_name(info.attr));
		rte_tel_data_add_dict_string(b, "path",
			rte_pci_bar_path_name(info.path));
		rte_tel_data_add_dict_string(b, "reason", info.reason);
		snprintf(name, sizeof(name), "bar%u", bar);
		rte_tel_data_add_dict_container(d, name, b, 0);
	}
}

static int
pci_wc_tel_bars(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	rte_tel_data_start_dict(d);
	return pci_wc_dev_with(params, pci_wc_tel_add_bars, d);
}

RTE_INIT(pci_wc_telemetry_init)
{
	rte_telemetry_register_cmd("/pci_wc/devices", pci_wc_tel_devices,
		"Returns the PCI devices whose BARs the bus mapped. No parameters");
	rte_telemetry_register_cmd("/pci_wc/bars", pci_wc_tel_bars,
		"Returns each BAR's size, prefetchable flag, attribute, path and reason. Parameters: PCI address");
}
